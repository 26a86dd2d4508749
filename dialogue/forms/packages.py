"""Forms for packages of measures. They check shapes only; the rules live in
dialogue.services.packages and dialogue.permissions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dialogue.forms.fields import SubmissionKeyField, UserTextField
from dialogue.models import ReciprocalMeasure
from dialogue.services.packages import NOTE_MAX, TITLE_MAX


class MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, measure):
        return f"{measure.title} ({measure.proposing_delegation.code})"


class PackageForm(forms.Form):
    """Bundle measures on the table into a package."""

    title = UserTextField(label=_("Title"), max_length=TITLE_MAX, multiline=False)
    members = MemberChoiceField(
        label=_("Measures in the package"),
        queryset=ReciprocalMeasure.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Choose at least two. Each delegation endorses the package only as "
            "a whole: nothing is agreed until everything is agreed."
        ),
    )
    note = UserTextField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=NOTE_MAX,
        required=False,
        help_text=_("Why these measures belong together (optional)."),
    )
    submission = SubmissionKeyField()

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = candidates
        self.fields["title"].widget.attrs["autocomplete"] = "off"


class MemberForm(forms.Form):
    """One measure to add to, or remove from, a package."""

    measure = forms.ModelChoiceField(
        label=_("Measure"), queryset=ReciprocalMeasure.objects.none()
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = candidates
