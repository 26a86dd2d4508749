"""How times are shown: in which zone, and how the zone is written.

* Every workshop has a time zone (``Workshop.time_zone``, an IANA name such
  as "Asia/Shanghai"). Each person may choose their own (their profile,
  carried in a cookie like the language, so finding it costs no query);
  without a choice, the pages of a workshop use the workshop's zone, and
  pages outside any workshop the site's (``settings.TIME_ZONE``).
* ``workshop.middleware.TimeZoneMiddleware`` activates the person's choice
  (``activate_for_request``) for every request; the workshop gate
  (``selectors.workshops.participation_get``) then calls
  ``workshop_entered``, which switches to the workshop's zone only when the
  person chose none. The live ETags carry ``etag_part`` so a new choice is
  never answered with a 304 of the old page.
* Every time a page shows says its zone as an offset from UTC
  (``zone_label``: "UTC+8", "UTC−5", "UTC+5:30", "UTC"), which reads the
  same in English and Chinese and cannot be mistaken (CST is both China
  and the U.S. Central zone). ``when`` is the one format of a moment:
  the language's DATETIME_FORMAT, then the zone. ``<time datetime>`` stays
  ISO 8601 with the offset.

Pure: no models are imported.
"""

import zoneinfo
from datetime import datetime
from functools import lru_cache

from asgiref.local import Local
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import dateformat, timezone
from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _

COOKIE_NAME = "dialogue_timezone"
DEFAULT_WORKSHOP_ZONE = "UTC"

# Whether this request (thread or task) carries the person's own choice.
_state = Local()


@lru_cache(maxsize=1)
def zone_names() -> tuple[str, ...]:
    """The zones a person or a workshop may choose: "UTC" and every
    Area/City zone of the IANA database (no legacy aliases like "EST5EDT")."""
    names = {
        name
        for name in zoneinfo.available_timezones()
        if "/" in name
        and not name.startswith(("Etc/", "SystemV/", "US/", "posixrules"))
    }
    return ("UTC", *sorted(names))


def is_zone(name: str) -> bool:
    return name in zone_names()


def validate_zone(value: str) -> None:
    """Model and form validator: an IANA zone name from ``zone_names``."""
    if not is_zone(value):
        raise ValidationError(
            _(
                "“%(value)s” is not a time zone (e.g. Asia/Shanghai or America/New_York)."
            ),
            code="invalid_time_zone",
            params={"value": value},
        )


def zone_label(value: datetime | None = None, zone=None) -> str:
    """The zone of a moment as an offset: "UTC+8", "UTC−5", "UTC+5:30"."""
    zone = zone or timezone.get_current_timezone()
    moment = (value or timezone.now()).astimezone(zone)
    minutes = int(moment.utcoffset().total_seconds() // 60)
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "\u2212"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def when(value: datetime | None) -> str:
    """A moment as every page shows it: local date and time, then its zone."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    return (
        f"{dateformat.format(local, get_format('DATETIME_FORMAT'))} {zone_label(local)}"
    )


def zone_choices() -> tuple[tuple[str, str], ...]:
    """Every zone with its offset now, "Asia/Shanghai (UTC+8)", for the lists
    to choose from. Offsets change on the hour at most (summer time), so the
    list is worked out once per hour, not for every page."""
    return _zone_choices(timezone.now().replace(minute=0, second=0, microsecond=0))


@lru_cache(maxsize=2)
def _zone_choices(hour: datetime) -> tuple[tuple[str, str], ...]:
    return tuple(
        (name, f"{name} ({zone_label(hour, zoneinfo.ZoneInfo(name))})")
        for name in zone_names()
    )


def chosen_zone(request) -> str | None:
    """The person's own zone from their cookie, or None (no or bad value)."""
    name = request.COOKIES.get(COOKIE_NAME, "")
    return name if is_zone(name) else None


def activate_for_request(request) -> None:
    """The person's choice, else the site's zone until a workshop is entered."""
    name = chosen_zone(request)
    _state.chosen = name
    _state.in_request = True
    if name:
        timezone.activate(zoneinfo.ZoneInfo(name))
    else:
        timezone.deactivate()


def request_finished() -> None:
    _state.chosen = None
    _state.in_request = False
    timezone.deactivate()


def workshop_entered(workshop) -> None:
    """A workshop's page: its zone, unless the person chose their own.
    Outside a request (a command, a task) nothing changes: those set the
    zone they print in themselves (e.g. the summary, the workshop's)."""
    if not getattr(_state, "in_request", False) or getattr(_state, "chosen", None):
        return
    name = getattr(workshop, "time_zone", "") or settings.TIME_ZONE
    if is_zone(name):
        timezone.activate(zoneinfo.ZoneInfo(name))


def etag_part() -> str:
    """What a live ETag must vary on: the person's chosen zone, if any. (A
    change of the workshop's own zone touches its sessions instead.)"""
    return getattr(_state, "chosen", None) or "w"


def set_cookie(response, name: str | None):
    """Remember (or, with None, forget) a person's zone on this browser."""
    if name:
        response.set_cookie(
            COOKIE_NAME,
            name,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=True,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    else:
        response.delete_cookie(
            COOKIE_NAME,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response
