"""The rapporteur's report: a written narrative, reviewed before release.

Each session has at most one `ReportDraft`, and the workshop one more of
its own (``session`` empty): the whole workshop's report. The rapporteur
writes it as numbered `ReportRevision`s (key takeaways, a narrative per
agenda item, or per session in the workshop's report, and the leads of
convergence, divergence and open questions), citing remarks as ``[#c123]``
(``dialogue.report_text``). Sent for review, one revision is read by every
participant, who may file a `ReportCorrection` on one of its paragraphs;
the rapporteur accepts or declines each. The heads of both delegations then
sign that revision off (`ReportSignOff`), and the final version is compiled
as a `SummaryReport` marked final.

Until it is sent for review, a draft is seen by the rapporteur and the
facilitator only (``dialogue.permissions.reports``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dialogue.models.workshops import Delegation, Participant, Session, Workshop
from dialogue.vocabulary import CorrectionKind, CorrectionStatus, ReportState


class ReportDraft(models.Model):
    workshop = models.ForeignKey(
        Workshop,
        on_delete=models.CASCADE,
        related_name="report_drafts",
        verbose_name=_("workshop"),
    )
    # Empty: the report on the whole workshop.
    session = models.ForeignKey(
        Session,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="report_drafts",
        verbose_name=_("session"),
    )
    state = models.CharField(
        _("state"), max_length=12, choices=ReportState, default=ReportState.DRAFTING
    )
    # The number of the latest revision (0: none yet): an edit names the
    # revision it was made on, and one made on an older one is refused.
    revision = models.PositiveIntegerField(_("latest revision"), default=0)
    # The revision the participants review and the heads sign off.
    review_revision = models.ForeignKey(
        "ReportRevision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revision under review"),
    )
    review_deadline = models.DateTimeField(_("review deadline"), null=True, blank=True)
    sent_for_review_at = models.DateTimeField(
        _("sent for review"), null=True, blank=True
    )
    released_at = models.DateTimeField(_("released"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("released by"),
    )
    # Bumped by every write of the draft (dialogue.live): the pages' ETag.
    version = models.PositiveBigIntegerField(_("version"), default=0, editable=False)

    class Meta:
        ordering = ["workshop", "session__number"]
        verbose_name = _("report draft")
        verbose_name_plural = _("report drafts")
        constraints = [
            models.UniqueConstraint(
                fields=["session"],
                condition=Q(session__isnull=False),
                name="report_one_per_session",
            ),
            models.UniqueConstraint(
                fields=["workshop"],
                condition=Q(session__isnull=True),
                name="report_one_per_workshop",
            ),
        ]

    def __str__(self):
        if self.session_id:
            return f"{self.session}: report"
        return f"{self.workshop}: workshop report"


class ReportRevision(models.Model):
    draft = models.ForeignKey(
        ReportDraft,
        on_delete=models.CASCADE,
        related_name="revisions",
        verbose_name=_("report draft"),
    )
    number = models.PositiveIntegerField(_("revision"))
    takeaways = models.TextField(_("key takeaways"), blank=True)
    # {"3": "..."}: the narrative of item 3 (of session 3 in the workshop's
    # report), by number as text.
    narratives = models.JSONField(_("narratives"), default=dict, blank=True)
    convergence = models.TextField(_("convergence"), blank=True)
    divergence = models.TextField(_("divergence"), blank=True)
    open_questions = models.TextField(_("open questions"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        ordering = ["draft", "number"]
        verbose_name = _("report revision")
        verbose_name_plural = _("report revisions")
        constraints = [
            models.UniqueConstraint(
                fields=["draft", "number"], name="report_revision_unique"
            )
        ]

    def __str__(self):
        return f"{self.draft} r{self.number}"


class ReportCorrection(models.Model):
    """A participant's correction to one paragraph of the revision in review."""

    draft = models.ForeignKey(
        ReportDraft,
        on_delete=models.CASCADE,
        related_name="corrections",
        verbose_name=_("report draft"),
    )
    revision = models.ForeignKey(
        ReportRevision,
        on_delete=models.CASCADE,
        related_name="corrections",
        verbose_name=_("revision"),
    )
    # "takeaways", "convergence", "divergence", "open_questions" or
    # "narrative:3", and the paragraph's number in it, from 1.
    section = models.CharField(_("section"), max_length=40)
    paragraph = models.PositiveSmallIntegerField(_("paragraph"))
    kind = models.CharField(_("kind"), max_length=16, choices=CorrectionKind)
    note = models.TextField(_("what is wrong"))
    suggestion = models.TextField(_("suggested wording"), blank=True)
    filed_by = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("filed by"),
    )
    created_at = models.DateTimeField(_("filed"), auto_now_add=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CorrectionStatus,
        default=CorrectionStatus.OPEN,
    )
    reason = models.TextField(_("reason"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    # The revision the accepted wording went into, when it was applied.
    applied_in = models.ForeignKey(
        ReportRevision,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("applied in"),
    )
    submission_key = models.UUIDField(
        _("submission key"), null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("report correction")
        verbose_name_plural = _("report corrections")
        constraints = [
            models.UniqueConstraint(
                fields=["filed_by", "submission_key"], name="report_correction_once"
            )
        ]

    def __str__(self):
        return f"{self.draft}: {self.section} ¶{self.paragraph}"


class ReportSignOff(models.Model):
    """A delegation head's sign-off of the revision in review."""

    revision = models.ForeignKey(
        ReportRevision,
        on_delete=models.CASCADE,
        related_name="sign_offs",
        verbose_name=_("revision"),
    )
    delegation = models.ForeignKey(
        Delegation,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("delegation"),
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("signed off by"),
    )
    created_at = models.DateTimeField(_("signed off"), auto_now_add=True)

    class Meta:
        ordering = ["revision", "delegation__code"]
        verbose_name = _("report sign-off")
        verbose_name_plural = _("report sign-offs")
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "delegation"], name="report_signed_once"
            )
        ]

    def __str__(self):
        return f"{self.revision}: {self.delegation.code}"
