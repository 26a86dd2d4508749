from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dialogue.models.workshops import AgendaItem, Delegation, Participant, Workshop
from dialogue.vocabulary import (
    EndorsementVia,
    MeasureEventKind,
    MeasureStatus,
    MeasureType,
    Reversibility,
    Sequencing,
    Stance,
)


class ReciprocalMeasure(models.Model):
    """'Our side would do X if yours does Y', one revision of it."""

    workshop = models.ForeignKey(
        Workshop,
        on_delete=models.CASCADE,
        related_name="measures",
        verbose_name=_("workshop"),
    )
    proposer = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="measures",
        verbose_name=_("proposer"),
    )
    proposing_delegation = models.ForeignKey(
        Delegation,
        on_delete=models.RESTRICT,
        related_name="measures_proposed",
        verbose_name=_("proposing delegation"),
    )
    title = models.CharField(_("title"), max_length=200)
    our_action = models.TextField(_("what the proposing side would do"))
    their_action = models.TextField(
        _("what the other side would do"),
        blank=True,
        help_text=_(
            "Leave empty for a unilateral initiative that invites reciprocation."
        ),
    )
    sequencing = models.CharField(
        _("sequencing"),
        max_length=20,
        choices=Sequencing,
        default=Sequencing.SIMULTANEOUS,
    )
    conditionality = models.TextField(_("conditions"), blank=True)
    verification = models.TextField(_("how it would be verified"), blank=True)
    timeframe = models.CharField(_("timeframe"), max_length=200, blank=True)
    reversibility = models.CharField(
        _("reversibility"),
        max_length=20,
        choices=Reversibility,
        default=Reversibility.REVERSIBLE,
    )
    measure_type = models.CharField(
        _("type"), max_length=20, choices=MeasureType, default=MeasureType.OTHER
    )
    items = models.ManyToManyField(
        AgendaItem, related_name="measures", verbose_name=_("agenda items")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=MeasureStatus, default=MeasureStatus.DRAFT
    )
    revision_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="counters",
        verbose_name=_("counter to"),
    )
    # The first revision of the chain (itself for an original), so a whole
    # chain is one indexed query.
    root = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("original"),
    )
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    proposed_at = models.DateTimeField(_("proposed"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # The key of the form that created it: the same proposal sent twice finds
    # this measure instead of creating another.
    submission_key = models.UUIDField(
        _("submission key"), null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("reciprocal measure")
        verbose_name_plural = _("reciprocal measures")
        constraints = [
            models.CheckConstraint(
                condition=Q(status=MeasureStatus.DRAFT) | Q(proposed_at__isnull=False),
                name="measure_proposed_has_date",
            ),
            models.UniqueConstraint(
                fields=["proposer", "submission_key"], name="measure_submitted_once"
            ),
        ]

    def __str__(self):
        # A draft is its proposer's alone: wherever Django lists the row (the
        # admin's delete confirmations among them) it is not named.
        if self.status == MeasureStatus.DRAFT:
            return gettext("A draft measure (private to its proposer)")
        return f"{self.title} (r{self.revision})"


class MeasureResponse(models.Model):
    """One delegate's answer to a measure; a second answer replaces the first."""

    measure = models.ForeignKey(
        ReciprocalMeasure,
        on_delete=models.CASCADE,
        related_name="responses",
        verbose_name=_("measure"),
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="measure_responses",
        verbose_name=_("participant"),
    )
    stance = models.CharField(_("answer"), max_length=25, choices=Stance)
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(_("answered"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("answer to a measure")
        verbose_name_plural = _("answers to measures")
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "participant"], name="measure_answer_once"
            ),
        ]

    def __str__(self):
        return f"{self.participant}: {self.stance} on {self.measure}"


class MeasureEndorsement(models.Model):
    """A delegation's endorsement of a measure: by its head, or by majority."""

    measure = models.ForeignKey(
        ReciprocalMeasure,
        on_delete=models.CASCADE,
        related_name="endorsements",
        verbose_name=_("measure"),
    )
    delegation = models.ForeignKey(
        Delegation,
        on_delete=models.CASCADE,
        related_name="measure_endorsements",
        verbose_name=_("delegation"),
    )
    via = models.CharField(_("endorsed by"), max_length=10, choices=EndorsementVia)
    endorsed_by = models.ForeignKey(
        Participant,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("head who endorsed"),
    )
    endorsed_at = models.DateTimeField(_("endorsed"), default=timezone.now)

    class Meta:
        verbose_name = _("delegation endorsement")
        verbose_name_plural = _("delegation endorsements")
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "delegation"], name="measure_endorsed_once_per_side"
            ),
        ]

    def __str__(self):
        return f"{self.delegation.code} endorses {self.measure}"


class MeasureEvent(models.Model):
    """The measure's history: every status change, answer and edit, with who."""

    measure = models.ForeignKey(
        ReciprocalMeasure,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("measure"),
    )
    kind = models.CharField(_("what"), max_length=30, choices=MeasureEventKind)
    from_status = models.CharField(
        _("from"), max_length=20, choices=MeasureStatus, blank=True
    )
    to_status = models.CharField(
        _("to"), max_length=20, choices=MeasureStatus, blank=True
    )
    actor = models.ForeignKey(
        Participant,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("measure event")
        verbose_name_plural = _("measure events")

    def __str__(self):
        return f"{self.measure}: {self.kind}"

    def describe(self) -> str:
        """The event as a line of the measure's history, translated: what its
        actor did ("answered “Support”"), from the kind and its detail."""
        detail = self.detail or {}
        kind = self.kind
        if kind in _PLAIN_SENTENCES:
            return str(_PLAIN_SENTENCES[kind])
        stances = dict(Stance.choices)
        code = detail.get("delegation", "")
        if kind == MeasureEventKind.ANSWERED:
            return _("answered “%(stance)s”") % {
                "stance": stances.get(detail.get("stance"), "")
            }
        if kind == MeasureEventKind.ANSWER_CHANGED:
            return _("changed the answer from “%(previous)s” to “%(stance)s”") % {
                "previous": stances.get(detail.get("previous_stance"), ""),
                "stance": stances.get(detail.get("stance"), ""),
            }
        if kind == MeasureEventKind.ENDORSED:
            if detail.get("via") == EndorsementVia.HEAD:
                return _("endorsed it on behalf of %(code)s") % {"code": code}
            return _("a majority of %(code)s now supports it") % {"code": code}
        if kind == MeasureEventKind.ENDORSEMENT_LOST:
            return _("the majority of %(code)s no longer supports it") % {"code": code}
        if kind == MeasureEventKind.COUNTERED:
            return _("made this counter-proposal to revision %(revision)s") % {
                "revision": detail.get("revision_of", "")
            }
        if kind == MeasureEventKind.SUPERSEDED:
            return _("superseded it with revision %(revision)s") % {
                "revision": detail.get("revision", "")
            }
        return kind


# The kinds whose line needs nothing from the detail.
_PLAIN_SENTENCES = {
    MeasureEventKind.CREATED: _("created it"),
    MeasureEventKind.PROPOSED: _("proposed it"),
    MeasureEventKind.EDITED: _("edited it"),
    MeasureEventKind.WITHDRAWN: _("withdrew it"),
    MeasureEventKind.IMPORTED: _("imported from a workshop file"),
}
