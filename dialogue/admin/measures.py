"""Admin for measures (registered by dialogue.admin).

Organisers can read everything, correct a measure's wording and delete a
measure. Status, answers, endorsements and history change only through the
services (they keep the history), so they are read-only here.
"""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from dialogue.forms.admin import UserTextModelForm
from dialogue.measure_content import TEXT_FIELDS
from dialogue.models import (
    AgendaItem,
    MeasureEndorsement,
    MeasureEvent,
    MeasureResponse,
    MeasureStatus,
    ReciprocalMeasure,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class MeasureResponseInline(ReadOnlyInline):
    model = MeasureResponse
    fields = ["participant", "stance", "reason", "created_at", "updated_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related(
                "participant__user", "participant__delegation", "participant__workshop"
            )
        )


class MeasureEndorsementInline(ReadOnlyInline):
    model = MeasureEndorsement
    fields = ["delegation", "via", "endorsed_by", "endorsed_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related(
                "delegation",
                "endorsed_by__user",
                "endorsed_by__delegation",
                "endorsed_by__workshop",
            )
        )


class MeasureEventInline(ReadOnlyInline):
    model = MeasureEvent
    fields = ["at", "kind", "from_status", "to_status", "actor", "detail"]
    readonly_fields = fields

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("actor__user", "actor__delegation", "actor__workshop")
        )


class MeasureAdminForm(UserTextModelForm):
    text_limits = {
        name: (limit, multiline)
        for name, (_label, limit, multiline) in TEXT_FIELDS.items()
    }


@admin.register(ReciprocalMeasure)
class ReciprocalMeasureAdmin(admin.ModelAdmin):
    form = MeasureAdminForm
    list_display = [
        "title",
        "revision",
        "workshop",
        "proposing_delegation",
        "proposer",
        "status",
        "measure_type",
        "answer_count",
        "proposed_at",
    ]
    list_filter = [
        "status",
        "measure_type",
        "sequencing",
        "reversibility",
        "workshop",
        "proposing_delegation",
    ]
    search_fields = [
        "title",
        "our_action",
        "their_action",
        "conditionality",
        "verification",
        "proposer__user__username",
        "items__title",
    ]
    list_select_related = [
        "workshop",
        "proposing_delegation",
        "proposer__user",
        "proposer__delegation",
        "proposer__workshop",
    ]
    date_hierarchy = "created_at"
    readonly_fields = [
        "workshop",
        "proposer",
        "proposing_delegation",
        "status",
        "revision_of",
        "root",
        "revision",
        "created_at",
        "proposed_at",
        "updated_at",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "workshop",
                    "title",
                    "proposer",
                    "proposing_delegation",
                    "status",
                    "items",
                ]
            },
        ),
        (
            _("The measure"),
            {
                "fields": [
                    "our_action",
                    "their_action",
                    "sequencing",
                    "conditionality",
                    "verification",
                    "timeframe",
                    "reversibility",
                    "measure_type",
                ]
            },
        ),
        (
            _("Revisions"),
            {
                "fields": [
                    "revision",
                    "revision_of",
                    "root",
                    "created_at",
                    "proposed_at",
                    "updated_at",
                ]
            },
        ),
    ]
    inlines = [MeasureResponseInline, MeasureEndorsementInline, MeasureEventInline]

    def has_add_permission(self, request):
        # Measures are proposed by delegates in the workshop, never by staff.
        return False

    def get_queryset(self, request):
        # A draft is its proposer's alone, in the admin too: organisers see
        # measures once they are proposed.
        return (
            super()
            .get_queryset(request)
            .exclude(status=MeasureStatus.DRAFT)
            .annotate(answer_count=Count("responses"))
        )

    @admin.display(description=_("answers"), ordering="answer_count")
    def answer_count(self, obj):
        return obj.answer_count

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "items":
            # Only the items of the measure's own workshop.
            measure = getattr(request, "_dialogue_measure", None)
            queryset = AgendaItem.objects.select_related("session")
            if measure is not None:
                queryset = queryset.filter(session__workshop_id=measure.workshop_id)
            kwargs["queryset"] = queryset
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_form(self, request, obj=None, **kwargs):
        request._dialogue_measure = obj
        return super().get_form(request, obj, **kwargs)
