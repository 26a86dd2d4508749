from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dialogue.models.workshops import Session
from dialogue.vocabulary import Confidentiality, SummaryStatus


class SummaryReport(models.Model):
    """One compiled summary of a session; every version is kept."""

    session = models.ForeignKey(
        Session,
        on_delete=models.CASCADE,
        related_name="summaries",
        verbose_name=_("session"),
    )
    version = models.PositiveIntegerField(_("version"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    # None until the task has been handed to the broker; a request made while
    # the broker is down stays recorded and is sent later.
    queued_at = models.DateTimeField(_("sent to a worker"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SummaryStatus, default=SummaryStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    progress_note = models.CharField(_("progress note"), max_length=200, blank=True)
    confidentiality = models.CharField(
        _("compiled under"), max_length=20, choices=Confidentiality
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    markdown_file = models.FileField(_("Markdown"), upload_to="summaries/", blank=True)
    docx_file = models.FileField(_("DOCX"), upload_to="summaries/", blank=True)
    pdf_file = models.FileField(_("PDF"), upload_to="summaries/", blank=True)

    class Meta:
        ordering = ["session", "-version"]
        verbose_name = _("summary report")
        verbose_name_plural = _("summary reports")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "version"], name="summary_version_unique"
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="summary_progress_percent"
            ),
        ]

    def __str__(self):
        return f"{self.session}: summary v{self.version} ({self.status})"
