"""Celery tasks. Thin: they take ids and call a service.

Reliability settings (see workshop/settings.py): tasks are acknowledged late
and rejected back to the queue if their worker dies, so a compilation that a
crash interrupts runs again on another worker; the service makes that re-run
compile the SAME report. Transient errors (the database or the disk briefly
unavailable) are retried with exponential backoff; anything else, or the last
transient failure, is recorded on the report as "failed: reason".

Test hook: the environment variable ``DIALOGUE_SUMMARY_STEP_DELAY`` (seconds,
default 0) makes the compilation sleep between its steps, so a test can kill
the worker in the middle of a task. Nothing else should set it.
"""

import logging
import os
import time

from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval
from django.db import OperationalError

from dialogue.services import summaries

logger = logging.getLogger(__name__)

TRANSIENT_ERRORS = (OperationalError, OSError)
MAX_RETRIES = summaries.MAX_ATTEMPTS - 1
BACKOFF_FACTOR = 5  # seconds: 5, 10, 20, 40
BACKOFF_MAX = 300
STEP_DELAY_ENV = "DIALOGUE_SUMMARY_STEP_DELAY"


def _step_delay() -> float:
    try:
        return max(0.0, float(os.environ.get(STEP_DELAY_ENV, "0") or 0))
    except ValueError:
        return 0.0


def backoff(retries: int) -> int:
    """Seconds to wait before retry number ``retries + 1``: 5, 10, 20, 40..."""
    return get_exponential_backoff_interval(
        factor=BACKOFF_FACTOR, retries=retries, maximum=BACKOFF_MAX, full_jitter=False
    )


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


@shared_task(
    bind=True,
    name=summaries.TASK_NAME,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=MAX_RETRIES,
    ignore_result=True,
)
def compile_summary(self, report_id: int) -> str:
    delay = _step_delay()

    def between_steps():
        if delay:
            time.sleep(delay)

    try:
        return summaries.summary_compile(
            report_id=report_id, between_steps=between_steps
        )
    except TRANSIENT_ERRORS as exc:
        retries = self.request.retries or 0
        if retries >= self.max_retries:
            summaries.summary_fail(report_id=report_id, reason=_reason(exc))
            return "failed"
        countdown = 0 if self.request.is_eager else backoff(retries)
        summaries.summary_note_retry(
            report_id=report_id,
            reason=_reason(exc),
            countdown=countdown,
            attempt=retries + 1,
        )
        if self.request.is_eager:
            # In-process mode has no worker to come back later: retry now.
            result = self.apply(args=[report_id], retries=retries + 1, throw=False)
            return result.get(propagate=False)
        raise self.retry(exc=exc, countdown=countdown) from exc
    except Exception as exc:  # a bug or bad data: retrying would not help
        logger.exception("summary %s failed", report_id)
        summaries.summary_fail(report_id=report_id, reason=_reason(exc))
        return "failed"
