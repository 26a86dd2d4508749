"""Forms of the discussion: a comment (or reply) and its edit."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from dialogue.forms.fields import SubmissionKeyField, UserTextField
from dialogue.models import AgendaPoint


class CommentForm(forms.Form):
    body = UserTextField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=settings.COMMENT_MAX_LENGTH,
        help_text=_("Markdown-lite: *emphasis*, **strong**, `code`, lists, links."),
        error_messages={"required": _("Write something before posting.")},
    )
    point = forms.ModelChoiceField(
        label=_("Comment on"),
        queryset=AgendaPoint.objects.none(),
        required=False,
        empty_label=_("The whole item"),
    )
    parent = forms.IntegerField(widget=forms.HiddenInput, required=False)
    submission = SubmissionKeyField()

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["point"].queryset = item.points.all()
        self.fields["point"].label_from_instance = lambda point: (
            f"{point.label} {point.text[:70]}"
        )


class EditForm(forms.Form):
    body = UserTextField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=settings.COMMENT_MAX_LENGTH,
    )
