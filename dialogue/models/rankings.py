from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dialogue.models.workshops import AgendaItem, Participant, Session

MAX_ROUNDS = 3


class RankingRound(models.Model):
    """One round of a Delphi ranking process on a session (at most three)."""

    session = models.ForeignKey(
        Session,
        on_delete=models.CASCADE,
        related_name="ranking_rounds",
        verbose_name=_("session"),
    )
    number = models.PositiveSmallIntegerField(_("round"))
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opened by"),
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )

    class Meta:
        ordering = ["session", "number"]
        verbose_name = _("ranking round")
        verbose_name_plural = _("ranking rounds")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "number"], name="ranking_round_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1) & Q(number__lte=MAX_ROUNDS),
                name="ranking_round_number_range",
            ),
            models.UniqueConstraint(
                fields=["session"],
                condition=Q(closed_at__isnull=True),
                name="ranking_one_open_round",
            ),
        ]

    def __str__(self):
        return f"{self.session}: round {self.number}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class Ranking(models.Model):
    """One participant's complete, secret ordering of a session's items."""

    round = models.ForeignKey(
        RankingRound,
        on_delete=models.CASCADE,
        related_name="rankings",
        verbose_name=_("round"),
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="rankings",
        verbose_name=_("participant"),
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)

    class Meta:
        verbose_name = _("ranking")
        verbose_name_plural = _("rankings")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "participant"], name="ranking_once_per_round"
            ),
        ]

    def __str__(self):
        # Never who or what: this string shows wherever Django lists the row
        # (the admin's delete confirmations among them), and a ballot is secret.
        return gettext("A ballot of %(round)s") % {"round": self.round}


class RankingEntry(models.Model):
    ranking = models.ForeignKey(
        Ranking,
        on_delete=models.CASCADE,
        related_name="entries",
        verbose_name=_("ranking"),
    )
    item = models.ForeignKey(
        AgendaItem,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("item"),
    )
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        ordering = ["ranking", "position"]
        verbose_name = _("ranking entry")
        verbose_name_plural = _("ranking entries")
        constraints = [
            models.UniqueConstraint(
                fields=["ranking", "item"], name="ranking_entry_item_once"
            ),
            models.UniqueConstraint(
                fields=["ranking", "position"], name="ranking_entry_position_once"
            ),
            models.CheckConstraint(
                condition=Q(position__gte=1), name="ranking_entry_position_positive"
            ),
        ]

    def __str__(self):
        return gettext("A position on a ballot")
