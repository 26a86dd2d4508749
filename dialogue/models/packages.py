from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dialogue.models.measures import ReciprocalMeasure
from dialogue.models.workshops import Delegation, Participant, Workshop
from dialogue.vocabulary import EndorsementVia, PackageEventKind, PackageStatus


class MeasurePackage(models.Model):
    """Several measures that the delegations endorse only as a whole:
    nothing is agreed until everything is agreed."""

    workshop = models.ForeignKey(
        Workshop,
        on_delete=models.CASCADE,
        related_name="packages",
        verbose_name=_("workshop"),
    )
    title = models.CharField(_("title"), max_length=200)
    note = models.TextField(_("note"), blank=True)
    members = models.ManyToManyField(
        ReciprocalMeasure, related_name="packages", verbose_name=_("measures")
    )
    created_by = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="packages",
        verbose_name=_("created by"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=PackageStatus, default=PackageStatus.OPEN
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # The key of the form that created it: the same form sent twice finds
    # this package instead of creating another.
    submission_key = models.UUIDField(
        _("submission key"), null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("package of measures")
        verbose_name_plural = _("packages of measures")
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "submission_key"], name="package_submitted_once"
            ),
        ]

    def __str__(self):
        return self.title


class PackageEndorsement(models.Model):
    """A delegation's endorsement of a package as a whole. A change to a
    member suspends it (`suspended_at`) until the delegation endorses again."""

    package = models.ForeignKey(
        MeasurePackage,
        on_delete=models.CASCADE,
        related_name="endorsements",
        verbose_name=_("package"),
    )
    delegation = models.ForeignKey(
        Delegation,
        on_delete=models.CASCADE,
        related_name="package_endorsements",
        verbose_name=_("delegation"),
    )
    via = models.CharField(_("endorsed by"), max_length=10, choices=EndorsementVia)
    endorsed_by = models.ForeignKey(
        Participant,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("head who endorsed"),
    )
    endorsed_at = models.DateTimeField(_("endorsed"), default=timezone.now)
    suspended_at = models.DateTimeField(_("suspended"), null=True, blank=True)

    class Meta:
        verbose_name = _("package endorsement")
        verbose_name_plural = _("package endorsements")
        constraints = [
            models.UniqueConstraint(
                fields=["package", "delegation"], name="package_endorsed_once_per_side"
            ),
        ]

    def __str__(self):
        return f"{self.delegation.code} endorses {self.package}"

    @property
    def active(self) -> bool:
        return self.suspended_at is None


class PackageEvent(models.Model):
    """The package's history: members added, removed or changed, endorsements
    given, suspended and withdrawn, with who and when."""

    package = models.ForeignKey(
        MeasurePackage,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("package"),
    )
    kind = models.CharField(_("what"), max_length=30, choices=PackageEventKind)
    actor = models.ForeignKey(
        Participant,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("package event")
        verbose_name_plural = _("package events")

    def __str__(self):
        return f"{self.package}: {self.kind}"

    def describe(self) -> str:
        """The event as a line of the package's history, translated."""
        detail = self.detail or {}
        kind = self.kind
        values = {
            "code": detail.get("delegation", ""),
            "codes": ", ".join(detail.get("delegations", [])),
            "title": detail.get("title", ""),
            "revision": detail.get("revision", ""),
            "previous": detail.get("previous_revision", ""),
        }
        if kind == PackageEventKind.CREATED:
            return str(_("created the package"))
        if kind == PackageEventKind.MEMBER_ADDED:
            return _("added “%(title)s” to the package") % values
        if kind == PackageEventKind.MEMBER_REMOVED:
            return _("removed “%(title)s” from the package") % values
        if kind == PackageEventKind.MEMBER_REPLACED:
            return (
                _(
                    "countered “%(title)s”: revision %(revision)s takes the place "
                    "of revision %(previous)s in the package"
                )
                % values
            )
        if kind == PackageEventKind.MEMBER_CHANGED:
            if detail.get("change") == "withdrawn":
                return _("withdrew the member “%(title)s”") % values
            return _("edited the member “%(title)s”") % values
        if kind == PackageEventKind.ENDORSED:
            if detail.get("via") == EndorsementVia.HEAD:
                return _("endorsed the package on behalf of %(code)s") % values
            return _("a majority of %(code)s now supports every member") % values
        if kind == PackageEventKind.ENDORSEMENT_WITHDRAWN:
            return _("withdrew the endorsement of %(code)s") % values
        if kind == PackageEventKind.ENDORSEMENT_LOST:
            return _("the majority of %(code)s no longer supports every member") % (
                values
            )
        if kind == PackageEventKind.SUSPENDED:
            reason = _SUSPENSION_REASONS.get(detail.get("reason"), _SUSPENDED_OTHER)
            return reason % values
        if kind == PackageEventKind.WITHDRAWN:
            return str(_("withdrew the package"))
        if kind == PackageEventKind.IMPORTED:
            return str(_("imported from a workshop file"))
        return kind


# Why a package's endorsements were suspended: one whole sentence per reason.
_SUSPENSION_REASONS = {
    "countered": _(
        "The endorsements of %(codes)s are suspended: “%(title)s” was countered. "
        "Each delegation must endorse the package again."
    ),
    "withdrawn": _(
        "The endorsements of %(codes)s are suspended: “%(title)s” was withdrawn. "
        "Each delegation must endorse the package again."
    ),
    "edited": _(
        "The endorsements of %(codes)s are suspended: “%(title)s” was edited. "
        "Each delegation must endorse the package again."
    ),
}
_SUSPENDED_OTHER = _(
    "The endorsements of %(codes)s are suspended: the package’s members changed. "
    "Each delegation must endorse the package again."
)
