"""Forms of the rapporteur's report: the text (one narrative per item, or
per session in the workshop's report), sending it for review, a
correction, and the rapporteur's answer to one."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dialogue.forms.fields import SubmissionKeyField, UserTextField
from dialogue.models import CorrectionKind
from dialogue.services.reports import MAX_NOTE, MAX_SECTION

MARKDOWN_HELP = _(
    "Markdown-lite: *emphasis*, **strong**, lists, links. A blank line starts "
    "a new paragraph; cite a remark as [#c123]."
)


def _area(rows: int, name: str):
    return forms.Textarea(
        attrs={"rows": rows, "class": "report-text", "data-cite": name}
    )


class ReportForm(forms.Form):
    """The report's text. `narratives` is [(number, label)]: a field
    ``narrative_<number>`` each, between the takeaways and the leads."""

    base = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    takeaways = UserTextField(
        label=_("Key takeaways"),
        max_length=MAX_SECTION,
        required=False,
        widget=_area(6, "takeaways"),
        help_text=MARKDOWN_HELP,
    )
    convergence = UserTextField(
        label=_("Convergence"),
        max_length=MAX_SECTION,
        required=False,
        widget=_area(4, "convergence"),
    )
    divergence = UserTextField(
        label=_("Divergence"),
        max_length=MAX_SECTION,
        required=False,
        widget=_area(4, "divergence"),
    )
    open_questions = UserTextField(
        label=_("Open questions"),
        max_length=MAX_SECTION,
        required=False,
        widget=_area(4, "open_questions"),
    )

    def __init__(self, *args, narratives=(), **kwargs):
        super().__init__(*args, **kwargs)
        leads = {
            name: self.fields.pop(name)
            for name in ("convergence", "divergence", "open_questions")
        }
        self.narrative_numbers = [number for number, _label in narratives]
        for number, label in narratives:
            self.fields[f"narrative_{number}"] = UserTextField(
                label=label,
                max_length=MAX_SECTION,
                required=False,
                widget=_area(5, f"narrative_{number}"),
            )
        self.fields.update(leads)

    def narratives(self) -> dict[str, str]:
        return {
            str(number): self.cleaned_data.get(f"narrative_{number}", "")
            for number in self.narrative_numbers
        }


class SendForReviewForm(forms.Form):
    deadline = forms.DateTimeField(
        label=_("Review deadline"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={
            "required": _("Give the review a deadline."),
            "invalid": _("Give the deadline as a date and a time."),
        },
    )


class CorrectionForm(forms.Form):
    section = forms.CharField(max_length=40, widget=forms.HiddenInput)
    paragraph = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=CorrectionKind.choices,
        error_messages={"required": _("Choose what kind of correction this is.")},
    )
    note = UserTextField(
        label=_("What is wrong"),
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say what is wrong.")},
    )
    suggestion = UserTextField(
        label=_("Suggested wording"),
        max_length=MAX_SECTION,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    submission = SubmissionKeyField()


class ResolveForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Accept or decline the correction.")},
    )
    reason = UserTextField(
        label=_("Reason"),
        max_length=MAX_NOTE,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed to decline."),
    )
    apply = forms.BooleanField(
        label=_("Apply the suggested wording as a new revision"), required=False
    )
