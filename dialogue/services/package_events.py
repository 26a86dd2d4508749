"""A package's history: one constructor per kind of event.

Each records a kind from `PackageEventKind` with the detail its line of
history needs (`PackageEvent.describe` reads it back). Titles are copied
into the detail, so a line still reads right after a member is removed.
"""

from django.utils import timezone

from dialogue.models import (
    Delegation,
    EndorsementVia,
    MeasurePackage,
    PackageEvent,
    PackageEventKind,
    Participant,
    ReciprocalMeasure,
)


def _event(
    package: MeasurePackage,
    kind: PackageEventKind,
    by: Participant | None,
    detail: dict | None = None,
) -> PackageEvent:
    return PackageEvent.objects.create(
        package=package, kind=kind, actor=by, detail=detail or {}, at=timezone.now()
    )


def _member(measure: ReciprocalMeasure) -> dict:
    return {"measure": measure.pk, "title": measure.title, "revision": measure.revision}


def created(*, package: MeasurePackage, by: Participant, members):
    return _event(
        package,
        PackageEventKind.CREATED,
        by,
        {"members": [_member(m) for m in members]},
    )


def member_added(*, package: MeasurePackage, by: Participant, measure):
    return _event(package, PackageEventKind.MEMBER_ADDED, by, _member(measure))


def member_removed(*, package: MeasurePackage, by: Participant, measure):
    return _event(package, PackageEventKind.MEMBER_REMOVED, by, _member(measure))


def member_replaced(*, package: MeasurePackage, by: Participant, measure, replacement):
    """`measure` was countered: its new revision takes its place."""
    return _event(
        package,
        PackageEventKind.MEMBER_REPLACED,
        by,
        {
            **_member(replacement),
            "replaces": measure.pk,
            "previous_revision": measure.revision,
        },
    )


def member_changed(*, package: MeasurePackage, by: Participant, measure, change: str):
    """A member was withdrawn or edited (`change`)."""
    return _event(
        package,
        PackageEventKind.MEMBER_CHANGED,
        by,
        {**_member(measure), "change": change},
    )


def endorsed(
    *, package: MeasurePackage, by: Participant, delegation: Delegation, via: str
):
    return _event(
        package,
        PackageEventKind.ENDORSED,
        by,
        {"delegation": delegation.code, "via": via},
    )


def endorsement_withdrawn(
    *, package: MeasurePackage, by: Participant, delegation: Delegation
):
    return _event(
        package,
        PackageEventKind.ENDORSEMENT_WITHDRAWN,
        by,
        {"delegation": delegation.code},
    )


def endorsement_lost(
    *, package: MeasurePackage, by: Participant, delegation: Delegation
):
    """The delegation's majority no longer supports every member."""
    return _event(
        package,
        PackageEventKind.ENDORSEMENT_LOST,
        by,
        {"delegation": delegation.code, "via": EndorsementVia.MAJORITY},
    )


def suspended(
    *,
    package: MeasurePackage,
    by: Participant,
    delegations: list[str],
    reason: str,
    title: str = "",
):
    """The endorsements of `delegations` (codes) were suspended because a
    member changed: `reason` is "countered", "withdrawn", "edited" or
    "members" (a member added or removed)."""
    return _event(
        package,
        PackageEventKind.SUSPENDED,
        by,
        {"delegations": delegations, "reason": reason, "title": title},
    )


def withdrawn(*, package: MeasurePackage, by: Participant):
    return _event(package, PackageEventKind.WITHDRAWN, by)


def imported(*, package: MeasurePackage):
    return _event(package, PackageEventKind.IMPORTED, None)
