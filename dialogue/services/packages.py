"""Packages of measures: bundled so that nothing is agreed until everything
is agreed.

A delegate of either side bundles two or more measures on the table into a
package. A delegation endorses a package only as a whole, under the
workshop's endorsement rule, exactly as it endorses a measure
(`permissions.endorse_package_refusal`, `measure_rules.endorsement_mode`):

- Through its head: the head endorses the package, which needs every
  member to be one the delegation could endorse now (on the table: not
  withdrawn, superseded or a draft). The endorsement is of the members *as
  part of the package*: it is not recorded as a separate endorsement of
  each member. Recording it would make every member of an agreed package
  "endorsed by both sides" on its own, closed to counter-proposals, when
  the point of a package is that each member is agreed only with the
  others, and that a counter to any of them reopens the whole.
- By majority: the delegation endorses the package when its majority has
  endorsed every member (each member's majority is counted by the measure
  services, from the delegates' answers); losing one member's majority
  loses the package's.

A change to a member (a counter-proposal, whose new revision takes the
member's place; a withdrawal; an edit; a member added or removed) suspends
every endorsement of the package, recorded in its history with the reason;
the package shows as suspended until the delegations endorse it again. It
is agreed when every delegation endorses it. Withdrawing a package's
endorsement leaves the members' endorsements as they are.

Who may do what is in `dialogue.permissions`; what members change does is
in `dialogue.services.package_members`. Refusals raise PackageError (400),
or PackageForbidden (403) for a role that does not trade measures; nothing
has been written.
"""

import uuid
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dialogue import permissions
from dialogue.errors import Forbidden, Refusal, require
from dialogue.models import (
    Delegation,
    EndorsementVia,
    MeasurePackage,
    PackageEndorsement,
    PackageStatus,
    Participant,
    ReciprocalMeasure,
)
from dialogue.services import package_events as events
from dialogue.services import package_members
from dialogue.user_text import clean_user_text

TITLE_MAX = 200
NOTE_MAX = 2000
MIN_MEMBERS = 2

__all__ = [
    "NOTE_MAX",
    "TITLE_MAX",
    "PackageError",
    "PackageForbidden",
    "package_add_member",
    "package_create",
    "package_endorse",
    "package_remove_member",
    "package_withdraw",
    "package_withdraw_endorsement",
]


class PackageError(Refusal):
    """A package action that the rules refuse; the message is for people."""


class PackageForbidden(PackageError, Forbidden):
    """The participant's role does not bundle measures at all (403)."""


# --- checks -----------------------------------------------------------------


def _clean(value: str, *, field: str, label, max_length: int, required: bool) -> str:
    try:
        return clean_user_text(
            value or "",
            label=label,
            max_length=max_length,
            multiline=field != "title",
            required=required,
        )
    except ValidationError as exc:
        raise PackageError({field: exc.messages[0]}) from None


def _members(
    by: Participant, measures: Iterable, *, minimum: int = MIN_MEMBERS
) -> list[ReciprocalMeasure]:
    """The measures (or ids) as rows `by` may bundle: at least `minimum`,
    each of the workshop, seen by `by`, and on the table for both sides."""
    ids = sorted({getattr(m, "pk", m) for m in measures})
    if len(ids) < minimum:
        raise PackageError(
            {"members": _("Choose at least two measures for a package.")}
        )
    found = list(
        ReciprocalMeasure.objects.filter(
            permissions.visible_measures(by), pk__in=ids
        ).distinct()
    )
    if len(found) != len(ids):
        raise PackageError(
            {"members": _("Every measure must be one of this workshop's.")}
        )
    for measure in found:
        require(permissions.package_member_refusal(measure), PackageError)
    eligible = set(
        ReciprocalMeasure.objects.filter(
            permissions.package_members(), pk__in=ids
        ).values_list("pk", flat=True)
    )
    for measure in found:
        if measure.pk not in eligible:
            raise PackageError(
                _(
                    "“%(title)s” is linked to a session still being prepared; "
                    "it cannot join a package yet."
                )
                % {"title": measure.title}
            )
    return sorted(found, key=lambda m: m.pk)


def _lock(package: MeasurePackage) -> MeasurePackage:
    return (
        MeasurePackage.objects.select_for_update()
        .select_related("workshop")
        .get(pk=package.pk)
    )


def _require_on_table(package: MeasurePackage, message) -> None:
    if package.status == PackageStatus.WITHDRAWN:
        raise PackageError(message)


# --- the transitions ----------------------------------------------------------


def package_create(
    *,
    by: Participant,
    title: str,
    members: Iterable,
    note: str = "",
    submission_key: uuid.UUID | None = None,
) -> MeasurePackage:
    """A new package of `members` (measures or their ids).

    With a `submission_key` (the form's), the same form sent again returns
    the package it created the first time and writes nothing.
    """
    require(permissions.create_package_refusal(by), PackageForbidden)
    title = _clean(
        title, field="title", label=_("The title"), max_length=TITLE_MAX, required=True
    )
    note = _clean(
        note, field="note", label=_("The note"), max_length=NOTE_MAX, required=False
    )
    found = _members(by, members)
    if earlier := _submitted(by, submission_key):
        return earlier
    try:
        with transaction.atomic():
            package = MeasurePackage.objects.create(
                workshop_id=by.workshop_id,
                title=title,
                note=note,
                created_by=by,
                submission_key=submission_key,
            )
            package.members.set(found)
            events.created(package=package, by=by, members=found)
            package_members.derive_majorities(package, by=by)
            package_members.settle(package)
            package_members.touch([package])
    except IntegrityError:  # the same submission, committed meanwhile
        if earlier := _submitted(by, submission_key):
            return earlier
        raise
    return package


def _submitted(by: Participant, key: uuid.UUID | None):
    if key is None:
        return None
    return MeasurePackage.objects.filter(created_by=by, submission_key=key).first()


def package_endorse(
    *, package: MeasurePackage, delegation: Delegation, by: Participant
) -> MeasurePackage:
    """The head endorses the package as a whole on behalf of the delegation
    (see the module's docstring)."""
    require(permissions.endorse_package_refusal(by, package, delegation), PackageError)
    with transaction.atomic():
        member_ids = sorted(package.members.values_list("pk", flat=True))
        # Measures first, then the package: the order of `package_members`.
        members = list(
            ReciprocalMeasure.objects.select_for_update()
            .filter(pk__in=member_ids)
            .order_by("pk")
        )
        locked = _lock(package)
        if sorted(locked.members.values_list("pk", flat=True)) != member_ids:
            raise PackageError(
                _("The package changed while you endorsed it; look at it again.")
            )
        _require_on_table(
            locked, _("This package was withdrawn; it can no longer be endorsed.")
        )
        existing = PackageEndorsement.objects.filter(
            package=locked, delegation=delegation
        ).first()
        if existing is not None and existing.active:
            raise PackageError(
                _("%(delegation)s has already endorsed this package.")
                % {"delegation": delegation.display_name}
            )
        for member in members:
            if permissions.package_member_refusal(member) is not None:
                raise PackageError(
                    _(
                        "“%(title)s” is no longer on the table, so the package "
                        "cannot be endorsed as it stands; its creator can remove it."
                    )
                    % {"title": member.title}
                )
        now = timezone.now()
        if existing is None:
            PackageEndorsement.objects.create(
                package=locked,
                delegation=delegation,
                via=EndorsementVia.HEAD,
                endorsed_by=by,
                endorsed_at=now,
            )
        else:  # renewed after a suspension
            existing.via, existing.endorsed_by = EndorsementVia.HEAD, by
            existing.endorsed_at, existing.suspended_at = now, None
            existing.save()
        events.endorsed(
            package=locked, by=by, delegation=delegation, via=EndorsementVia.HEAD
        )
        package_members.settle(locked)
        package_members.touch([locked])
    return locked


def package_withdraw_endorsement(
    *, package: MeasurePackage, delegation: Delegation, by: Participant
) -> MeasurePackage:
    """The head takes back the delegation's endorsement of the package (a
    suspended one too). The members' own endorsements stand."""
    require(permissions.endorse_package_refusal(by, package, delegation), PackageError)
    with transaction.atomic():
        locked = _lock(package)
        _require_on_table(locked, _("This package was withdrawn."))
        existing = PackageEndorsement.objects.filter(
            package=locked, delegation=delegation
        ).first()
        if existing is None:
            raise PackageError(
                _("%(delegation)s has not endorsed this package.")
                % {"delegation": delegation.display_name}
            )
        existing.delete()
        events.endorsement_withdrawn(package=locked, by=by, delegation=delegation)
        package_members.settle(locked)
        package_members.touch([locked])
    return locked


def package_withdraw(*, package: MeasurePackage, by: Participant) -> MeasurePackage:
    """Its creator takes the package off the table (its members stay)."""
    require(permissions.change_package_refusal(by, package), PackageError)
    with transaction.atomic():
        locked = _lock(package)
        _require_on_table(locked, _("This package is already withdrawn."))
        if locked.status == PackageStatus.AGREED:
            raise PackageError(
                _(
                    "Both delegations have agreed this package; it can no longer be "
                    "withdrawn."
                )
            )
        locked.status = PackageStatus.WITHDRAWN
        locked.save(update_fields=["status", "updated_at"])
        events.withdrawn(package=locked, by=by)
        package_members.touch([locked])
    return locked


def _change_members(package, by, measure, *, add: bool) -> MeasurePackage:
    require(permissions.change_package_refusal(by, package), PackageError)
    with transaction.atomic():
        ReciprocalMeasure.objects.select_for_update().filter(pk=measure.pk).first()
        locked = _lock(package)
        _require_on_table(
            locked, _("This package was withdrawn; it can no longer be changed.")
        )
        if locked.status == PackageStatus.AGREED:
            raise PackageError(
                _(
                    "Both delegations have agreed this package; it can no longer be "
                    "changed."
                )
            )
        member_ids = set(locked.members.values_list("pk", flat=True))
        sessions = package_members.package_session_ids(locked)
        if add:
            if measure.pk in member_ids:
                raise PackageError(_("This measure is already in the package."))
            (measure,) = _members(by, [measure.pk], minimum=1)
            locked.members.add(measure)
            events.member_added(package=locked, by=by, measure=measure)
        else:
            if measure.pk not in member_ids:
                raise PackageError(_("This measure is not in the package."))
            if len(member_ids) <= MIN_MEMBERS:
                raise PackageError(
                    _("A package needs at least two measures; withdraw it instead.")
                )
            locked.members.remove(measure)
            events.member_removed(package=locked, by=by, measure=measure)
        package_members.suspend(locked, by=by, reason="members")
        package_members.derive_majorities(locked, by=by)
        package_members.settle(locked)
        package_members.touch([locked], extra=sessions)
    return locked


def package_add_member(
    *, package: MeasurePackage, measure: ReciprocalMeasure, by: Participant
) -> MeasurePackage:
    """Its creator adds a measure on the table; endorsements are suspended."""
    return _change_members(package, by, measure, add=True)


def package_remove_member(
    *, package: MeasurePackage, measure: ReciprocalMeasure, by: Participant
) -> MeasurePackage:
    """Its creator removes a member (at least two stay); endorsements are
    suspended."""
    return _change_members(package, by, measure, add=False)
