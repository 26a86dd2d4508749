"""Admin for comments and endorsements: shown, never edited here."""

from django.contrib import admin

from dialogue.models import Comment, Endorsement


class EndorsementInline(admin.TabularInline):
    model = Endorsement
    extra = 0
    fields = ["participant", "created_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "author", "state", "endorsement_count", "created_at"]
    list_filter = ["state", "item__session__workshop", "item__session"]
    search_fields = ["body", "author__user__username"]
    list_select_related = [
        "item",
        "author__user",
        "author__workshop",
        "author__delegation",
    ]
    readonly_fields = [
        "item",
        "point",
        "parent",
        "author",
        "created_at",
        "edited_at",
        "withdrawn_at",
        "hidden_by",
        "hidden_at",
        "endorsement_count",
    ]
    readonly_fields += ["body", "state", "hidden_reason"]
    inlines = [EndorsementInline]

    # Comments change only through the site's actions, which record who did
    # what and update the live pages; the admin shows them.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Endorsement)
class EndorsementAdmin(admin.ModelAdmin):
    list_display = ["comment", "participant", "created_at"]
    list_select_related = ["comment", "participant__user", "participant__workshop"]
    list_filter = ["comment__item__session__workshop"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the comment's endorsement count would drift
