"""Form fields every form shares: user text with the one validation, and the
key that makes a create action sent twice create one thing."""

import uuid

from django import forms
from django.core import validators
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import ngettext

from dialogue.user_text import clean_user_text


def _limit_note(limit: int) -> str:
    return ngettext(
        "At most %(limit)s character.", "At most %(limit)s characters.", limit
    ) % {"limit": limit}


# "At most N characters.", translated when it is shown, not when the form
# class is defined (at import, in no one's language).
limit_note = lazy(_limit_note, str)


class UserTextField(forms.CharField):
    """Free text checked by `dialogue.user_text.clean_user_text` (allowed
    characters, the field's length limit, one line unless `multiline`); the
    limit is stated in the field's help text and as the input's maxlength."""

    def __init__(self, *, max_length: int, multiline: bool = True, **kwargs):
        self.multiline = multiline
        limit = limit_note(max_length)
        help_text = kwargs.pop("help_text", "")
        kwargs["help_text"] = (
            format_lazy("{} {}", help_text, limit) if help_text else limit
        )
        super().__init__(max_length=None, **kwargs)
        # One check of characters, clean_user_text's, names the field for NUL too.
        self.validators = [
            v
            for v in self.validators
            if not isinstance(v, validators.ProhibitNullCharactersValidator)
        ]
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
