"""Form fields every form shares: user text with the one validation, and the
key that makes a create action sent twice create one thing."""

import uuid

from django import forms

from dialogue.user_text import clean_user_text


class UserTextField(forms.CharField):
    """Free text checked by `dialogue.user_text.clean_user_text` (allowed
    characters, the field's length limit, one line unless `multiline`); the
    limit is stated in the field's help text and as the input's maxlength."""

    def __init__(self, *, max_length: int, multiline: bool = True, **kwargs):
        self.multiline = multiline
        kwargs.setdefault("strip", False)  # clean_user_text strips, after its check
        super().__init__(max_length=None, **kwargs)
        self.text_limit = max_length
        self.widget.attrs["maxlength"] = str(max_length)

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return ""
        return clean_user_text(
            value,
            label=self.label,
            max_length=self.text_limit,
            multiline=self.multiline,
            required=self.required,
        )


class SubmissionKeyField(forms.UUIDField):
    """A hidden key, new each time the form is shown. The service that
    creates from the form stores it, so the same submission sent again (a
    retry, a double click, a reload) finds what it created the first time."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("initial", uuid.uuid4)
        super().__init__(**kwargs)
