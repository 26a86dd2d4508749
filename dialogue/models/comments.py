from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from dialogue import user_text
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
    # `body` rendered by dialogue.user_text.render_markdown when it is written
    # (services) and again when that renderer's RENDER_VERSION moves on
    # (selectors re-render stale rows): pages never run Markdown per view.
    body_html = models.TextField(_("text as HTML"), blank=True, editable=False)
    body_html_version = models.PositiveSmallIntegerField(
        _("renderer version"), default=0, editable=False
    )
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

    # The item's version (AgendaItem.version) when this comment was posted,
    # and when it last changed in any way a reader sees (edit, withdrawal,
    # moderation, an endorsement): set by dialogue.live.item_touch only. A
    # poll that has version V gets the comments changed after V (a delta).
    created_at_version = models.PositiveBigIntegerField(
        _("posted at version"), default=0, editable=False
    )
    changed_at_version = models.PositiveBigIntegerField(
        _("changed at version"), default=0, editable=False
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

    def render_body(self) -> None:
        """Fill `body_html` from `body` with the current renderer (not saved)."""
        self.body_html = str(user_text.render_markdown(self.body))
        self.body_html_version = user_text.RENDER_VERSION

    @property
    def body_html_is_stale(self) -> bool:
        return self.body_html_version != user_text.RENDER_VERSION

    @property
    def body_html_safe(self) -> SafeString:
        """The stored HTML for templates. Safe to mark: it is only ever written
        by `render_body`, i.e. the output of render_markdown (markdown-it with
        raw HTML off, then nh3 with an allow-list), never typed by anyone."""
        return mark_safe(self.body_html)  # noqa: S308 - nh3 output, see above


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
