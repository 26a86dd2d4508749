from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dialogue import naming, times
from dialogue.vocabulary import Confidentiality, EndorsementRule, PaperSize, Phase, Role


class Workshop(models.Model):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    title_zh = models.CharField(
        _("title in Chinese"),
        max_length=200,
        blank=True,
        help_text=_("Shown in the Chinese interface; blank: the title above."),
    )
    description = models.TextField(_("description"), blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=times.DEFAULT_WORKSHOP_ZONE,
        validators=[times.validate_zone],
        help_text=_(
            "Where the workshop is held, e.g. Asia/Shanghai or America/New_York. "
            "Times are shown in it unless a participant chose their own."
        ),
    )
    confidentiality = models.CharField(
        _("confidentiality"),
        max_length=20,
        choices=Confidentiality,
        default=Confidentiality.CHATHAM_HOUSE,
    )
    source_title = models.CharField(_("source title"), max_length=300, blank=True)
    source_authors = models.JSONField(_("source authors"), default=list, blank=True)
    source_date = models.DateField(_("source date"), null=True, blank=True)
    source_publisher = models.CharField(
        _("source publisher"), max_length=200, blank=True
    )
    source_url = models.URLField(_("source URL"), blank=True)
    venue = models.CharField(
        _("venue"),
        max_length=200,
        blank=True,
        help_text=_("Where the workshop meets, as its reports name it."),
    )
    paper_size = models.CharField(
        _("paper size"),
        max_length=10,
        choices=PaperSize,
        default=PaperSize.A4,
        help_text=_("The page size of every DOCX and PDF report."),
    )
    endorsement_rule = models.CharField(
        _("endorsement rule"),
        max_length=20,
        choices=EndorsementRule,
        default=EndorsementRule.HEAD_OR_MAJORITY,
        help_text=_("How a delegation endorses a reciprocal measure."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["title", "slug"]
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")

    def __str__(self):
        return self.display_title

    def get_absolute_url(self):
        return reverse("workshop_detail", args=[self.slug])

    @property
    def display_title(self) -> str:
        """The title in the active language (``naming.in_language``)."""
        return naming.in_language(self.title, self.title_zh)

    @property
    def source_citation(self) -> str:
        """The source as a one-line citation, e.g. for page footers."""
        parts = [", ".join(self.source_authors), f"“{self.source_title}”"]
        if self.source_publisher:
            parts.append(self.source_publisher)
        if self.source_date:
            parts.append(self.source_date.isoformat())
        return ", ".join(part for part in parts if part.strip("“”"))


class Delegation(models.Model):
    workshop = models.ForeignKey(
        Workshop,
        on_delete=models.CASCADE,
        related_name="delegations",
        verbose_name=_("workshop"),
    )
    code = models.CharField(
        _("code"),
        max_length=12,
        help_text=_("Short code used in workshop files, e.g. CN or US."),
    )
    name = models.CharField(_("name"), max_length=120)
    name_zh = models.CharField(
        _("name in Chinese"),
        max_length=120,
        blank=True,
        help_text=_("Shown in the Chinese interface; blank: the name."),
    )

    class Meta:
        # Alphabetical by code: a neutral, documented rule that does not depend
        # on which side was entered first.
        ordering = ["workshop", "code"]
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "code"], name="delegation_code_unique"
            ),
            # Target of the composite foreign key that keeps a participant's
            # delegation inside the participant's workshop (migration 0002).
            models.UniqueConstraint(
                fields=["id", "workshop"], name="delegation_id_workshop_unique"
            ),
        ]

    def __str__(self):
        return f"{self.display_name} ({self.code})"

    @property
    def display_name(self) -> str:
        """The name in the active language (``naming.in_language``)."""
        return naming.in_language(self.name, self.name_zh)


class Participant(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name=_("user"),
    )
    workshop = models.ForeignKey(
        Workshop,
        on_delete=models.CASCADE,
        related_name="participants",
        verbose_name=_("workshop"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role)
    delegation = models.ForeignKey(
        Delegation,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="participants",
        verbose_name=_("delegation"),
        help_text=_("Required for delegates; optional for observers."),
    )
    is_head = models.BooleanField(
        _("delegation head"),
        default=False,
        help_text=_("A delegate who can endorse on behalf of the delegation."),
    )
    affiliation = models.CharField(_("affiliation"), max_length=200, blank=True)
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        ordering = ["workshop", "role", "delegation__code", "user__username"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "workshop"], name="participant_once_per_workshop"
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.DELEGATE) | Q(delegation__isnull=False),
                name="participant_delegate_has_delegation",
            ),
            models.CheckConstraint(
                condition=Q(is_head=False) | Q(role=Role.DELEGATE),
                name="participant_head_is_delegate",
            ),
            models.UniqueConstraint(
                fields=["delegation"],
                condition=Q(is_head=True),
                name="participant_one_head_per_delegation",
            ),
        ]

    def __str__(self):
        label = self.get_role_display()
        if self.delegation_id:
            label = f"{label}, {self.delegation.code}"
        return f"{self.user.get_username()} ({label}) in {self.workshop}"

    @property
    def display_name(self) -> str:
        """How every page of the workshop names this person (``naming``)."""
        return naming.user_display_name(self.user)

    def clean(self):
        errors = {}
        if self.role == Role.DELEGATE and not self.delegation_id:
            errors["delegation"] = _("A delegate must belong to a delegation.")
        if (
            self.delegation_id
            and self.workshop_id
            and self.delegation.workshop_id != self.workshop_id
        ):
            errors["delegation"] = _(
                "The delegation must belong to the participant's workshop."
            )
        if self.is_head and self.role != Role.DELEGATE:
            errors["is_head"] = _("Only a delegate can head a delegation.")
        if errors:
            raise ValidationError(errors)


class Session(models.Model):
    workshop = models.ForeignKey(
        Workshop,
        on_delete=models.CASCADE,
        related_name="sessions",
        verbose_name=_("workshop"),
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    title_zh = models.CharField(
        _("title in Chinese"),
        max_length=300,
        blank=True,
        help_text=_("Shown in the Chinese interface; blank: the title."),
    )
    description = models.TextField(_("description"), blank=True)
    phase = models.CharField(
        _("phase"), max_length=10, choices=Phase, default=Phase.DRAFT
    )
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    current_item = models.ForeignKey(
        "AgendaItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("item under discussion"),
    )
    # Bumped (with an F() update) by every change that a live page shows:
    # comments, endorsements, moderation, phase, the item under discussion.
    # Polling pages send it back as an ETag, so an idle poll is one query.
    version = models.PositiveBigIntegerField(_("version"), default=0, editable=False)

    class Meta:
        ordering = ["workshop", "number"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "number"], name="session_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="session_number_positive"
            ),
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True)
                | Q(ends_at__isnull=True)
                | Q(ends_at__gte=F("starts_at")),
                name="session_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.display_title}"

    def get_absolute_url(self):
        return reverse("session_detail", args=[self.workshop.slug, self.number])

    @property
    def display_title(self) -> str:
        """The title in the active language (``naming.in_language``)."""
        return naming.in_language(self.title, self.title_zh)


class PhaseChange(models.Model):
    """Who moved a session to which phase, and when."""

    session = models.ForeignKey(
        Session,
        on_delete=models.CASCADE,
        related_name="phase_changes",
        verbose_name=_("session"),
    )
    from_phase = models.CharField(_("from"), max_length=10, choices=Phase)
    to_phase = models.CharField(_("to"), max_length=10, choices=Phase)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("phase change")
        verbose_name_plural = _("phase changes")

    def __str__(self):
        return f"{self.session}: {self.from_phase} → {self.to_phase}"


class AgendaItem(models.Model):
    session = models.ForeignKey(
        Session,
        on_delete=models.CASCADE,
        related_name="items",
        verbose_name=_("session"),
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("body"), blank=True)
    proposed_by = models.ForeignKey(
        Delegation,
        on_delete=models.RESTRICT,
        related_name="items_proposed",
        verbose_name=_("proposed by"),
    )
    addressed_to = models.ForeignKey(
        Delegation,
        on_delete=models.RESTRICT,
        related_name="items_addressed",
        verbose_name=_("addressed to"),
    )
    # Bumped by every change to the item's discussion (dialogue.live.item_touch):
    # the item page's ETag, so a write on another item leaves its poll a 304.
    version = models.PositiveBigIntegerField(_("version"), default=0, editable=False)

    class Meta:
        ordering = ["session", "number"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "number"], name="item_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="item_number_positive"
            ),
            models.CheckConstraint(
                condition=~Q(proposed_by=F("addressed_to")),
                name="item_addressed_to_other_side",
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def get_absolute_url(self):
        return reverse(
            "item_detail",
            args=[self.session.workshop.slug, self.session.number, self.number],
        )

    def clean(self):
        errors = {}
        workshop_id = self.session.workshop_id if self.session_id else None
        for field in ("proposed_by", "addressed_to"):
            if not (workshop_id and getattr(self, f"{field}_id")):
                continue
            if getattr(self, field).workshop_id != workshop_id:
                errors[field] = _("The delegation must belong to this workshop.")
        if (
            self.proposed_by_id
            and self.proposed_by_id == self.addressed_to_id
            and "addressed_to" not in errors
        ):
            errors["addressed_to"] = _(
                "An item is addressed to the other delegation, not its proposer."
            )
        if errors:
            raise ValidationError(errors)


class AgendaPoint(models.Model):
    """An ordered sub-point of an item: one concrete ask inside it."""

    item = models.ForeignKey(
        AgendaItem,
        on_delete=models.CASCADE,
        related_name="points",
        verbose_name=_("agenda item"),
    )
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.TextField(_("text"))
    # An ask of both governments ("both sides must ..."): both delegations
    # answer it (dialogue.models.responses), not only the item's addressee.
    addressed_to_both = models.BooleanField(
        _("addressed to both delegations"), default=False
    )

    class Meta:
        ordering = ["item", "position"]
        verbose_name = _("agenda point")
        verbose_name_plural = _("agenda points")
        constraints = [
            models.UniqueConstraint(
                fields=["item", "position"], name="point_position_unique"
            ),
            models.CheckConstraint(
                condition=Q(position__gte=1), name="point_position_positive"
            ),
        ]

    def __str__(self):
        return f"{self.item.number}.{self.position} {self.text[:60]}"

    @property
    def label(self) -> str:
        """The point's reference, e.g. "3.2" for the second point of item 3."""
        return f"{self.item.number}.{self.position}"
