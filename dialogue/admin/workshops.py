"""Admin for workshops, delegations, sessions and their agendas.

Workshops are imported and exported as workshop files here; sessions change
phase only through the actions, which call the sessions service (it records
who and when), so the phase and its history are read-only.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from dialogue import permissions
from dialogue.forms.admin import UserTextModelForm, WorkshopAdminForm
from dialogue.live import session_touch
from dialogue.models import (
    AgendaItem,
    AgendaPoint,
    Delegation,
    FocusChange,
    Phase,
    PhaseChange,
    Session,
    Workshop,
)
from dialogue.services.sessions import session_set_phase
from dialogue.workshop_file import (
    WorkshopFileError,
    dump_workshop_file,
    parse_workshop_file,
)
from dialogue.workshop_file.exporter import workshop_export
from dialogue.workshop_file.importer import workshop_import


class DelegationInline(admin.TabularInline):
    form = UserTextModelForm
    model = Delegation
    extra = 0
    fields = ["code", "name", "name_zh"]


class SessionInline(admin.TabularInline):
    form = UserTextModelForm
    model = Session
    extra = 0
    fields = ["number", "title", "title_zh", "phase", "starts_at", "ends_at"]
    # Phases change through the session actions, which record who and when.
    readonly_fields = ["phase"]
    show_change_link = True


class WorkshopImportForm(forms.Form):
    file = forms.FileField(
        label=_("Workshop file (JSON)"),
        help_text=_(
            "The whole file is checked first; nothing is written unless it is "
            "valid. A file with the slug of an existing workshop updates it."
        ),
    )


@admin.register(Workshop)
class WorkshopAdmin(admin.ModelAdmin):
    form = WorkshopAdminForm
    list_display = [
        "title",
        "slug",
        "confidentiality",
        "session_count",
        "participant_count",
        "updated_at",
    ]
    list_filter = ["confidentiality"]
    search_fields = ["title", "slug", "source_title", "source_publisher"]
    prepopulated_fields = {"slug": ["title"]}
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [DelegationInline, SessionInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "title_zh",
                    "slug",
                    "description",
                    "confidentiality",
                    "endorsement_rule",
                    "time_zone",
                    "venue",
                    "paper_size",
                ]
            },
        ),
        (
            _("Source"),
            {
                "fields": [
                    "source_title",
                    "source_authors",
                    "source_date",
                    "source_publisher",
                    "source_url",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                session_count=Count("sessions", distinct=True),
                participant_count=Count("participants", distinct=True),
            )
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Names, titles and the time zone show on every live page of it.
        for session_id in form.instance.sessions.values_list("pk", flat=True):
            session_touch(session_id=session_id, items=True)

    @admin.display(description=_("sessions"), ordering="session_count")
    def session_count(self, obj):
        return obj.session_count

    @admin.display(description=_("participants"), ordering="participant_count")
    def participant_count(self, obj):
        return obj.participant_count

    def get_urls(self):
        urls = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="dialogue_workshop_import",
            ),
            path(
                "<int:pk>/export/",
                self.admin_site.admin_view(self.export_view),
                name="dialogue_workshop_export",
            ),
        ]
        return urls + super().get_urls()

    def import_view(self, request):
        if not (
            self.has_add_permission(request) and self.has_change_permission(request)
        ):
            raise PermissionDenied(
                permissions.staff_permission_reason(_("import workshop files"))
            )
        if request.method == "POST":
            form = WorkshopImportForm(request.POST, request.FILES)
        else:
            form = WorkshopImportForm()
        errors = []
        if form.is_bound and form.is_valid():
            upload = form.cleaned_data["file"]
            limit = settings.WORKSHOP_FILE_MAX_BYTES
            # Read one byte past the limit: enough to tell "too big" without
            # loading an arbitrarily large upload into memory.
            raw = upload.read(limit + 1)
            try:
                spec = parse_workshop_file(raw, max_bytes=limit)
                result = workshop_import(spec=spec)
            except WorkshopFileError as exc:
                errors = exc.errors
            else:
                messages.success(
                    request,
                    _("Imported “%(title)s”: %(summary)s.")
                    % {"title": result.workshop.title, "summary": result.summary()},
                )
                return redirect("admin:dialogue_workshop_change", result.workshop.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import a workshop file"),
            "opts": self.model._meta,
            "form": form,
            "file_errors": errors,
        }
        return TemplateResponse(request, "admin/dialogue/workshop/import.html", context)

    def export_view(self, request, pk):
        workshop = get_object_or_404(Workshop, pk=pk)
        if not self.has_view_permission(request, workshop):
            raise PermissionDenied(
                permissions.staff_permission_reason(_("export workshop files"))
            )
        text = dump_workshop_file(workshop_export(workshop=workshop))
        response = HttpResponse(text, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{workshop.slug}.json"'
        return response

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = extra_context or {}
        if object_id:
            extra_context["export_url"] = reverse(
                "admin:dialogue_workshop_export", args=[object_id]
            )
            workshop = Workshop.objects.filter(pk=object_id).first()
            if workshop is not None:
                extra_context["invitation_sheet_url"] = reverse(
                    "invitation_sheet", args=[workshop.slug]
                )
        return super().changeform_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        extra_context["import_url"] = reverse("admin:dialogue_workshop_import")
        return super().changelist_view(request, extra_context)


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin):
    form = UserTextModelForm
    list_display = ["code", "name", "name_zh", "workshop"]
    list_filter = ["workshop"]
    search_fields = ["code", "name", "name_zh", "workshop__title"]
    list_select_related = ["workshop"]


class AgendaItemInline(admin.TabularInline):
    form = UserTextModelForm
    model = AgendaItem
    extra = 0
    fields = ["number", "title", "proposed_by", "addressed_to"]
    show_change_link = True

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Offer only the delegations of the session's own workshop.
        if db_field.name in ("proposed_by", "addressed_to"):
            session = getattr(request, "_dialogue_session", None)
            if session is not None:
                kwargs["queryset"] = Delegation.objects.filter(
                    workshop_id=session.workshop_id
                )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def _phase_action(phase, label):
    @admin.action(description=label, permissions=["change"])
    def action(modeladmin, request, queryset):
        changed = sum(
            session_set_phase(session=session, phase=phase, by=request.user)
            for session in queryset
        )
        modeladmin.message_user(
            request,
            ngettext(
                "%(count)d session moved to “%(phase)s”.",
                "%(count)d sessions moved to “%(phase)s”.",
                changed,
            )
            % {"count": changed, "phase": Phase(phase).label},
            messages.SUCCESS,
        )

    action.__name__ = f"set_phase_{phase}"
    return action


class PhaseChangeInline(admin.TabularInline):
    model = PhaseChange
    extra = 0
    fields = ["changed_at", "from_phase", "to_phase", "changed_by"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    form = UserTextModelForm
    list_display = ["__str__", "workshop", "phase", "item_count", "starts_at"]
    list_display_links = ["__str__"]
    list_filter = ["phase", "workshop"]
    search_fields = ["title", "description", "workshop__title"]
    list_select_related = ["workshop"]
    ordering = ["workshop__title", "number"]
    inlines = [AgendaItemInline, PhaseChangeInline]
    readonly_fields = ["phase"]
    actions = [
        _phase_action(Phase.OPEN, _("Open for discussion")),
        _phase_action(Phase.RANKING, _("Open ranking")),
        _phase_action(Phase.CLOSED, _("Close")),
        _phase_action(Phase.DRAFT, _("Move back to draft")),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(item_count=Count("items"))

    @admin.display(description=_("items"), ordering="item_count")
    def item_count(self, obj):
        return obj.item_count

    def get_form(self, request, obj=None, **kwargs):
        request._dialogue_session = obj
        return super().get_form(request, obj, **kwargs)


class AgendaPointInline(admin.TabularInline):
    form = UserTextModelForm
    model = AgendaPoint
    extra = 0
    fields = ["position", "text", "addressed_to_both"]


@admin.register(AgendaItem)
class AgendaItemAdmin(admin.ModelAdmin):
    form = UserTextModelForm
    list_display = ["__str__", "session", "proposed_by", "addressed_to", "point_count"]
    list_filter = ["session__workshop", "session", "proposed_by", "addressed_to"]
    search_fields = ["title", "body", "points__text"]
    list_select_related = ["session", "proposed_by", "addressed_to"]
    ordering = ["session__workshop__title", "session__number", "number"]
    inlines = [AgendaPointInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(point_count=Count("points"))

    @admin.display(description=_("points"), ordering="point_count")
    def point_count(self, obj):
        return obj.point_count

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in ("proposed_by", "addressed_to"):
            kwargs["queryset"] = Delegation.objects.select_related("workshop")
        if db_field.name == "session":
            kwargs["queryset"] = Session.objects.select_related("workshop")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(AgendaPoint)
class AgendaPointAdmin(admin.ModelAdmin):
    form = UserTextModelForm
    list_display = ["label", "text", "item", "addressed_to_both"]
    list_filter = ["item__session__workshop", "item__session"]
    search_fields = ["text", "item__title"]
    list_select_related = ["item"]
    ordering = [
        "item__session__workshop__title",
        "item__session__number",
        "item__number",
        "position",
    ]

    @admin.display(description=_("point"))
    def label(self, obj):
        return obj.label


@admin.register(PhaseChange)
class PhaseChangeAdmin(admin.ModelAdmin):
    list_display = ["session", "from_phase", "to_phase", "changed_by", "changed_at"]
    list_filter = ["to_phase", "session__workshop"]
    list_select_related = ["session", "changed_by"]
    date_hierarchy = "changed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(FocusChange)
class FocusChangeAdmin(admin.ModelAdmin):
    list_display = ["session", "item", "changed_by", "changed_at"]
    list_select_related = ["session", "item", "changed_by"]
    list_filter = ["session__workshop"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
