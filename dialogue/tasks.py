"""Celery tasks. Thin: they take ids and call a service.

* ``compile_summary``: compile one report (sent by name by the service);
* ``send_pending_summaries``: the periodic sweep, scheduled for beat in
  ``workshop/celery.py``.

Reliability settings (see workshop/settings.py): tasks are acknowledged late
and rejected back to the queue if their worker dies. What an attempt's
errors mean (retry later, or fail the report with the reason) and the lease
that keeps two workers from compiling one report are the service's
``summary_attempts``; the task only hands Celery the countdown it asks for,
with the lease the retry takes over. A report whose worker died is sent
again by the sweep once its lease has run out (within a minute by default),
without waiting for the broker's visibility timeout.

Test hook: the environment variable ``DIALOGUE_SUMMARY_STEP_DELAY`` (seconds,
default 0) makes the compilation sleep between its steps, so a test can kill
the worker in the middle of a task. Nothing else should set it.
"""

import os
import time

from celery import shared_task

from dialogue.services import summaries
from dialogue.services import summary_attempts as attempts

STEP_DELAY_ENV = "DIALOGUE_SUMMARY_STEP_DELAY"


def _step_delay() -> float:
    try:
        return max(0.0, float(os.environ.get(STEP_DELAY_ENV, "0") or 0))
    except ValueError:
        return 0.0


@shared_task(
    bind=True,
    name=summaries.TASK_NAME,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=attempts.MAX_ATTEMPTS - 1,
    ignore_result=True,
)
def compile_summary(self, report_id: int, lease: str | None = None) -> str:
    delay = _step_delay()

    def between_steps():
        if delay:
            time.sleep(delay)

    attempt = attempts.summary_attempt(
        report_id=report_id,
        retries=self.request.retries or 0,
        lease=lease,
        # A worker renews its lease from a thread during long steps; an eager
        # run (tests) shares the caller's transaction, which a thread's own
        # connection would not see.
        keep_alive=not self.request.is_eager,
        between_steps=between_steps,
    )
    if attempt.retry_in is not None:
        raise self.retry(
            exc=attempt.error,
            countdown=attempt.retry_in,
            kwargs={"lease": attempt.lease},
        )
    return attempt.status


@shared_task(name=summaries.SWEEP_TASK_NAME, ignore_result=True)
def send_pending_summaries() -> int:
    """The periodic sweep, for Celery beat: send the summary requests still
    waiting for the broker, and again those whose worker stopped or whose
    message was lost, as ``manage.py send_pending_summaries`` does from cron
    (leaving a request of the last few seconds to the request sending it)."""
    return summaries.summary_send_pending()
