"""The organisers' admin forms: every text field an organiser types passes
the one user-text check (dialogue.user_text), like the participants' forms
and the workshop file, with the field's length limit stated under it."""

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dialogue import times
from dialogue.forms.fields import limit_note
from dialogue.user_text import clean_user_text
from dialogue.workshop_file.spec import MAX_TEXT


class UserTextModelForm(forms.ModelForm):
    """A ModelForm whose CharFields and TextFields are user text. A subclass
    may give `text_limits` ({field: (limit, multiline)}) where the app has a
    stricter limit than the column's."""

    text_limits: dict[str, tuple[int, bool]] = {}

    def _limit(self, name: str, field: models.Field) -> tuple[int, bool]:
        """(length limit, may span lines) for a model's text field."""
        if name in self.text_limits:
            return self.text_limits[name]
        if isinstance(field, models.TextField):
            return MAX_TEXT, True
        return field.max_length, False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            model_field = self._text_field(name)
            if model_field is None:
                continue
            limit, _multiline = self._limit(name, model_field)
            note = limit_note(limit)
            field.help_text = f"{field.help_text} {note}".strip()
            field.widget.attrs.setdefault("maxlength", str(limit))
            # clean_user_text names the field for NUL too: one check.
            field.validators = [
                v
                for v in field.validators
                if not isinstance(v, validators.ProhibitNullCharactersValidator)
            ]

    def _text_field(self, name):
        try:
            field = self._meta.model._meta.get_field(name)
        except Exception:  # not a model field (an extra form field)
            return None
        if isinstance(field, models.CharField | models.TextField) and not field.choices:
            return field
        return None

    def clean(self):
        cleaned = super().clean()
        for name in list(cleaned):
            model_field = self._text_field(name)
            if model_field is None or not isinstance(cleaned[name], str):
                continue
            limit, multiline = self._limit(name, model_field)
            try:
                cleaned[name] = clean_user_text(
                    cleaned[name],
                    label=str(model_field.verbose_name).capitalize(),
                    max_length=limit,
                    multiline=multiline,
                    required=False,
                )
            except ValidationError as exc:
                self.add_error(name, exc)
        return cleaned


MAX_AUTHOR = 200
MAX_AUTHORS = 50


class AuthorListField(forms.CharField):
    """A list of names edited as a textarea, one name per line (for the
    workshop's source authors, a JSON list in the database). Blank lines
    are dropped; each name passes the user-text check on its own line."""

    widget = forms.Textarea(attrs={"rows": 4, "cols": 60})

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(strip=False, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(str(name) for name in value)
        return value

    def to_python(self, value):
        if isinstance(value, list | tuple):
            return [str(name) for name in value]
        lines = (value or "").splitlines()
        names, errors = [], []
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                names.append(
                    clean_user_text(
                        line,
                        label=_("Line %(number)d") % {"number": number},
                        max_length=MAX_AUTHOR,
                        multiline=False,
                    )
                )
            except ValidationError as exc:
                errors.extend(exc.error_list)
        if errors:
            raise ValidationError(errors)
        if len(names) > MAX_AUTHORS:
            raise ValidationError(
                _("At most %(limit)d authors.") % {"limit": MAX_AUTHORS},
                code="too_many",
            )
        return names

    def has_changed(self, initial, data):
        return self.to_python(initial) != self.to_python(data)


class WorkshopAdminForm(UserTextModelForm):
    """The workshop: its source's authors one per line, its time zone chosen
    from the IANA list."""

    time_zone = forms.ChoiceField(
        label=gettext_lazy("time zone"),
        choices=times.zone_choices,
        initial=times.DEFAULT_WORKSHOP_ZONE,
    )
    source_authors = AuthorListField(
        label=capfirst(gettext_lazy("source authors")),
        help_text=gettext_lazy("One author per line, in the order of the source."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A list to choose from, not typed text: its help, no length note.
        if "time_zone" in self.fields:
            self.fields["time_zone"].help_text = self._meta.model._meta.get_field(
                "time_zone"
            ).help_text
