from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dialogue.models.workshops import (
    AgendaItem,
    AgendaPoint,
    Delegation,
    Participant,
    Workshop,
)
from dialogue.vocabulary import LinkDecision, LinkKind


class ItemLink(models.Model):
    """Two agenda items (or points of them) that mirror, relate to, contradict
    or duplicate each other, each end with the passage that shows it."""

    workshop = models.ForeignKey(
        Workshop,
        on_delete=models.CASCADE,
        related_name="links",
        verbose_name=_("workshop"),
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=LinkKind, default=LinkKind.MIRROR
    )
    item_a = models.ForeignKey(
        AgendaItem,
        on_delete=models.CASCADE,
        related_name="links_as_a",
        verbose_name=_("first item"),
    )
    point_a = models.ForeignKey(
        AgendaPoint,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("point of the first item"),
    )
    quote_a = models.TextField(_("passage of the first end"))
    item_b = models.ForeignKey(
        AgendaItem,
        on_delete=models.CASCADE,
        related_name="links_as_b",
        verbose_name=_("second item"),
    )
    point_b = models.ForeignKey(
        AgendaPoint,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("point of the second item"),
    )
    quote_b = models.TextField(_("passage of the second end"))
    note = models.TextField(_("note"), blank=True)
    # The two ends in a fixed order ("<item>.<point or 0>" twice, sorted): the
    # same pair is linked once, whichever end was named first (`pair_of`).
    pair = models.CharField(_("pair"), max_length=60, editable=False)
    suggested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("suggested by"),
    )
    # The delegation that suggested it; null for the organisers.
    suggested_for = models.ForeignKey(
        Delegation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="links_suggested",
        verbose_name=_("suggested on behalf of"),
    )
    created_at = models.DateTimeField(_("suggested"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("item link")
        verbose_name_plural = _("item links")
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "pair"], name="item_link_pair_once"
            ),
            models.CheckConstraint(
                condition=~Q(item_a=models.F("item_b")),
                name="item_link_ends_differ",
            ),
        ]

    def __str__(self):
        return f"{self.end_label('a')} ↔ {self.end_label('b')} ({self.kind})"

    @staticmethod
    def pair_of(item_a: int, point_a: int | None, item_b: int, point_b: int | None):
        """The `pair` value of two ends given by ids."""
        ends = sorted((f"{item_a}.{point_a or 0}", f"{item_b}.{point_b or 0}"))
        return "|".join(ends)

    def end_label(self, end: str) -> str:
        """ "1.5" for an item, "1.5, point 6" for one of its points."""
        item = getattr(self, f"item_{end}")
        point = getattr(self, f"point_{end}")
        label = f"{item.session.number}.{item.number}"
        if point is None:
            return label
        return str(
            _("%(item)s, point %(position)d")
            % {"item": label, "position": point.position}
        )


class LinkVerdict(models.Model):
    """One delegation's verdict on a link: pending until it decides."""

    link = models.ForeignKey(
        ItemLink,
        on_delete=models.CASCADE,
        related_name="verdicts",
        verbose_name=_("link"),
    )
    delegation = models.ForeignKey(
        Delegation,
        on_delete=models.CASCADE,
        related_name="link_verdicts",
        verbose_name=_("delegation"),
    )
    decision = models.CharField(
        _("verdict"),
        max_length=10,
        choices=LinkDecision,
        default=LinkDecision.PENDING,
    )
    decided_by = models.ForeignKey(
        Participant,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["delegation__code"]
        verbose_name = _("verdict on a link")
        verbose_name_plural = _("verdicts on links")
        constraints = [
            models.UniqueConstraint(
                fields=["link", "delegation"], name="link_verdict_once_per_side"
            ),
        ]

    def __str__(self):
        return f"{self.delegation.code}: {self.decision} on {self.link_id}"
