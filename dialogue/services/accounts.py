"""Invitations, the sign-in throttle, language and time-zone preferences and
the organisers' staff group."""

import datetime as dt
import hashlib
import logging
import secrets
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dialogue import times
from dialogue.errors import Refusal
from dialogue.models import Invitation, Participant, Profile

ORGANISERS_GROUP = "Organisers"


logger = logging.getLogger(__name__)


class InvitationError(Refusal):
    """An invitation that cannot be used; `reason` is used, expired, revoked,
    ineligible or unknown, and the message says what to do. An unknown link
    is a 404 (it gives away nothing), the others are gone (410)."""

    def __init__(self, reason: str, message: str):
        self.reason = reason
        super().__init__(
            message, code=reason, status=404 if reason == "unknown" else 410
        )


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: Invitation
    token: str

    @property
    def url(self) -> str:
        return settings.SITE_URL + reverse("invitation_accept", args=[self.token])


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_refusal(*, user) -> str | None:
    """Why this user cannot be invited, or None.

    An invitation sets a password without knowing the old one, so it is only
    for accounts that have none yet, and never for staff: otherwise an
    organiser could take over an account by adding it to a workshop.
    """
    if user.is_staff or user.is_superuser:
        return _("%(name)s is a staff account: staff sign in with their password.") % {
            "name": user.get_username()
        }
    if user.has_usable_password():
        return _("%(name)s has already chosen a password: they sign in with it.") % {
            "name": user.get_username()
        }
    return None


def invitation_issue(
    *, participant: Participant, by=None, days: int | None = None
) -> IssuedInvitation:
    """A new personal link for a participant; earlier unused links are revoked.

    Only the token's hash is stored, so the link is shown once, here.
    """
    refusal = invitation_refusal(user=participant.user)
    if refusal:
        raise InvitationError("ineligible", refusal)
    days = settings.INVITATION_DAYS if days is None else days
    if days < 1:
        raise ValueError("an invitation must be valid for at least one day")
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        participant.invitations.filter(
            used_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now)
        invitation = Invitation.objects.create(
            participant=participant,
            token_hash=_hash(token),
            created_by=by,
            created_at=now,
            expires_at=now + dt.timedelta(days=days),
        )
    return IssuedInvitation(invitation=invitation, token=token)


def invitations_issue_for_workshop(
    *, workshop, by
) -> tuple[list[tuple[Participant, IssuedInvitation]], list[tuple[Participant, str]]]:
    """New links for every participant of the workshop who can be invited
    (no password yet, not staff), for the organisers' printable sheet;
    earlier unused links of those people stop working. Returns (issued,
    refused with the reason), each in the roster's order."""
    issued, refused = [], []
    participants = (
        Participant.objects.filter(workshop=workshop)
        .select_related("user", "workshop", "delegation")
        .order_by("delegation__code", "role", "user__username")
    )
    for participant in participants:
        refusal = invitation_refusal(user=participant.user)
        if refusal:
            refused.append((participant, refusal))
        else:
            issued.append(
                (participant, invitation_issue(participant=participant, by=by))
            )
    return issued, refused


def invitation_revoke(*, invitation: Invitation) -> bool:
    updated = Invitation.objects.filter(
        pk=invitation.pk, used_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    return bool(updated)


def invitation_check(*, token: str) -> Invitation:
    """The invitation for a token, or InvitationError saying why it cannot be used."""
    invitation = (
        Invitation.objects.select_related("participant__user", "participant__workshop")
        .filter(token_hash=_hash(token or ""))
        .first()
    )
    if invitation is None:
        raise InvitationError(
            "unknown",
            _("This invitation link is not valid. Check that you copied all of it."),
        )
    state = invitation.state
    if state == "used":
        raise InvitationError(
            "used",
            _(
                "This invitation link has already been used. Sign in with your password."
            ),
        )
    if state == "revoked":
        raise InvitationError(
            "revoked",
            _("This invitation link was withdrawn. Ask the organisers for a new one."),
        )
    if state == "expired":
        raise InvitationError(
            "expired",
            _("This invitation link has expired. Ask the organisers for a new one."),
        )
    return invitation


def invitation_accept(*, token: str) -> Invitation:
    """Mark the invitation used, exactly once even if two requests race."""
    invitation = invitation_check(token=token)
    refusal = invitation_refusal(user=invitation.participant.user)
    if refusal:
        invitation_revoke(invitation=invitation)
        raise InvitationError("ineligible", refusal)
    used = Invitation.objects.filter(
        pk=invitation.pk, used_at__isnull=True, revoked_at__isnull=True
    ).update(used_at=timezone.now())
    if not used:
        raise InvitationError(
            "used",
            _(
                "This invitation link has already been used. Sign in with your password."
            ),
        )
    invitation.refresh_from_db()
    return invitation


# The sign-in throttle. Counts live in the cache (Redis in production), keyed
# by username and by client address; each key expires with the window. Every
# attempt is counted before the password is checked, so parallel guesses
# cannot slip past the limit; a success then takes its own attempt back, so
# only failures add up: a workshop room behind one NAT address can sign in
# all day, while guessing from it is still limited.


def throttle_username(username: str) -> str:
    """The username as the throttle counts it: NFKC, as the sign-in form and
    Django's UsernameField normalise it, then case-folded, so a lookalike
    ("ｔhrottle-user" with a full-width t) counts against the real account."""
    return unicodedata.normalize("NFKC", username or "").strip().casefold()


def _keys(username: str, address: str) -> list[tuple[str, int]]:
    limit = settings.LOGIN_FAILURE_LIMIT
    digest = hashlib.sha256(throttle_username(username).encode()).hexdigest()
    return [
        (f"signin:user:{digest}", limit),
        (f"signin:addr:{address}", limit * 4),
    ]


def _count(key: str) -> int:
    cache.add(key, 0, timeout=settings.LOGIN_FAILURE_WINDOW)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW)
        return 1


def signin_attempt(*, username: str, address: str) -> bool:
    """Count one attempt; False when the username or the address is over its
    limit for the current window (the attempt must then be refused)."""
    return all(_count(key) <= limit for key, limit in _keys(username, address))


def signin_succeeded(*, username: str, address: str) -> None:
    """A correct password: clear the username's failures and take this
    attempt off the address's count."""
    user_key, address_key = (key for key, _limit in _keys(username, address))
    cache.delete(user_key)
    try:
        if cache.decr(address_key) < 0:
            cache.set(address_key, 0, timeout=settings.LOGIN_FAILURE_WINDOW)
    except ValueError:  # expired meanwhile: nothing to take back
        pass


def warn_if_throttle_is_per_process() -> None:
    """Without CACHE_URL the cache (sessions' fast path and the throttle) is
    per process: with several gunicorn workers the sign-in limit then holds
    per worker only. Said once at start-up when DEBUG is off."""
    if settings.DEBUG or "locmem" not in settings.CACHES["default"]["BACKEND"]:
        return
    logger.warning(
        "CACHE_URL is not set: the sign-in throttle and the session cache are "
        "per process. With more than one web process, set CACHE_URL=redis://..."
    )


def profile_set_language(*, user, language: str) -> None:
    codes = {code for code, _name in settings.LANGUAGES}
    if language not in codes:
        raise ValueError(f"{language!r} is not an interface language")
    Profile.objects.update_or_create(user=user, defaults={"language": language})


def profile_language(*, user) -> str | None:
    return (
        Profile.objects.filter(user=user).values_list("language", flat=True).first()
        or None
    )


def profile_set_time_zone(*, user, time_zone: str) -> None:
    """Remember the user's own time zone; "" goes back to the workshop's."""
    if time_zone and not times.is_zone(time_zone):
        raise ValueError(f"{time_zone!r} is not a time zone")
    Profile.objects.update_or_create(user=user, defaults={"time_zone": time_zone})


def profile_time_zone(*, user) -> str | None:
    return (
        Profile.objects.filter(user=user).values_list("time_zone", flat=True).first()
        or None
    )


def organisers_group() -> Group:
    """The staff group that may manage everything in the dialogue app, with
    every dialogue permission (created or brought up to date)."""
    group, _created = Group.objects.get_or_create(name=ORGANISERS_GROUP)
    group.permissions.set(Permission.objects.filter(content_type__app_label="dialogue"))
    return group
