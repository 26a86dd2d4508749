"""Business rules for session summaries: request, send, compile, retry.

Life of a SummaryReport (one compiled version of a session's summary):

    requested (status queued, queued_at NULL)
      -> sent to the broker (queued_at set)         summary_send
      -> running (attempts + 1)                     summary_compile
      -> done (files stored) | failed (error)       summary_attempt

The service never imports the task: it sends the job to the broker by the
task's name (``TASK_NAME``), and in-process mode (no broker configured)
runs ``summary_attempt`` right here, with the same retries and failure
handling as a worker (``dialogue.tasks`` only adds Celery's countdown).

* Requesting and retrying are for the rapporteur and the organisers (or a
  staff user in the admin): both check ``permissions.request_summary_refusal``
  themselves. Closing a session requests its summary from inside
  ``session_set_phase``, which has checked its own rule (``_summary_queue``).
* A request is recorded first and sent to the broker after its transaction
  commits. If the broker cannot be reached the request stays recorded with
  ``queued_at`` NULL; ``summary_send_pending`` sends it later: after the
  next request that reaches the broker, and from the periodic sweep
  (``manage.py send_pending_summaries`` from cron, or the
  ``dialogue.send_pending_summaries`` task for Celery beat). Pages that show
  reports never send them: a GET does not write. Sending is claimed with a
  conditional UPDATE, so two senders never both send the same report.
* Compiling is idempotent: a finished (done or failed) report is left alone;
  a report found "running" was interrupted (a worker died) and is compiled
  again as the SAME version. Files have fixed names per version, so a re-run
  overwrites rather than adds.
* Transient errors (the database or the disk briefly unavailable) are
  retried with exponential backoff (``retry_delay``); anything else, or the
  last transient failure, is recorded on the report as "failed: reason".
* A report that keeps killing its worker is given up after ``MAX_ATTEMPTS``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import PurePosixPath

from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import OperationalError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from dialogue import permissions
from dialogue.errors import Forbidden, Refusal, require
from dialogue.models import (
    Phase,
    Session,
    SummaryFormat,
    SummaryReport,
    SummaryStatus,
)
from dialogue.summary.build import build_summary_document
from dialogue.summary.render import RENDERERS
from dialogue.summary.render.pdf import render_html
from workshop.celery import app

logger = logging.getLogger(__name__)

TASK_NAME = "dialogue.compile_summary"
SWEEP_TASK_NAME = "dialogue.send_pending_summaries"
MAX_ATTEMPTS = 5
TRANSIENT_ERRORS = (OperationalError, OSError)
BACKOFF_FACTOR = 5  # seconds: 5, 10, 20, 40
BACKOFF_MAX = 300
# Read from the one table of formats; kept for dialogue/admin_summaries.py.
CONTENT_TYPES = {fmt: renderer.content_type for fmt, renderer in RENDERERS.items()}
ACTIVE = (SummaryStatus.QUEUED, SummaryStatus.RUNNING)
FINISHED = (SummaryStatus.DONE, SummaryStatus.FAILED)


class SummaryError(Refusal):
    """A summary request the rules refuse; its `messages` say why."""


class SummaryForbidden(SummaryError, Forbidden):
    """The actor does not compile summaries (403)."""


# -- requesting and sending ----------------------------------------------------


def summary_request(*, session: Session, by) -> SummaryReport:
    """Record a new version of the session's summary and queue its compilation.

    `by` is the rapporteur or an organiser (a Participant) or, from the
    admin, a staff user. The version is the next number for the session
    (the session row is locked, so two requests at once get two versions).
    The task is sent after the transaction commits; with no broker
    reachable the report stays recorded, unsent, for ``summary_send_pending``.
    """
    require(permissions.request_summary_refusal(by, session), SummaryForbidden)
    return _summary_queue(session=session, user=permissions.acting_user(by))


def _summary_queue(*, session: Session, user) -> SummaryReport:
    """Record and queue a new version, for a `user` already authorised."""
    with transaction.atomic():
        locked = (
            Session.objects.select_for_update()
            .select_related("workshop")
            .get(pk=session.pk)
        )
        last = SummaryReport.objects.filter(session=locked).aggregate(
            last=Max("version")
        )["last"]
        report = SummaryReport.objects.create(
            session=locked,
            version=(last or 0) + 1,
            requested_by=user,
            confidentiality=locked.workshop.confidentiality,
            status=SummaryStatus.QUEUED,
            progress_note=_("Waiting for a worker"),
        )
        transaction.on_commit(
            lambda: _send_after_commit(report.pk, locked.pk), robust=True
        )
    return report


def _send_after_commit(report_id: int, session_id: int) -> None:
    if summary_send(report_id=report_id):
        # The broker is back: send what an earlier outage left behind.
        summary_send_pending(session_id=session_id)


def summary_retry(*, report: SummaryReport, by) -> SummaryReport:
    """Compile a failed report again (the same version), from the start.

    `by` as for ``summary_request``.
    """
    require(permissions.request_summary_refusal(by, report.session), SummaryForbidden)
    with transaction.atomic():
        locked = SummaryReport.objects.select_for_update().get(pk=report.pk)
        if locked.status != SummaryStatus.FAILED:
            raise SummaryError(_("Only a summary that failed can be tried again."))
        locked.status = SummaryStatus.QUEUED
        locked.progress = 0
        locked.progress_note = _("Waiting for a worker")
        locked.error = ""
        locked.attempts = 0
        locked.queued_at = None
        locked.started_at = None
        locked.finished_at = None
        locked.save()
        transaction.on_commit(lambda: summary_send(report_id=locked.pk), robust=True)
    logger.info(
        "summary %s v%s retried by %s",
        locked.session_id,
        locked.version,
        permissions.acting_user(by),
    )
    return locked


def summary_send(*, report_id: int) -> bool:
    """Hand the report's compilation to a worker; False if the broker is down.

    In-process mode (no broker configured) compiles right here. Otherwise
    the send is claimed by setting ``queued_at`` (only if still NULL), then
    published; if publishing fails the claim is undone, so the report is
    sent again later.
    """
    claimed = SummaryReport.objects.filter(
        pk=report_id, queued_at__isnull=True, status=SummaryStatus.QUEUED
    ).update(queued_at=timezone.now())
    if not claimed:
        return True  # already sent (or no longer waiting): nothing to do
    if settings.CELERY_TASK_ALWAYS_EAGER:
        try:
            _compile_in_process(report_id)
        except Exception:  # as a worker would: the request itself stands
            logger.exception("summary %s failed in-process", report_id)
        return True
    try:
        with app.connection_for_write(settings.CELERY_BROKER_URL) as connection:
            connection.ensure_connection(
                max_retries=1, interval_start=0, interval_step=0.5, timeout=3
            )
            app.send_task(
                TASK_NAME, args=[report_id], connection=connection, retry=False
            )
    except Exception:  # any failure to publish: keep the request, send later
        logger.warning("summary %s could not be sent to the broker", report_id)
        SummaryReport.objects.filter(pk=report_id).update(queued_at=None)
        return False
    return True


def summary_send_pending(
    *, session_id: int | None = None, grace: timedelta = timedelta(seconds=5)
) -> int:
    """Send the reports still waiting for the broker; returns how many went.

    Also recovers reports lost by the broker: a report sent more than twice
    the visibility timeout ago and still queued (the broker forgot it, e.g.
    after a restart without persistence) or still running (its worker died
    and the message never came back) is sent again.
    """
    now = timezone.now()
    waiting = SummaryReport.objects.filter(
        status=SummaryStatus.QUEUED,
        queued_at__isnull=True,
        requested_at__lte=now - grace,
    )
    lost_before = now - timedelta(seconds=2 * settings.CELERY_VISIBILITY_TIMEOUT)
    lost = SummaryReport.objects.filter(status__in=ACTIVE).exclude(
        queued_at__isnull=True
    )
    lost = lost.filter(queued_at__lt=lost_before).exclude(started_at__gte=lost_before)
    if session_id is not None:
        waiting = waiting.filter(session_id=session_id)
        lost = lost.filter(session_id=session_id)
    for report_id in lost.values_list("pk", flat=True):
        logger.warning("summary %s looks lost by the broker; sending again", report_id)
        SummaryReport.objects.filter(pk=report_id).update(
            queued_at=None, status=SummaryStatus.QUEUED
        )
    ids = list(waiting.order_by("requested_at", "pk").values_list("pk", flat=True))
    sent = 0
    for report_id in ids:
        if not summary_send(report_id=report_id):
            break  # the broker is down: the rest waits for the next try
        sent += 1
    return sent


def on_session_phase_change(*, session, old: str, new: str, by) -> None:
    """Called inside session_set_phase's transaction after the phase moved,
    by the user `by` whom it has authorised.

    Closing a session compiles its summary.
    """
    if new == Phase.CLOSED and old != Phase.CLOSED:
        _summary_queue(session=session, user=by)


# -- compiling (run by the task) -----------------------------------------------


def _progress(report_id: int, percent: int, note: str) -> None:
    SummaryReport.objects.filter(pk=report_id).update(
        progress=percent, progress_note=note[:200]
    )


def _claim(report_id: int) -> SummaryReport | None:
    """Mark the report running, or None when there is nothing to do."""
    with transaction.atomic():
        report = (
            SummaryReport.objects.select_for_update()
            .select_related("session__workshop")
            .filter(pk=report_id)
            .first()
        )
        if report is None or report.status in FINISHED:
            return None
        if report.status == SummaryStatus.RUNNING:
            logger.warning(
                "summary %s was interrupted (attempt %s); compiling it again",
                report_id,
                report.attempts,
            )
        if report.attempts >= MAX_ATTEMPTS:
            report.status = SummaryStatus.FAILED
            report.error = _(
                "Gave up after %(n)d attempts: the compilation was interrupted "
                "every time."
            ) % {"n": report.attempts}
            report.finished_at = timezone.now()
            report.save(update_fields=["status", "error", "finished_at"])
            return None
        report.status = SummaryStatus.RUNNING
        report.attempts += 1
        report.started_at = timezone.now()
        report.finished_at = None
        report.error = ""
        report.progress = 5
        report.progress_note = _("Reading the session")
        report.save()
    return report


def file_stem(report: SummaryReport) -> str:
    """Storage path without extension; fixed per version, so re-runs overwrite."""
    return (
        f"summaries/{report.session_id}/v{report.version}/"
        f"summary-s{report.session.number}-v{report.version}"
    )


def _store(name: str, content: bytes) -> str:
    if default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(content))


def summary_compile(
    *, report_id: int, between_steps: Callable[[], None] = lambda: None
) -> str:
    """Compile one report: build the document once, render and store each format.

    Returns the report's status afterwards ("done", or the status that made
    it skip). Errors propagate to the caller, ``summary_attempt``, which
    decides between retrying and ``summary_fail``.
    """
    report = _claim(report_id)
    if report is None:
        status = (
            SummaryReport.objects.filter(pk=report_id)
            .values_list("status", flat=True)
            .first()
        )
        return status or "missing"
    between_steps()
    document = build_summary_document(
        session=report.session,
        confidentiality=report.confidentiality,
        version=report.version,
    )
    stem = file_stem(report)
    names = {}
    for step, (fmt, renderer) in enumerate(RENDERERS.items()):
        _progress(report_id, 30 + 20 * step, str(renderer.progress_note))
        between_steps()
        content = renderer.render(document)
        names[renderer.file_field] = _store(f"{stem}.{fmt}", content)
    _progress(report_id, 90, _("Writing the preview"))
    _store(f"{stem}.html", render_html(document, fragment=True).encode("utf-8"))
    between_steps()
    SummaryReport.objects.filter(pk=report_id).update(
        status=SummaryStatus.DONE,
        progress=100,
        progress_note=_("Ready"),
        finished_at=timezone.now(),
        error="",
        **names,
    )
    return SummaryStatus.DONE


@dataclass(frozen=True)
class Attempt:
    """What one attempt at compiling a report came to."""

    status: str  # the report's status afterwards (or "missing")
    retry_in: float | None = None  # seconds before trying again, if it should
    error: Exception | None = None  # the transient error to retry after


def retry_delay(retries: int) -> int:
    """Seconds to wait before retry number ``retries + 1``: 5, 10, 20, 40..."""
    return get_exponential_backoff_interval(
        factor=BACKOFF_FACTOR, retries=retries, maximum=BACKOFF_MAX, full_jitter=False
    )


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def summary_attempt(
    *,
    report_id: int,
    retries: int = 0,
    wait: bool = True,
    between_steps: Callable[[], None] = lambda: None,
) -> Attempt:
    """Compile the report once and record the outcome: the one failure
    policy of the workers and of in-process mode.

    ``retries`` is how many attempts came before this one. A transient error
    asks for another attempt after ``retry_delay(retries)`` seconds (at once
    when not ``wait``) until the last of ``MAX_ATTEMPTS``, which records the
    failure instead; any other error fails the report at once.
    """
    try:
        return Attempt(
            status=summary_compile(report_id=report_id, between_steps=between_steps)
        )
    except TRANSIENT_ERRORS as exc:
        if retries >= MAX_ATTEMPTS - 1:
            summary_fail(report_id=report_id, reason=_reason(exc))
            return Attempt(status=SummaryStatus.FAILED)
        countdown = retry_delay(retries) if wait else 0
        summary_note_retry(
            report_id=report_id,
            reason=_reason(exc),
            countdown=countdown,
            attempt=retries + 1,
        )
        return Attempt(status=SummaryStatus.QUEUED, retry_in=countdown, error=exc)
    except Exception as exc:  # a bug or bad data: retrying would not help
        logger.exception("summary %s failed", report_id)
        summary_fail(report_id=report_id, reason=_reason(exc))
        return Attempt(status=SummaryStatus.FAILED)


def _compile_in_process(report_id: int) -> str:
    """In-process mode has no worker to come back later: retry at once."""
    retries = 0
    while True:
        attempt = summary_attempt(report_id=report_id, retries=retries, wait=False)
        if attempt.retry_in is None:
            return attempt.status
        retries += 1


def summary_note_retry(
    *, report_id: int, reason: str, countdown: float, attempt: int
) -> None:
    """Record a transient failure that will be retried after ``countdown``."""
    SummaryReport.objects.filter(pk=report_id).exclude(status__in=FINISHED).update(
        status=SummaryStatus.QUEUED,
        progress=0,
        progress_note=(
            _("Temporary problem (%(reason)s); trying again in %(seconds)d s")
            % {"reason": reason, "seconds": round(countdown)}
        )[:200],
        error=reason,
    )
    logger.warning("summary %s attempt %s failed: %s", report_id, attempt, reason)


def summary_fail(*, report_id: int, reason: str) -> None:
    """Record that the report finally failed (shown with a Retry button)."""
    SummaryReport.objects.filter(pk=report_id).exclude(
        status=SummaryStatus.DONE
    ).update(
        status=SummaryStatus.FAILED,
        progress_note=_("Failed"),
        error=reason[:2000],
        finished_at=timezone.now(),
    )
    logger.error("summary %s failed: %s", report_id, reason)


# -- reading the results ---------------------------------------------------------


def summary_file(*, report: SummaryReport, fmt: str):
    """The stored file of one format, or None when it is not (yet) there."""
    if report.status != SummaryStatus.DONE or fmt not in RENDERERS:
        return None
    field = getattr(report, RENDERERS[fmt].file_field)
    if not field or not field.storage.exists(field.name):
        return None
    return field


def summary_preview_html(*, report: SummaryReport) -> str | None:
    """The stored HTML body of a compiled version (made by our own template)."""
    pdf = summary_file(report=report, fmt=SummaryFormat.PDF)
    if pdf is None:
        return None
    name = str(PurePosixPath(pdf.name).with_suffix(".html"))
    if not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as handle:
        return handle.read().decode("utf-8")


def download_name(*, report: SummaryReport, fmt: str) -> str:
    slug = report.session.workshop.slug
    return f"{slug}-session-{report.session.number}-summary-v{report.version}.{fmt}"
