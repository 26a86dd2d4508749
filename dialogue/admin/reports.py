"""Admin for the rapporteur's report drafts (registered by dialogue.admin).

Organisers see where each draft stands: its state, session, how many
revisions and corrections it has, the review deadline and which delegations
signed it off. No page here shows a draft's text, a correction's text or who
filed it: until released, a draft is the rapporteur's and the facilitator's,
and a correction its filer's (dialogue.permissions). Drafts are written on
the report pages, never here; the whole record, for a backup, is in the
workshop file's export.
"""

from django.contrib import admin
from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext_lazy as _

from dialogue import times
from dialogue.models import ReportDraft, ReportSignOff
from dialogue.vocabulary import CorrectionStatus


@admin.register(ReportDraft)
class ReportDraftAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "workshop",
        "session",
        "state",
        "revision_count",
        "deadline",
        "signed_off_by",
    ]
    list_filter = ["state", "workshop"]
    search_fields = ["workshop__title", "session__title"]
    list_select_related = ["workshop", "session__workshop", "review_revision"]
    ordering = ["workshop__title", "session__number"]
    fields = [
        "workshop",
        "session",
        "state",
        "revision_count",
        "review_number",
        "deadline",
        "sent_for_review_at",
        "correction_counts",
        "signed_off_by",
        "released_at",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                revision_count=Count("revisions", distinct=True),
                open_count=Count(
                    "corrections",
                    filter=Q(corrections__status=CorrectionStatus.OPEN),
                    distinct=True,
                ),
                correction_count=Count("corrections", distinct=True),
            )
            .prefetch_related(
                Prefetch(
                    "review_revision__sign_offs",
                    queryset=ReportSignOff.objects.select_related("delegation"),
                )
            )
        )

    @admin.display(description=_("revisions"), ordering="revision_count")
    def revision_count(self, obj):
        return obj.revision_count

    @admin.display(description=_("revision under review"))
    def review_number(self, obj):
        return obj.review_revision.number if obj.review_revision_id else "–"

    @admin.display(description=_("review deadline"), ordering="review_deadline")
    def deadline(self, obj):
        return times.when(obj.review_deadline) or "–"

    @admin.display(description=_("corrections"))
    def correction_counts(self, obj):
        # Counts only: a correction's text and its filer stay private.
        return _("%(total)d, of which %(open)d open") % {
            "total": obj.correction_count,
            "open": obj.open_count,
        }

    @admin.display(description=_("signed off by"))
    def signed_off_by(self, obj):
        if not obj.review_revision_id:
            return "–"
        codes = sorted(s.delegation.code for s in obj.review_revision.sign_offs.all())
        return ", ".join(codes) or "–"

    # A draft is written, reviewed and released on the report pages, which
    # enforce who may do what; the admin only shows where it stands.
    # Deleting stays allowed so that deleting a session is not blocked.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
