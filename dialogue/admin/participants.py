"""Admin for participants: placing people in a workshop (with a new
account if need be) and the action that prints their invitation links."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dialogue.forms.admin import UserTextModelForm
from dialogue.models import Delegation, Participant
from dialogue.services import accounts as account_services


class ParticipantAdminForm(UserTextModelForm):
    """Place an existing account, or create a new one (without a password: the
    person chooses it through their invitation link)."""

    new_username = forms.CharField(
        label=_("or a new account: username"), max_length=150, required=False
    )
    new_first_name = forms.CharField(
        label=_("first name"), max_length=150, required=False
    )
    new_last_name = forms.CharField(
        label=_("last name"), max_length=150, required=False
    )
    new_email = forms.EmailField(label=_("email"), required=False)

    class Meta:
        model = Participant
        fields = ["workshop", "user", "role", "delegation", "is_head", "affiliation"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].required = False

    def clean(self):
        cleaned = super().clean()
        user, username = cleaned.get("user"), cleaned.get("new_username", "").strip()
        if user and username:
            raise forms.ValidationError(
                _("Choose an existing account or give a new username, not both.")
            )
        if not user and not username:
            raise forms.ValidationError(
                _("Choose an existing account or give a new username.")
            )
        if username:
            User = get_user_model()
            field = User._meta.get_field(User.USERNAME_FIELD)
            try:
                field.run_validators(username)
            except forms.ValidationError as exc:
                self.add_error("new_username", exc)
            if User.objects.filter(**{User.USERNAME_FIELD: username}).exists():
                self.add_error("new_username", _("That username is taken."))
        return cleaned

    def save(self, commit=True):
        username = self.cleaned_data.get("new_username", "").strip()
        if username and not self.instance.user_id:
            user = get_user_model()(
                username=username,
                first_name=self.cleaned_data.get("new_first_name", ""),
                last_name=self.cleaned_data.get("new_last_name", ""),
                email=self.cleaned_data.get("new_email", ""),
            )
            user.set_unusable_password()
            user.save()
            self.instance.user = user
        return super().save(commit=commit)


@admin.register(Participant)
class ParticipantAdmin(admin.ModelAdmin):
    form = ParticipantAdminForm
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "workshop",
                    "user",
                    "role",
                    "delegation",
                    "is_head",
                    "affiliation",
                ]
            },
        ),
        (
            _("New account"),
            {
                "fields": [
                    "new_username",
                    "new_first_name",
                    "new_last_name",
                    "new_email",
                ],
                "description": _(
                    "Leave “user” empty to create the account here. It has no "
                    "password: send the person an invitation link (action on "
                    "the participants list)."
                ),
            },
        ),
    ]
    list_display = ["user", "workshop", "role", "delegation", "is_head"]
    list_filter = ["workshop", "role", "delegation", "is_head"]
    search_fields = [
        "user__username",
        "user__first_name",
        "user__last_name",
        "user__email",
        "affiliation",
    ]
    list_select_related = ["user", "workshop", "delegation"]
    actions = ["issue_invitations"]

    @admin.action(
        description=_("Create invitation links (earlier unused links stop working)"),
        permissions=["change"],
    )
    def issue_invitations(self, request, queryset):
        issued, refused = [], []
        for participant in queryset.select_related("user", "workshop", "delegation"):
            try:
                invitation = account_services.invitation_issue(
                    participant=participant, by=request.user
                )
            except account_services.InvitationError as exc:
                refused.append((participant, str(exc)))
            else:
                # The link is built on the address the organiser is using.
                url = request.build_absolute_uri(
                    reverse("invitation_accept", args=[invitation.token])
                )
                issued.append((participant, invitation.invitation, url))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Invitation links"),
            "opts": self.model._meta,
            "issued": issued,
            "refused": refused,
            "days": settings.INVITATION_DAYS,
        }
        return TemplateResponse(
            request, "admin/dialogue/participant/invitations.html", context
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "delegation":
            kwargs["queryset"] = Delegation.objects.select_related("workshop")
        if db_field.name == "user" and not request.user.is_superuser:
            # Organisers place ordinary accounts only: a staff account in a
            # workshop would be theirs to invite, i.e. to take over.
            kwargs["queryset"] = get_user_model().objects.filter(
                is_staff=False, is_superuser=False
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
