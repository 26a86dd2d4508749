"""The form that suggests an item link. It checks shapes only; the rules
(quotes from the texts, one link per pair) live in dialogue.services.links."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dialogue.forms.fields import UserTextField
from dialogue.link_rules import NOTE_MAX, QUOTE_MAX
from dialogue.models import AgendaItem, LinkKind


class ItemSelectField(forms.ModelChoiceField):
    def label_from_instance(self, item):
        return f"{item.session.number}.{item.number} {item.title}"


class LinkForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of link"), choices=LinkKind.choices, initial=LinkKind.MIRROR
    )
    item_a = ItemSelectField(label=_("First item"), queryset=AgendaItem.objects.none())
    point_a = forms.IntegerField(
        label=_("Point of the first item"),
        required=False,
        min_value=1,
        max_value=999,
        help_text=_("Leave empty to link the whole item."),
    )
    quote_a = UserTextField(
        label=_("Passage of the first item"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=QUOTE_MAX,
        help_text=_("Copied exactly from its text."),
    )
    item_b = ItemSelectField(label=_("Second item"), queryset=AgendaItem.objects.none())
    point_b = forms.IntegerField(
        label=_("Point of the second item"),
        required=False,
        min_value=1,
        max_value=999,
        help_text=_("Leave empty to link the whole item."),
    )
    quote_b = UserTextField(
        label=_("Passage of the second item"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=QUOTE_MAX,
        help_text=_("Copied exactly from its text."),
    )
    note = UserTextField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=NOTE_MAX,
        required=False,
    )

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("item_a", "item_b"):
            self.fields[name].queryset = items

    def point(self, end: str):
        """The chosen point of an end (None: the whole item); a number that
        the item does not have is a form error."""
        item = self.cleaned_data[f"item_{end}"]
        position = self.cleaned_data.get(f"point_{end}")
        if position is None:
            return None
        point = next((p for p in item.points.all() if p.position == position), None)
        if point is None:
            self.add_error(
                f"point_{end}",
                _("Item %(item)s has no point %(position)d.")
                % {
                    "item": f"{item.session.number}.{item.number}",
                    "position": position,
                },
            )
        return point
