"""Forms for reciprocal measures. They check shapes only; the rules live in
dialogue.services.measures and dialogue.permissions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dialogue import permissions
from dialogue.forms.fields import SubmissionKeyField, UserTextField
from dialogue.measure_content import (
    ACTION_MAX,
    REASON_MAX,
    TIMEFRAME_MAX,
    TITLE_MAX,
    MeasureContent,
)
from dialogue.models import (
    AgendaItem,
    MeasureType,
    Reversibility,
    Sequencing,
    Stance,
)


class ItemChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, item):
        return f"{item.session.number}.{item.number} {item.title}"


class MeasureForm(forms.Form):
    """Propose, edit or counter a measure. Labels speak from the writer's side."""

    title = UserTextField(label=_("Title"), max_length=TITLE_MAX, multiline=False)
    items = ItemChoiceField(
        label=_("Agenda items"),
        queryset=AgendaItem.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The items of either session that this measure answers."),
    )
    our_action = UserTextField(
        label=_("What your side would do"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=ACTION_MAX,
    )
    their_action = UserTextField(
        label=_("What the other side would do"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=ACTION_MAX,
        required=False,
        help_text=_(
            "Leave empty for a unilateral initiative that invites reciprocation."
        ),
    )
    # The form speaks to the writer: "proposer first" is their own side first.
    sequencing = forms.ChoiceField(
        label=_("Sequencing"),
        choices=[
            (Sequencing.SIMULTANEOUS, Sequencing.SIMULTANEOUS.label),
            (Sequencing.PROPOSER_FIRST, _("Your side first")),
            (Sequencing.OTHER_FIRST, _("The other side first")),
            (Sequencing.PHASED, Sequencing.PHASED.label),
        ],
        widget=forms.RadioSelect,
    )
    conditionality = UserTextField(
        label=_("Conditions"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=ACTION_MAX,
        required=False,
    )
    verification = UserTextField(
        label=_("How it would be verified"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=ACTION_MAX,
        required=False,
    )
    timeframe = UserTextField(
        label=_("Timeframe"),
        max_length=TIMEFRAME_MAX,
        multiline=False,
        required=False,
    )
    reversibility = forms.ChoiceField(
        label=_("Can it be reversed?"),
        choices=Reversibility.choices,
        widget=forms.RadioSelect,
    )
    measure_type = forms.ChoiceField(label=_("Type"), choices=MeasureType.choices)
    submission = SubmissionKeyField()

    def __init__(self, *args, workshop, participant=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = AgendaItem.objects.filter(
            session__workshop=workshop
        ).select_related("session")
        if participant is not None:  # only the items of sessions they may see
            self.fields["items"].queryset = self.fields["items"].queryset.filter(
                permissions.visible_sessions(participant, prefix="session__")
            )
        self.fields["title"].widget.attrs["autocomplete"] = "off"

    @classmethod
    def blank(cls, *, workshop, participant=None, item_ids=()) -> "MeasureForm":
        """An empty proposal, linked to the workshop's items among `item_ids`."""
        form = cls(workshop=workshop, participant=participant)
        form.initial = {
            "sequencing": Sequencing.SIMULTANEOUS,
            "reversibility": Reversibility.REVERSIBLE,
            "measure_type": MeasureType.OTHER,
            "items": list(form.fields["items"].queryset.filter(pk__in=item_ids)),
        }
        return form

    def content(self) -> MeasureContent:
        return MeasureContent.from_dict(self.cleaned_data)

    @staticmethod
    def initial_from(content: MeasureContent, items) -> dict:
        return {**content.__dict__, "items": list(items)}


class AnswerForm(forms.Form):
    stance = forms.ChoiceField(
        label=_("Answer"), choices=Stance.choices, widget=forms.RadioSelect
    )
    reason = UserTextField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX,
        help_text=_("Required: say why, or what would need to change."),
    )


class BoardFilterForm(forms.Form):
    """The package board's filters from its query string: an item of the
    session by number, a proposing delegation by code; both optional."""

    item = forms.CharField(required=False, strip=False)
    delegation = forms.CharField(required=False, strip=False)

    def __init__(self, data, *, items, delegations):
        super().__init__(data)
        self.items = items
        self.delegations = delegations

    def clean_item(self):
        raw = self.cleaned_data["item"]
        if not raw:
            return None
        for item in self.items:
            if str(item.number) == raw:
                return item
        raise forms.ValidationError(
            _("There is no item %(item)s in this session."), params={"item": raw}
        )

    def clean_delegation(self):
        raw = self.cleaned_data["delegation"]
        if not raw:
            return None
        for delegation in self.delegations:
            if delegation.code == raw:
                return delegation
        raise forms.ValidationError(
            _("There is no delegation %(code)s in this workshop."), params={"code": raw}
        )
