"""Admin for accounts: the invitation links issued (revocable, never
created here) and the users' preferences."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from dialogue.models import Invitation, Profile
from dialogue.services import accounts as account_services


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["participant", "state", "created_at", "expires_at", "used_at"]
    list_filter = ["participant__workshop", "created_at"]
    search_fields = ["participant__user__username"]
    list_select_related = ["participant__user", "participant__workshop"]
    readonly_fields = [
        "participant",
        "token_hash",
        "created_by",
        "created_at",
        "expires_at",
        "used_at",
        "revoked_at",
    ]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False  # links are made by the participants' action or `invite`

    @admin.display(description=_("state"))
    def state(self, obj):
        return obj.state

    @admin.action(description=_("Revoke the selected links"), permissions=["change"])
    def revoke(self, request, queryset):
        revoked = sum(
            account_services.invitation_revoke(invitation=invitation)
            for invitation in queryset
        )
        self.message_user(
            request,
            ngettext("%(count)d link revoked.", "%(count)d links revoked.", revoked)
            % {"count": revoked},
            messages.SUCCESS,
        )


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "language", "time_zone"]
    search_fields = ["user__username"]
    list_select_related = ["user"]
