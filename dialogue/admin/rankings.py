"""Admin for rankings (registered by dialogue.admin).

Only rounds are registered, with their state and counts: no admin page
shows anyone's ordering, so an open round stays secret even to staff.
"""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from dialogue.models import RankingRound


@admin.register(RankingRound)
class RankingRoundAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "workshop",
        "number",
        "state",
        "ranking_count",
        "opened_at",
        "closed_at",
    ]
    list_filter = ["session__workshop", "closed_at"]
    search_fields = ["session__title", "session__workshop__title"]
    list_select_related = ["session__workshop"]
    ordering = ["session__workshop__title", "session__number", "number"]
    fields = [
        "session",
        "number",
        "state",
        "ranking_count",
        "opened_at",
        "opened_by",
        "closed_at",
        "closed_by",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(ranking_count=Count("rankings"))

    @admin.display(description=_("workshop"), ordering="session__workshop__title")
    def workshop(self, obj):
        return obj.session.workshop

    @admin.display(description=_("state"))
    def state(self, obj):
        return _("open") if obj.is_open else _("closed, results revealed")

    @admin.display(description=_("rankings submitted"), ordering="ranking_count")
    def ranking_count(self, obj):
        return obj.ranking_count

    # Rounds open and close through the session's phase and the facilitator's
    # ranking page, which enforce the rules; the admin only shows them.
    # Deleting stays allowed so that deleting a session is not blocked.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
