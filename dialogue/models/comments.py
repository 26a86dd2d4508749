from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dialogue.models.workshops import AgendaItem, AgendaPoint, Participant, Session
from dialogue.vocabulary import CommentState


class Comment(models.Model):
    item = models.ForeignKey(
        AgendaItem,
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=_("agenda item"),
    )
    point = models.ForeignKey(
        AgendaPoint,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("point"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("reply to"),
    )
    author = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=_("author"),
    )
    body = models.TextField(_("text"))
    state = models.CharField(
        _("state"), max_length=10, choices=CommentState, default=CommentState.VISIBLE
    )
    created_at = models.DateTimeField(_("posted"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)
    hidden_by = models.ForeignKey(
        Participant,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hidden by"),
    )
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    # Kept in step with Endorsement rows by the services (F() updates), so
    # lists can sort and show counts without a join.
    endorsement_count = models.PositiveIntegerField(_("endorsements"), default=0)
    # The key of the form that posted it: the same submission sent again (a
    # retry, a second click, a reload after a dropped answer) finds this
    # comment instead of creating another.
    submission_key = models.UUIDField(
        _("submission key"), null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [models.Index(fields=["item", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state=CommentState.HIDDEN) | ~Q(hidden_reason=""),
                name="comment_hidden_has_reason",
            ),
            models.UniqueConstraint(
                fields=["author", "submission_key"],
                name="comment_submitted_once",
            ),
        ]

    def __str__(self):
        return f"#{self.pk} on {self.item}: {self.body[:50]}"


class Endorsement(models.Model):
    comment = models.ForeignKey(
        Comment,
        on_delete=models.CASCADE,
        related_name="endorsements",
        verbose_name=_("comment"),
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="endorsements",
        verbose_name=_("participant"),
    )
    created_at = models.DateTimeField(_("endorsed"), default=timezone.now)

    class Meta:
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "participant"], name="endorse_once"
            ),
        ]

    def __str__(self):
        return f"{self.participant} endorses #{self.comment_id}"


class FocusChange(models.Model):
    """Who marked which item as under discussion, and when."""

    session = models.ForeignKey(
        Session,
        on_delete=models.CASCADE,
        related_name="focus_changes",
        verbose_name=_("session"),
    )
    item = models.ForeignKey(
        AgendaItem,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("item"),
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("item under discussion")
        verbose_name_plural = _("items under discussion")

    def __str__(self):
        return f"{self.session}: {self.item or '-'}"
