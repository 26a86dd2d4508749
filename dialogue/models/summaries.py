"""Summary reports, and whether the worker compiling one is still alive.

A report being compiled is held by one attempt through a lease
(``lease_token``, valid until ``lease_until``); each sign of life from its
worker (``heartbeat_at``, every ``heartbeat_seconds()``) extends the lease by
``lease_seconds()``. ``worker_state`` reads those fields and is the one rule
the summaries page (what it shows) and the sweep (what it sends again) both
follow. The timings are settings read when used, with these defaults:

* ``SUMMARY_HEARTBEAT_SECONDS`` (5): how often a compiling worker writes;
* ``SUMMARY_STALE_SECONDS`` (30): how long a sign of life holds the lease,
  i.e. how long after its last one a worker is taken to have stopped;
* ``SUMMARY_START_GRACE_SECONDS`` (120): how long a report handed to the
  broker may wait for a worker before it is taken to be lost and sent again.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from dialogue.models.workshops import Session, Workshop
from dialogue.vocabulary import Confidentiality, SummaryStatus, WorkerState


def heartbeat_seconds() -> float:
    return float(getattr(settings, "SUMMARY_HEARTBEAT_SECONDS", 5))


def lease_seconds() -> float:
    return float(getattr(settings, "SUMMARY_STALE_SECONDS", 30))


def start_grace_seconds() -> float:
    return float(getattr(settings, "SUMMARY_START_GRACE_SECONDS", 120))


def worker_state(report: "SummaryReport", *, now: datetime) -> WorkerState:
    """The one rule of whether a report's worker is alive, at ``now``."""
    if report.status in (SummaryStatus.DONE, SummaryStatus.FAILED):
        return WorkerState.FINISHED
    if report.status == SummaryStatus.QUEUED and report.queued_at is None:
        return WorkerState.UNSENT
    if report.lease_until is not None:
        if report.lease_until < now:
            return WorkerState.STOPPED
        if report.status == SummaryStatus.RUNNING:
            return WorkerState.WORKING
        return WorkerState.WAITING  # its attempt asked to be retried later
    if report.status == SummaryStatus.RUNNING:
        # Running without a lease: written by a worker from before leases.
        seen = report.heartbeat_at or report.started_at
        if seen is not None and seen < now - timedelta(seconds=lease_seconds()):
            return WorkerState.STOPPED
        return WorkerState.WORKING
    if report.queued_at < now - timedelta(seconds=start_grace_seconds()):
        return WorkerState.LOST
    return WorkerState.WAITING


class ReportStage(models.TextChoices):
    """What the page says of a report: one fact, for its entry in the list
    and the banner after it was requested (derived, never stored)."""

    COMPILING = "compiling"
    UNSENT = "unsent"  # recorded; the job queue cannot be reached yet
    STOPPED = "stopped"  # its worker stopped responding; sent again
    DONE = "done"
    FAILED = "failed"


def report_stage(report: "SummaryReport", *, now: datetime) -> ReportStage:
    """The one rule of what a report's entry and banner show, at ``now``."""
    if report.status == SummaryStatus.DONE:
        return ReportStage.DONE
    if report.status == SummaryStatus.FAILED:
        return ReportStage.FAILED
    state = worker_state(report, now=now)
    if state == WorkerState.UNSENT:
        return ReportStage.UNSENT
    if state == WorkerState.STOPPED:
        return ReportStage.STOPPED
    return ReportStage.COMPILING


def stage_announcement(version: int, stage: ReportStage) -> str:
    """The banner's sentence for a version at `stage`."""
    values = {"version": version}
    if stage == ReportStage.DONE:
        return _("Version %(version)d of the summary is ready.") % values
    if stage == ReportStage.FAILED:
        return _("Version %(version)d of the summary failed.") % values
    if stage == ReportStage.UNSENT:
        return (
            _(
                "Version %(version)d is recorded, but the job queue cannot be "
                "reached right now; it will be sent as soon as it can."
            )
            % values
        )
    if stage == ReportStage.STOPPED:
        return (
            _("Version %(version)d: the worker stopped responding; trying again.")
            % values
        )
    return _("Version %(version)d of the summary is being compiled.") % values


class SummaryReport(models.Model):
    """One compiled report of a session, or of the whole workshop (no
    session); every version is kept, numbered per session (per workshop for
    the workshop's report)."""

    workshop = models.ForeignKey(
        Workshop,
        on_delete=models.CASCADE,
        related_name="summaries",
        verbose_name=_("workshop"),
    )
    session = models.ForeignKey(
        Session,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="summaries",
        verbose_name=_("session"),
    )
    version = models.PositiveIntegerField(_("version"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    # None until the task has been handed to the broker; a request made while
    # the broker is down stays recorded and is sent later.
    queued_at = models.DateTimeField(_("sent to a worker"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SummaryStatus, default=SummaryStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    progress_note = models.CharField(_("progress note"), max_length=200, blank=True)
    confidentiality = models.CharField(
        _("compiled under"), max_length=20, choices=Confidentiality
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    # The attempt compiling the report, and until when it holds it.
    lease_token = models.UUIDField(_("lease"), null=True, blank=True, editable=False)
    lease_until = models.DateTimeField(_("lease until"), null=True, blank=True)
    markdown_file = models.FileField(_("Markdown"), upload_to="summaries/", blank=True)
    docx_file = models.FileField(_("DOCX"), upload_to="summaries/", blank=True)
    pdf_file = models.FileField(_("PDF"), upload_to="summaries/", blank=True)

    # The rapporteur's revision it was compiled with (None: no narrative),
    # and whether it is the final version, released after both sign-offs.
    draft_revision = models.ForeignKey(
        "ReportRevision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("report revision"),
    )
    final = models.BooleanField(_("final"), default=False)

    # The key of the form that requested it: the same request sent twice
    # finds this version instead of compiling another.
    submission_key = models.UUIDField(
        _("submission key"), null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["workshop", "session", "-version"]
        verbose_name = _("summary report")
        verbose_name_plural = _("summary reports")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "version"],
                condition=Q(session__isnull=False),
                name="summary_version_unique",
            ),
            models.UniqueConstraint(
                fields=["workshop", "version"],
                condition=Q(session__isnull=True),
                name="summary_workshop_version_unique",
            ),
            models.UniqueConstraint(
                fields=["workshop", "submission_key"], name="summary_requested_once"
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="summary_progress_percent"
            ),
        ]

    def __str__(self):
        scope = self.session if self.session_id else self.workshop
        return f"{scope}: summary v{self.version} ({self.status})"

    def save(self, *args, **kwargs):
        # A session's report belongs to its workshop: derived, never chosen.
        if self.session_id and not self.workshop_id:
            self.workshop_id = self.session.workshop_id
        super().save(*args, **kwargs)

    @property
    def worker_state(self) -> WorkerState:
        """``worker_state`` now, for the page (derived from this row alone)."""
        return worker_state(self, now=timezone.now())

    @cached_property
    def stage(self) -> ReportStage:
        """``report_stage`` now, read once per page for the entry and banner."""
        return report_stage(self, now=timezone.now())

    @property
    def announcement(self) -> str:
        return stage_announcement(self.version, self.stage)
