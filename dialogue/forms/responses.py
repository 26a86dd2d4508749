"""Forms of the responses: a delegation's answer, and a reply on one."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dialogue.forms.fields import SubmissionKeyField, UserTextField
from dialogue.models import ReciprocalMeasure, ResponseReplyKind, ResponseStance
from dialogue.services.responses import MAX_TEXT


class ResponseForm(forms.Form):
    stance = forms.ChoiceField(
        label=_("Stance"),
        choices=ResponseStance.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a stance.")},
    )
    reasoning = UserTextField(
        label=_("Reasoning"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Markdown-lite: *emphasis*, **strong**, `code`, lists, links."),
        error_messages={"required": _("Give the reasoning.")},
    )
    conditions = UserTextField(
        label=_("What would make it acceptable"),
        max_length=MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Needed for “accept in part”, “accept if”, “not now” and “cannot accept”."
        ),
    )
    asks_measure = forms.ModelChoiceField(
        label=_("A reciprocal measure you ask for in return"),
        queryset=ReciprocalMeasure.objects.none(),
        required=False,
        empty_label=_("None"),
    )
    base = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, measures=None, **kwargs):
        super().__init__(*args, **kwargs)
        if measures is not None:
            self.fields["asks_measure"].queryset = measures


class ReplyForm(forms.Form):
    body = UserTextField(
        label=_("Your reply"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write something before sending.")},
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=ResponseReplyKind.choices,
        initial=ResponseReplyKind.REPLY,
        widget=forms.RadioSelect,
    )
    submission = SubmissionKeyField()
