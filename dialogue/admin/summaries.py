"""Admin for summaries (registered by dialogue.admin).

Reports are records of compilations, so nothing in them is edited by hand:
"Add" asks for a new version of a chosen session's summary (the same service
the rapporteur's button calls), the actions compile a new version or retry a
failed one, and each compiled file can be downloaded through the admin.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from dialogue import permissions
from dialogue.models import (
    Session,
    SummaryFormat,
    SummaryReport,
    SummaryStatus,
    Workshop,
)
from dialogue.services import summaries as service


class SummaryRequestForm(forms.Form):
    session = forms.ModelChoiceField(
        label=_("Session"),
        queryset=Session.objects.select_related("workshop").order_by(
            "workshop__title", "number"
        ),
        help_text=_(
            "A new version of this session's summary is compiled under its "
            "workshop's confidentiality mode."
        ),
    )


@admin.action(
    description=_("Compile a new version of these sessions' summaries"),
    permissions=["add"],
)
def recompile(modeladmin, request, queryset):
    sessions = Session.objects.filter(
        pk__in=queryset.values_list("session_id", flat=True)
    )
    reports = [service.summary_request(session=s, by=request.user) for s in sessions]
    # A report on the whole workshop (no session) is compiled again as such.
    workshops = Workshop.objects.filter(
        pk__in=queryset.filter(session__isnull=True).values_list(
            "workshop_id", flat=True
        )
    )
    reports += [service.summary_request(workshop=w, by=request.user) for w in workshops]
    modeladmin.message_user(
        request,
        ngettext(
            "%(count)d new summary version requested.",
            "%(count)d new summary versions requested.",
            len(reports),
        )
        % {"count": len(reports)},
        messages.SUCCESS,
    )


@admin.action(description=_("Retry the failed ones"), permissions=["add"])
def retry_failed(modeladmin, request, queryset):
    failed = list(queryset.filter(status=SummaryStatus.FAILED))
    for report in failed:
        service.summary_retry(report=report, by=request.user)
    modeladmin.message_user(
        request,
        ngettext(
            "%(count)d failed summary is being compiled again.",
            "%(count)d failed summaries are being compiled again.",
            len(failed),
        )
        % {"count": len(failed)},
        messages.SUCCESS,
    )


@admin.register(SummaryReport)
class SummaryReportAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "version",
        "status",
        "progress",
        "confidentiality",
        "attempts",
        "requested_at",
        "queued_at",
        "finished_at",
    ]
    list_filter = ["status", "confidentiality", "workshop"]
    search_fields = ["session__title", "workshop__title", "error"]
    list_select_related = ["session__workshop", "workshop"]
    ordering = ["-requested_at", "-id"]
    actions = [recompile, retry_failed]
    readonly_fields = [
        "workshop",
        "session",
        "version",
        "requested_by",
        "requested_at",
        "queued_at",
        "status",
        "progress",
        "progress_note",
        "confidentiality",
        "attempts",
        "started_at",
        "finished_at",
        "error",
        "downloads",
    ]
    fields = readonly_fields

    def has_change_permission(self, request, obj=None):
        # Viewing yes (readonly), editing never: a report is a record.
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # every compiled version is kept

    @admin.display(description=_("downloads"))
    def downloads(self, obj):
        links = [
            (
                reverse("admin:dialogue_summaryreport_download", args=[obj.pk, fmt]),
                label,
            )
            for fmt, label in SummaryFormat.choices
            if service.summary_file(report=obj, fmt=fmt) is not None
        ]
        if not links:
            return "–"
        return format_html_join(" · ", '<a href="{}">{}</a>', links)

    def get_urls(self):
        urls = [
            path(
                "request/",
                self.admin_site.admin_view(self.request_view),
                name="dialogue_summaryreport_request",
            ),
            path(
                "<int:pk>/download/<str:fmt>/",
                self.admin_site.admin_view(self.download_view),
                name="dialogue_summaryreport_download",
            ),
        ]
        return urls + super().get_urls()

    def add_view(self, request, form_url="", extra_context=None):
        return redirect("admin:dialogue_summaryreport_request")

    def request_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied(
                permissions.staff_permission_reason(_("request summaries"))
            )
        form = SummaryRequestForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            report = service.summary_request(
                session=form.cleaned_data["session"], by=request.user
            )
            self.message_user(
                request,
                format_html(
                    _("Version {} of “{}” requested."),
                    report.version,
                    report.session,
                ),
                messages.SUCCESS,
            )
            return redirect("admin:dialogue_summaryreport_change", report.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Compile a session summary"),
            "opts": self.model._meta,
            "form": form,
        }
        return TemplateResponse(
            request, "admin/dialogue/summaryreport/request.html", context
        )

    def download_view(self, request, pk, fmt):
        report = get_object_or_404(
            SummaryReport.objects.select_related("session__workshop", "workshop"),
            pk=pk,
        )
        if not self.has_view_permission(request, report):
            raise PermissionDenied(
                permissions.staff_permission_reason(_("view summaries"))
            )
        field = service.summary_file(report=report, fmt=fmt)
        if field is None:
            raise Http404
        return FileResponse(
            field.open("rb"),
            as_attachment=True,
            filename=service.download_name(report=report, fmt=fmt),
            content_type=service.CONTENT_TYPES[fmt],
        )
