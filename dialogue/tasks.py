"""Celery tasks. Thin: they take ids and call a service.

* ``compile_summary``: compile one report (sent by name by the service);
* ``send_pending_summaries``: the periodic sweep of unsent reports, for beat.

Reliability settings (see workshop/settings.py): tasks are acknowledged late
and rejected back to the queue if their worker dies, so a compilation that a
crash interrupts runs again on another worker; the service makes that re-run
compile the SAME report. What an attempt's errors mean (retry later, or
fail the report with the reason) is the service's ``summary_attempt``; the
task only hands Celery the countdown it asks for.

Test hook: the environment variable ``DIALOGUE_SUMMARY_STEP_DELAY`` (seconds,
default 0) makes the compilation sleep between its steps, so a test can kill
the worker in the middle of a task. Nothing else should set it.
"""

import os
import time

from celery import shared_task

from dialogue.services import summaries

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
    max_retries=summaries.MAX_ATTEMPTS - 1,
    ignore_result=True,
)
def compile_summary(self, report_id: int) -> str:
    delay = _step_delay()

    def between_steps():
        if delay:
            time.sleep(delay)

    attempt = summaries.summary_attempt(
        report_id=report_id,
        retries=self.request.retries or 0,
        between_steps=between_steps,
    )
    if attempt.retry_in is not None:
        raise self.retry(exc=attempt.error, countdown=attempt.retry_in)
    return attempt.status


@shared_task(name=summaries.SWEEP_TASK_NAME, ignore_result=True)
def send_pending_summaries() -> int:
    """The periodic sweep, for Celery beat: send the summary requests still
    waiting for the broker, and again those it lost, as ``manage.py
    send_pending_summaries`` does from cron (leaving a request of the last
    few seconds to the request that is sending it)."""
    return summaries.summary_send_pending()
