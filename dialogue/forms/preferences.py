"""A person's own preferences: the time zone their pages show times in."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dialogue import times


def _choices():
    return [("", _("The workshop's time zone")), *times.zone_choices()]


class TimeZoneForm(forms.Form):
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=_choices,
        required=False,
        help_text=_(
            "Times are shown in this zone on every page. Without a choice, each "
            "workshop shows them in its own zone."
        ),
    )
