"""How pages show people and times; loaded on every template (settings
TEMPLATES builtins). The rules are dialogue.naming and dialogue.times."""

from django import template

from dialogue import naming, times

register = template.Library()


@register.filter(name="display_name")
def display_name(person) -> str:
    """A user or a participant by their display name, never their username
    when the account has a name."""
    if person is None:
        return ""
    user = getattr(person, "user", person)
    return naming.user_display_name(user)


@register.filter(name="when")
def when(value) -> str:
    """A moment in the active zone, with its zone: "Feb. 13, 2025, 2:05 p.m. UTC+8"."""
    return times.when(value)


@register.filter(name="zone")
def zone(value=None) -> str:
    """The zone of a moment (or of now) as shown beside times: "UTC+8"."""
    return times.zone_label(value or None)
