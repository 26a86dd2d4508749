"""The summaries page's form: asking for a new version."""

from django import forms

from dialogue.forms.fields import SubmissionKeyField


class SummaryRequestForm(forms.Form):
    """No fields to fill in: its key makes a request sent twice record one
    version."""

    submission = SubmissionKeyField()
