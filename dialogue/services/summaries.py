"""Business rules for session summaries: request, send, sweep, retry, read.

Life of a SummaryReport (one compiled version of a session's summary):

    requested (status queued, queued_at NULL)
      -> sent to the broker (queued_at set)         summary_send
      -> running (attempts + 1, a lease held)       summary_attempts._claim
      -> done (files stored) | failed (error)       summary_attempts

Compiling, its lease and its failure policy are ``summary_attempts``. This
module never imports the task: it sends the job to the broker by the task's
name (``TASK_NAME``), and in-process mode (no broker configured) runs the
attempts right here, with the same retries and failure handling as a worker
(``dialogue.tasks`` only adds Celery's countdown).

* Requesting and retrying are for the rapporteur and the organisers (or a
  staff user in the admin): both check ``permissions.request_summary_refusal``
  themselves. Closing a session requests its summary from inside
  ``session_set_phase``, which has checked its own rule (``_summary_queue``).
* A request is recorded first and sent to the broker after its transaction
  commits. If the broker cannot be reached the request stays recorded with
  ``queued_at`` NULL; ``summary_send_pending`` sends it later: after the
  next request that reaches the broker, and from the periodic sweep
  (the ``dialogue.send_pending_summaries`` task, scheduled for Celery beat
  in ``workshop/celery.py``, or ``manage.py send_pending_summaries`` from
  cron). Pages that show reports never send them: a GET does not write.
  Sending is claimed with a conditional UPDATE, so two senders never both
  send the same report.
* The sweep also sends again a report whose worker stopped responding (its
  lease ran out) or whose message no worker ever took (the broker lost it),
  as ``models.summaries.worker_state`` says, the rule the page shows too.
"""

from __future__ import annotations

import logging
import threading
import uuid
from datetime import timedelta
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connections, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from dialogue import permissions
from dialogue.errors import Forbidden, Refusal, require
from dialogue.live import session_touch
from dialogue.models import (
    Phase,
    ReportRevision,
    Session,
    SummaryFormat,
    SummaryReport,
    SummaryStatus,
    WorkerState,
    Workshop,
)
from dialogue.models.summaries import worker_state
from dialogue.services.summary_attempts import ACTIVE, summary_compile_in_process
from dialogue.summary.render import RENDERERS
from workshop.celery import app

logger = logging.getLogger(__name__)

TASK_NAME = "dialogue.compile_summary"
SWEEP_TASK_NAME = "dialogue.send_pending_summaries"
# The name of an in-process compile's thread: this prefix and the report id.
THREAD_PREFIX = "summary-compile-"
# Read from the one table of formats; kept for dialogue/admin_summaries.py.
CONTENT_TYPES = {fmt: renderer.content_type for fmt, renderer in RENDERERS.items()}
# What worker_state reads, and what the sweep's conditional UPDATE compares.
LIVENESS_FIELDS = (
    "pk",
    "status",
    "queued_at",
    "started_at",
    "heartbeat_at",
    "lease_token",
    "lease_until",
)


class SummaryError(Refusal):
    """A summary request the rules refuse; its `messages` say why."""


class SummaryForbidden(SummaryError, Forbidden):
    """The actor does not compile summaries (403)."""


# -- requesting and sending ----------------------------------------------------


def summary_request(
    *,
    session: Session | None = None,
    workshop: Workshop | None = None,
    by,
    submission_key: uuid.UUID | None = None,
    draft_revision: ReportRevision | None = None,
    final: bool = False,
) -> SummaryReport:
    """Record a new version of a report and queue its compilation: the
    session's summary, or with `workshop` (and no session) the report on
    the whole workshop.

    `by` is the rapporteur or an organiser (a Participant) or, from the
    admin, a staff user. The version is the next number for the session (or
    for the workshop's own report); the session's (workshop's) row is
    locked, so two requests at once get two versions. The task is sent
    after the transaction commits; with no broker reachable the report
    stays recorded, unsent, for ``summary_send_pending``. With a
    `submission_key` (the form's), the same request sent again returns the
    version it recorded the first time and records nothing.

    `draft_revision` is the rapporteur's text to compile with; `final` marks
    the version released after both sign-offs (``services.reports``, which
    checks those rules, is the one caller that passes it).
    """
    if (session is None) == (workshop is None):
        raise ValueError("a report is of a session or of a whole workshop")
    workshop_id = session.workshop_id if session is not None else workshop.pk
    require(permissions.request_summary_refusal(by, workshop_id), SummaryForbidden)
    return _summary_queue(
        session=session,
        workshop=workshop,
        user=permissions.acting_user(by),
        submission_key=submission_key,
        draft_revision=draft_revision,
        final=final,
    )


def _summary_queue(
    *,
    session: Session | None,
    user,
    workshop: Workshop | None = None,
    submission_key: uuid.UUID | None = None,
    draft_revision: ReportRevision | None = None,
    final: bool = False,
) -> SummaryReport:
    """Record and queue a new version, for a `user` already authorised."""
    with transaction.atomic():
        if session is not None:
            locked_session = (
                Session.objects.select_for_update()
                .select_related("workshop")
                .get(pk=session.pk)
            )
            scope = {"session": locked_session}
            locked_workshop = locked_session.workshop
        else:
            locked_session = None
            locked_workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
            scope = {"workshop": locked_workshop, "session__isnull": True}
        if submission_key is not None:
            earlier = SummaryReport.objects.filter(
                workshop=locked_workshop, submission_key=submission_key
            ).first()
            if earlier is not None:
                return earlier
        last = SummaryReport.objects.filter(**scope).aggregate(last=Max("version"))[
            "last"
        ]
        report = SummaryReport.objects.create(
            workshop=locked_workshop,
            session=locked_session,
            version=(last or 0) + 1,
            requested_by=user,
            confidentiality=locked_workshop.confidentiality,
            status=SummaryStatus.QUEUED,
            progress_note=_("Waiting for a worker"),
            submission_key=submission_key,
            draft_revision=draft_revision,
            final=final,
        )
        _touch(report)
        transaction.on_commit(lambda: _send_after_commit(report), robust=True)
    return report


def _touch(report: SummaryReport) -> None:
    """A session's page lists its summaries and is kept per version
    (dialogue.live). The workshop's own report is listed by pages that are
    not: bumping every session and item of the workshop (``workshop_touch``)
    for it would re-render every open discussion for nothing."""
    if report.session_id is not None:
        session_touch(session_id=report.session_id)


def _scope(report: SummaryReport) -> dict:
    """The sweep's scope for the reports beside `report`: its session's, or
    the workshop's own reports."""
    if report.session_id is not None:
        return {"session_id": report.session_id}
    return {"workshop_id": report.workshop_id}


def _send_after_commit(report: SummaryReport) -> None:
    if summary_send(report_id=report.pk):
        # The broker is back: send what an earlier outage left behind.
        summary_send_pending(**_scope(report))


def summary_retry(*, report: SummaryReport, by) -> SummaryReport:
    """Compile a failed report again (the same version), from the start.

    `by` as for ``summary_request``.
    """
    require(
        permissions.request_summary_refusal(by, report.workshop_id), SummaryForbidden
    )
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
        locked.heartbeat_at = None
        locked.lease_token = None
        locked.lease_until = None
        locked.save()
        _touch(locked)
        transaction.on_commit(lambda: summary_send(report_id=locked.pk), robust=True)
    logger.info(
        "summary %s v%s retried by %s",
        _scope(locked),
        locked.version,
        permissions.acting_user(by),
    )
    return locked


def summary_send(*, report_id: int) -> bool:
    """Hand the report's compilation to a worker; False if the broker is down.

    In-process mode (no broker configured) compiles in a background thread
    (``SUMMARY_IN_PROCESS=thread``, the default) or right here (``inline``,
    the test settings' choice: the test's own transaction). Otherwise
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
        if settings.SUMMARY_IN_PROCESS == "thread":
            summary_start_thread(report_id=report_id)
        else:
            _compile_here(report_id)
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


def _compile_here(report_id: int) -> None:
    try:
        summary_compile_in_process(report_id=report_id)
    except Exception:  # as a worker would: the request itself stands
        logger.exception("summary %s failed in-process", report_id)


def _compile_in_thread(report_id: int) -> None:
    try:
        _compile_here(report_id)
    finally:
        connections.close_all()  # this thread's own connection


def summary_start_thread(*, report_id: int) -> threading.Thread:
    """The embedded default's worker: compile in a background thread, so the
    request that asked answers at once and its page follows the progress bar
    as it does on Celery. Called after the request's transaction committed
    (``summary_send`` runs on commit), so the thread reads the report; its
    writes are short (progress, lease, files), and SQLite waits for a lock
    (``timeout`` in ``workshop/env.py``) rather than failing. Errors are
    recorded on the report by ``summary_attempt``, as a worker's are. A
    thread cut off by a server restart leaves a lease that runs out, and the
    next request's sweep sends the report again."""
    thread = threading.Thread(
        target=_compile_in_thread,
        args=(report_id,),
        name=f"{THREAD_PREFIX}{report_id}",
        daemon=True,
    )
    thread.start()
    return thread


def summary_send_pending(
    *,
    session_id: int | None = None,
    workshop_id: int | None = None,
    grace: timedelta = timedelta(seconds=5),
) -> int:
    """The sweep: send the reports still waiting for the broker, and again
    those whose worker stopped or whose message the broker lost; returns how
    many went.

    Which reports need sending again is ``worker_state``, the rule the page
    shows too: a lease that ran out (the worker died, or hangs) or a report
    sent long ago that no worker took (the broker restarted without
    persistence). Each is taken back with a conditional UPDATE on what was
    read, so a worker that shows a sign of life meanwhile keeps its report.
    A request of the last ``grace`` seconds is left to the request sending it.
    With `session_id`, only that session's reports; with `workshop_id`, only
    the workshop's own reports (on the whole workshop); otherwise all.
    """
    now = timezone.now()
    scope = _sweep_scope(session_id=session_id, workshop_id=workshop_id)
    rescued = _rescue(now=now, scope=scope)
    waiting = SummaryReport.objects.filter(
        status=SummaryStatus.QUEUED,
        queued_at__isnull=True,
        requested_at__lte=now - grace,
        **scope,
    )
    ids = list(waiting.order_by("requested_at", "pk").values_list("pk", flat=True))
    sent = 0
    for report_id in [*rescued, *(pk for pk in ids if pk not in rescued)]:
        if not summary_send(report_id=report_id):
            break  # the broker is down: the rest waits for the next try
        sent += 1
    return sent


def _sweep_scope(*, session_id: int | None, workshop_id: int | None) -> dict:
    if session_id is not None:
        return {"session_id": session_id}
    if workshop_id is not None:
        return {"workshop_id": workshop_id, "session__isnull": True}
    return {}


def _rescue(*, now, scope: dict) -> list[int]:
    """Take back, unsent, the reports whose worker stopped or message was lost."""
    active = (
        SummaryReport.objects.filter(
            status__in=ACTIVE, queued_at__isnull=False, **scope
        )
        .only(*LIVENESS_FIELDS)
        .order_by("requested_at", "pk")
    )
    rescued = []
    for report in active:
        state = worker_state(report, now=now)
        if state not in (WorkerState.STOPPED, WorkerState.LOST):
            continue
        taken = SummaryReport.objects.filter(
            **{name: getattr(report, name) for name in LIVENESS_FIELDS}
        ).update(
            status=SummaryStatus.QUEUED,
            queued_at=None,
            lease_token=None,
            lease_until=None,
            progress=0,
            progress_note=(
                _("The worker stopped responding; trying again.")
                if state == WorkerState.STOPPED
                else _("Waiting for a worker")
            ),
        )
        if taken:
            logger.warning(
                "summary %s: %s; sending it again",
                report.pk,
                "its worker stopped responding"
                if state == WorkerState.STOPPED
                else "no worker took it (the broker lost it?)",
            )
            rescued.append(report.pk)
    return rescued


def on_session_phase_change(*, session, old: str, new: str, by) -> None:
    """Called inside session_set_phase's transaction after the phase moved,
    by the user `by` whom it has authorised.

    Closing a session compiles its summary.
    """
    if new == Phase.CLOSED and old != Phase.CLOSED:
        _summary_queue(session=session, user=by)


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
    slug = report.workshop.slug
    final = "-final" if report.final else ""
    if report.session_id is None:
        return f"{slug}-workshop-report-v{report.version}{final}.{fmt}"
    number = report.session.number
    return f"{slug}-session-{number}-summary-v{report.version}{final}.{fmt}"
