"""Accounts: personal sign-in links and per-user preferences."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dialogue import times
from dialogue.models.workshops import Participant


class Invitation(models.Model):
    """A personal sign-in link. Only the token's SHA-256 is stored."""

    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("participant"),
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.participant.user.get_username()} / {self.participant.workshop}"

    @property
    def state(self) -> str:
        if self.revoked_at:
            return "revoked"
        if self.used_at:
            return "used"
        if self.expires_at <= timezone.now():
            return "expired"
        return "valid"


class Profile(models.Model):
    """Per-user preferences kept across sessions and devices."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="dialogue_profile",
        verbose_name=_("user"),
    )
    language = models.CharField(_("language"), max_length=10, blank=True)
    # Blank: the workshop's zone (dialogue.times).
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        validators=[times.validate_zone],
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self):
        return f"{self.user.get_username()} ({self.language or '-'})"
