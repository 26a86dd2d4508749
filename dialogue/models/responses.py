"""Each side's answer to the recommendations addressed to it.

A workshop's `ResponseRound` is opened by an organiser or facilitator. For
every item (and for any of its points) the delegation it is addressed to
keeps one `Response`, drafted inside the delegation as numbered
`ResponseRevision`s and adopted under the workshop's endorsement rule
(`ResponseAdoption`: the head's, or one per delegate until a majority). Until
the round is revealed nobody outside the answering delegation sees a
revision; afterwards everyone in the workshop sees each response's adopted
revision, and `ResponseReply` threads follow it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dialogue.models.measures import ReciprocalMeasure
from dialogue.models.workshops import (
    AgendaItem,
    AgendaPoint,
    Delegation,
    Participant,
    Workshop,
)
from dialogue.vocabulary import EndorsementVia, ResponseReplyKind, ResponseStance


class ResponseRound(models.Model):
    workshop = models.OneToOneField(
        Workshop,
        on_delete=models.CASCADE,
        related_name="response_round",
        verbose_name=_("workshop"),
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("opened by"),
    )
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)
    revealed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revealed by"),
    )
    revealed_at = models.DateTimeField(_("revealed"), null=True, blank=True)
    # What was still unanswered when the round was revealed early: one
    # {"delegation": code, "ref": "1.3" or "1.3.2"} per response.
    unanswered = models.JSONField(_("unanswered at the reveal"), default=list)
    # Bumped by every write of the round (dialogue.live): the pages' ETag.
    version = models.PositiveBigIntegerField(_("version"), default=0, editable=False)

    class Meta:
        verbose_name = _("response round")
        verbose_name_plural = _("response rounds")

    def __str__(self):
        return f"{self.workshop}: responses"

    @property
    def revealed(self) -> bool:
        return self.revealed_at is not None


class Response(models.Model):
    round = models.ForeignKey(
        ResponseRound,
        on_delete=models.CASCADE,
        related_name="responses",
        verbose_name=_("round"),
    )
    delegation = models.ForeignKey(
        Delegation,
        on_delete=models.CASCADE,
        related_name="responses",
        verbose_name=_("answering delegation"),
    )
    item = models.ForeignKey(
        AgendaItem,
        on_delete=models.CASCADE,
        related_name="responses",
        verbose_name=_("agenda item"),
    )
    point = models.ForeignKey(
        AgendaPoint,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="responses",
        verbose_name=_("point"),
    )
    # The number of the latest revision (0: none yet): an edit names the
    # revision it was made on, and one made on an older one is refused.
    revision = models.PositiveIntegerField(_("latest revision"), default=0)
    adopted = models.ForeignKey(
        "ResponseRevision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("adopted revision"),
    )

    class Meta:
        ordering = ["item__session__number", "item__number", "point__position", "id"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "delegation", "item"],
                condition=Q(point__isnull=True),
                name="response_one_per_item",
            ),
            models.UniqueConstraint(
                fields=["round", "delegation", "point"],
                condition=Q(point__isnull=False),
                name="response_one_per_point",
            ),
        ]

    def __str__(self):
        return f"{self.delegation.code} → {self.ref}"

    @property
    def ref(self) -> str:
        """ "1.3" for item 3 of session 1, "1.3.2" for its second point."""
        ref = f"{self.item.session.number}.{self.item.number}"
        return f"{ref}.{self.point.position}" if self.point_id else ref


class ResponseRevision(models.Model):
    response = models.ForeignKey(
        Response,
        on_delete=models.CASCADE,
        related_name="revisions",
        verbose_name=_("response"),
    )
    number = models.PositiveIntegerField(_("revision"))
    stance = models.CharField(_("stance"), max_length=24, choices=ResponseStance)
    reasoning = models.TextField(_("reasoning"))
    conditions = models.TextField(_("what would make it acceptable"), blank=True)
    asks_measure = models.ForeignKey(
        ReciprocalMeasure,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reciprocal measure asked in return"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    after_reveal = models.BooleanField(_("revised after the reveal"), default=False)
    # When it became the delegation's adopted answer (None: never adopted).
    adopted_at = models.DateTimeField(_("adopted"), null=True, blank=True)

    class Meta:
        ordering = ["response", "number"]
        verbose_name = _("response revision")
        verbose_name_plural = _("response revisions")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "number"], name="response_revision_unique"
            )
        ]

    def __str__(self):
        return f"{self.response} r{self.number}"


class ResponseAdoption(models.Model):
    """A delegate's adoption of one revision: the head's alone adopts it,
    or, by majority, one of the votes that together do."""

    revision = models.ForeignKey(
        ResponseRevision,
        on_delete=models.CASCADE,
        related_name="adoptions",
        verbose_name=_("revision"),
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("adopted by"),
    )
    via = models.CharField(_("as"), max_length=10, choices=EndorsementVia)
    created_at = models.DateTimeField(_("adopted"), auto_now_add=True)

    class Meta:
        verbose_name = _("response adoption")
        verbose_name_plural = _("response adoptions")
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "participant"], name="response_adopted_once"
            )
        ]

    def __str__(self):
        return f"{self.revision}: {self.participant_id}"


class ResponseReply(models.Model):
    response = models.ForeignKey(
        Response,
        on_delete=models.CASCADE,
        related_name="replies",
        verbose_name=_("response"),
    )
    author = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("author"),
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=ResponseReplyKind, default="reply"
    )
    body = models.TextField(_("text"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    submission_key = models.UUIDField(
        _("submission key"), null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("reply to a response")
        verbose_name_plural = _("replies to responses")
        constraints = [
            models.UniqueConstraint(
                fields=["author", "submission_key"], name="response_reply_once"
            )
        ]

    def __str__(self):
        return f"{self.response}: {self.get_kind_display()}"
