"""The organisers' admin, one module per noun; importing the package
registers every model and configures the admin site."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from dialogue.admin import (  # noqa: F401 - each module registers its models
    accounts,
    comments,
    measures,
    participants,
    rankings,
    reports,
    summaries,
    workshops,
)
from dialogue.forms.accounts import ThrottledAdminAuthenticationForm

# The admin sign-in is throttled like the site's own.
admin.site.login_form = ThrottledAdminAuthenticationForm

admin.site.site_header = _("Dialogue workshops: administration")
admin.site.site_title = _("Dialogue workshops")
admin.site.index_title = _("Organise workshops")
