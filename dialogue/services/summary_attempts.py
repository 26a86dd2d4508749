"""Compiling a summary report: one attempt, the lease it holds, and what its
errors mean. Run by the worker's task (``dialogue.tasks``) and, in
in-process mode, by ``summaries.summary_send``.

* An attempt first claims the report (``_claim``): one conditional UPDATE
  that takes it only if no lease holds it, or the lease ran out, or the
  lease is this job's own (a retry). The claim counts the attempt, so a
  report that keeps killing its worker is given up after ``MAX_ATTEMPTS``.
  Two workers sent the same report never compile it at once: the second
  finds the lease and does nothing.
* While it compiles, every write goes through its ``Lease``, which renews
  the lease (``heartbeat_at``; also every ``heartbeat_seconds()`` from a
  thread in a worker, for long steps). A write that finds the lease taken
  raises ``LeaseLost``: the attempt stops and its work is discarded (files
  are stored only just after the lease was confirmed).
* Compiling is idempotent: a finished (done or failed) report is left
  alone; one whose worker died is compiled again as the SAME version, once
  the sweep (``summaries.summary_send_pending``) has sent it again. Files
  have fixed names per version, so a re-run overwrites rather than adds.
* Transient errors are retried with exponential backoff (``retry_delay``).
  A database error is never written on the connection it came from: the
  connection is closed and the retry takes the report back with the lease.
  Anything else, or the last transient failure, is recorded on the report
  as "failed: reason".
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

from celery.utils.time import get_exponential_backoff_interval
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import InterfaceError, OperationalError, connection
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from dialogue.models import SummaryReport, SummaryStatus
from dialogue.models.summaries import heartbeat_seconds, lease_seconds
from dialogue.summary.build import build_summary_document
from dialogue.summary.build_workshop import build_workshop_document
from dialogue.summary.render import RENDERERS
from dialogue.summary.render.pdf import render_html
from dialogue.summary.render.workshop import (
    WORKSHOP_RENDERERS,
    render_workshop_html,
)

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# The database unreachable or restarting: retried, never written on.
DATABASE_DOWN = (OperationalError, InterfaceError)
TRANSIENT_ERRORS = (*DATABASE_DOWN, OSError)
BACKOFF_FACTOR = 5  # seconds: 5, 10, 20, 40
BACKOFF_MAX = 300
ACTIVE = (SummaryStatus.QUEUED, SummaryStatus.RUNNING)
FINISHED = (SummaryStatus.DONE, SummaryStatus.FAILED)


class LeaseLost(Exception):  # noqa: N818 (a signal, not an error)
    """Another attempt holds the report now: this one stops, its work discarded."""


@dataclass
class Lease:
    """One attempt's hold on a report; every write of the attempt goes through
    it, so an attempt that lost the report writes nothing more."""

    report_id: int
    token: uuid.UUID
    lost: threading.Event = field(default_factory=threading.Event)

    def renew(self, **changes) -> None:
        """A sign of life (with ``changes`` to record); raises LeaseLost."""
        if self.lost.is_set():
            raise LeaseLost
        now = timezone.now()
        renewed = SummaryReport.objects.filter(
            pk=self.report_id, lease_token=self.token, status=SummaryStatus.RUNNING
        ).update(
            **{
                "heartbeat_at": now,
                "lease_until": now + timedelta(seconds=lease_seconds()),
                **changes,
            }
        )
        if not renewed:
            self.lost.set()
            raise LeaseLost

    def progress(self, percent: int, note: str) -> None:
        self.renew(progress=percent, progress_note=str(note)[:200])


def _keep_alive(lease: Lease, stop: threading.Event) -> None:
    """Renew the lease every heartbeat while a long step runs (own thread)."""
    try:
        while not stop.wait(heartbeat_seconds()):
            try:
                lease.renew()
            except LeaseLost:
                return
            except DATABASE_DOWN as exc:
                logger.warning("summary %s heartbeat: %s", lease.report_id, exc)
                _drop_connection()
    finally:
        connection.close()  # this thread's own connection


@contextmanager
def _heartbeat(lease: Lease, *, keep_alive: bool):
    stop = threading.Event()
    thread = None
    if keep_alive:
        thread = threading.Thread(
            target=_keep_alive,
            args=(lease, stop),
            name=f"summary-{lease.report_id}-heartbeat",
            daemon=True,
        )
        thread.start()
    try:
        yield
    finally:
        stop.set()
        if thread is not None:
            thread.join(timeout=2)


def _claim(
    report_id: int, *, lease: str | None = None
) -> tuple[SummaryReport, Lease] | None:
    """Take the report for a new attempt, or None when there is nothing to do.

    A report is free when no lease holds it or its lease ran out; ``lease``
    is the token of an earlier attempt of the same job (a retry), which may
    take the report back at once. The claim is one conditional UPDATE, so of
    two workers given the same report only one compiles it.
    """
    now = timezone.now()
    token = uuid.uuid4()
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    if lease:
        free |= Q(lease_token=lease)
    claimed = SummaryReport.objects.filter(
        free, pk=report_id, status__in=ACTIVE, attempts__lt=MAX_ATTEMPTS
    ).update(
        status=SummaryStatus.RUNNING,
        attempts=F("attempts") + 1,
        lease_token=token,
        lease_until=now + timedelta(seconds=lease_seconds()),
        heartbeat_at=now,
        started_at=now,
        finished_at=None,
        error="",
        progress=5,
        progress_note=Case(
            When(session__isnull=True, then=Value(_("Reading the workshop"))),
            default=Value(_("Reading the session")),
        ),
    )
    report = (
        SummaryReport.objects.select_related("session__workshop", "workshop")
        .filter(pk=report_id)
        .first()
    )
    if claimed:
        log = logger.warning if report.attempts > 1 else logger.info
        log(
            "summary %s v%s: attempt %s started (lease %s)",
            report_id,
            report.version,
            report.attempts,
            token,
        )
        return report, Lease(report_id=report_id, token=token)
    if report is None or report.status in FINISHED:
        return None
    if report.attempts >= MAX_ATTEMPTS:
        gave_up = SummaryReport.objects.filter(
            free, pk=report_id, status__in=ACTIVE
        ).update(
            status=SummaryStatus.FAILED,
            error=_(
                "Gave up after %(n)d attempts: the compilation was interrupted "
                "every time."
            )
            % {"n": report.attempts},
            finished_at=now,
            lease_token=None,
            lease_until=None,
        )
        if gave_up:
            return None
    logger.info(
        "summary %s is being compiled by another attempt (lease %s until %s); "
        "nothing to do",
        report_id,
        report.lease_token,
        report.lease_until,
    )
    return None


def file_stem(report: SummaryReport) -> str:
    """Storage path without extension; fixed per version, so re-runs overwrite."""
    if report.session_id is None:  # the report on the whole workshop
        return (
            f"summaries/workshop-{report.workshop_id}/v{report.version}/"
            f"workshop-report-v{report.version}"
        )
    return (
        f"summaries/{report.session_id}/v{report.version}/"
        f"summary-s{report.session.number}-v{report.version}"
    )


def _store(name: str, content: bytes) -> str:
    if default_storage.exists(name):
        default_storage.delete(name)
    return default_storage.save(name, ContentFile(content))


def _status_of(report_id: int) -> str:
    status = (
        SummaryReport.objects.filter(pk=report_id)
        .values_list("status", flat=True)
        .first()
    )
    return status or "missing"


def summary_compile(
    *,
    report_id: int,
    between_steps: Callable[[], None] = lambda: None,
    lease: str | None = None,
) -> str:
    """Compile one report: claim it, build the document once, render and
    store each format.

    Returns the report's status afterwards ("done", or the status that made
    it skip). Errors propagate to the caller, ``summary_attempt``, which
    decides between retrying and ``summary_fail``.
    """
    claim = _claim(report_id, lease=lease)
    if claim is None:
        return _status_of(report_id)
    return _compile(*claim, between_steps=between_steps)


def _compile(
    report: SummaryReport,
    lease: Lease,
    *,
    between_steps: Callable[[], None],
    keep_alive: bool = False,
) -> str:
    """The steps of one attempt that holds ``lease``; ``keep_alive`` renews
    it from a thread too, for steps longer than the heartbeat."""
    with _heartbeat(lease, keep_alive=keep_alive):
        between_steps()
        document, render, preview_html = _sources(report)
        stem = file_stem(report)
        names = {}
        for step, (fmt, renderer) in enumerate(RENDERERS.items()):
            lease.progress(30 + 20 * step, renderer.progress_note)
            between_steps()
            content = render[fmt](document)
            lease.renew()  # still ours: only then overwrite the file
            names[renderer.file_field] = _store(f"{stem}.{fmt}", content)
        lease.progress(90, _("Writing the preview"))
        preview = preview_html(document, fragment=True).encode("utf-8")
        lease.renew()
        _store(f"{stem}.html", preview)
        between_steps()
        lease.renew(
            status=SummaryStatus.DONE,
            progress=100,
            progress_note=_("Ready"),
            finished_at=timezone.now(),
            error="",
            lease_token=None,
            lease_until=None,
            **names,
        )
    logger.info("summary %s v%s: done", report.pk, report.version)
    return SummaryStatus.DONE


def _sources(report: SummaryReport):
    """The report's document, its renderer of each format and its HTML
    preview: a session's summary, or (no session) the whole workshop's."""
    if report.session_id is None:
        document = build_workshop_document(
            workshop=report.workshop,
            confidentiality=report.confidentiality,
            version=report.version,
            draft_revision=report.draft_revision,
            final=report.final,
        )
        return document, WORKSHOP_RENDERERS, render_workshop_html
    document = build_summary_document(
        session=report.session,
        confidentiality=report.confidentiality,
        version=report.version,
        draft_revision=report.draft_revision,
        final=report.final,
    )
    return (
        document,
        {fmt: renderer.render for fmt, renderer in RENDERERS.items()},
        render_html,
    )


@dataclass(frozen=True)
class Attempt:
    """What one attempt at compiling a report came to."""

    # The report's status afterwards; "missing", or "unknown" when the
    # database was down to say.
    status: str
    retry_in: float | None = None  # seconds before trying again, if it should
    error: Exception | None = None  # the transient error to retry after
    lease: str | None = None  # the lease the retry takes over


def retry_delay(retries: int) -> int:
    """Seconds to wait before retry number ``retries + 1``: 5, 10, 20, 40..."""
    return get_exponential_backoff_interval(
        factor=BACKOFF_FACTOR, retries=retries, maximum=BACKOFF_MAX, full_jitter=False
    )


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _drop_connection() -> None:
    """Close this thread's database connection after a database error.

    The next query then opens a new one, instead of failing again on the
    broken one. Inside a caller's transaction (a test's) the connection is
    the caller's to end.
    """
    if connection.in_atomic_block:
        return
    try:
        connection.close()
    except Exception as exc:  # closing a broken connection may fail too
        logger.debug("closing the broken connection: %s", exc)


def _record(write: Callable[[], None], report_id: int) -> bool:
    """Record an outcome if the database takes it; False if it is down."""
    try:
        write()
    except DATABASE_DOWN as exc:
        _drop_connection()
        logger.warning("summary %s: could not record the outcome: %s", report_id, exc)
        return False
    return True


def summary_attempt(
    *,
    report_id: int,
    retries: int = 0,
    wait: bool = True,
    lease: str | None = None,
    keep_alive: bool = False,
    between_steps: Callable[[], None] = lambda: None,
) -> Attempt:
    """Compile the report once and record the outcome: the one failure
    policy of the workers and of in-process mode.

    ``retries`` is how many attempts came before this one, ``lease`` the
    token an earlier one held. A transient error asks for another attempt
    after ``retry_delay(retries)`` seconds (at once when not ``wait``) until
    the last of ``MAX_ATTEMPTS``, which records the failure instead; any
    other error fails the report at once. A database error is not recorded
    (the connection it came from is closed, never written on): the retry
    takes the report back with the lease, and a report whose retries all
    met a database still down is left running, for the sweep to send again
    once its lease has run out. An attempt that lost its lease stops quietly.
    """
    held = lease
    try:
        claim = _claim(report_id, lease=lease)
        if claim is None:
            return Attempt(status=_status_of(report_id))
        report, holding = claim
        held = str(holding.token)
        return Attempt(
            status=_compile(
                report, holding, between_steps=between_steps, keep_alive=keep_alive
            )
        )
    except LeaseLost:
        logger.warning(
            "summary %s: another attempt took the report over; this one's work "
            "is discarded",
            report_id,
        )
        return Attempt(status=SummaryStatus.RUNNING)
    except TRANSIENT_ERRORS as exc:
        database = isinstance(exc, DATABASE_DOWN)
        if database:
            _drop_connection()
        reason = _reason(exc)
        if retries >= MAX_ATTEMPTS - 1:
            failed = _record(
                lambda: summary_fail(report_id=report_id, reason=reason, lease=held),
                report_id,
            )
            return Attempt(status=SummaryStatus.FAILED if failed else "unknown")
        countdown = retry_delay(retries) if wait else 0
        logger.warning(
            "summary %s attempt %s failed: %s; trying again in %d s",
            report_id,
            retries + 1,
            reason,
            countdown,
        )
        if not database:
            _record(
                lambda: summary_note_retry(
                    report_id=report_id, reason=reason, countdown=countdown, lease=held
                ),
                report_id,
            )
        return Attempt(
            status=SummaryStatus.RUNNING if database else SummaryStatus.QUEUED,
            retry_in=countdown,
            error=exc,
            lease=held,
        )
    except Exception as exc:  # a bug or bad data: retrying would not help
        logger.exception("summary %s failed", report_id)
        reason = _reason(exc)
        _record(
            lambda: summary_fail(report_id=report_id, reason=reason, lease=held),
            report_id,
        )
        return Attempt(status=SummaryStatus.FAILED)


def summary_compile_in_process(*, report_id: int) -> str:
    """In-process mode has no worker to come back later: retry at once."""
    retries, lease = 0, None
    while True:
        attempt = summary_attempt(
            report_id=report_id, retries=retries, wait=False, lease=lease
        )
        if attempt.retry_in is None:
            return attempt.status
        retries, lease = retries + 1, attempt.lease


def summary_note_retry(
    *, report_id: int, reason: str, countdown: float, lease: str | None
) -> None:
    """Record a transient failure that will be retried after ``countdown``.

    The attempt's lease is kept until the retry is due (and the stale
    interval after it), so the sweep does not send the report meanwhile.
    """
    until = timezone.now() + timedelta(seconds=countdown + lease_seconds())
    SummaryReport.objects.filter(pk=report_id, lease_token=lease).exclude(
        status__in=FINISHED
    ).update(
        status=SummaryStatus.QUEUED,
        progress=0,
        progress_note=(
            _("Temporary problem (%(reason)s); trying again in %(seconds)d s")
            % {"reason": reason, "seconds": round(countdown)}
        )[:200],
        error=reason,
        lease_until=until,
    )


def summary_fail(*, report_id: int, reason: str, lease: str | None = None) -> None:
    """Record that the report finally failed (shown with a Retry button).

    With ``lease``, only while that attempt still holds the report.
    """
    reports = SummaryReport.objects.filter(pk=report_id).exclude(
        status=SummaryStatus.DONE
    )
    if lease:
        reports = reports.filter(lease_token=lease)
    reports.update(
        status=SummaryStatus.FAILED,
        progress_note=_("Failed"),
        error=reason[:2000],
        finished_at=timezone.now(),
        lease_token=None,
        lease_until=None,
    )
    logger.error("summary %s failed: %s", report_id, reason)
