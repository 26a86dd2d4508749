"""What a package does when one of its members changes, and the status its
endorsements imply.

The measure transitions call `on_member_changed` (a counter-proposal, a
withdrawal, an edit of a measure on the table) and
`on_member_endorsement` (a delegation's majority endorsement of a measure
given or lost). This module knows packages and measures' rows but not the
measure services, so those can call it without a cycle; the package
services (`dialogue.services.packages`) build on it.

Lock order everywhere: the measures first (by id), then their packages (by
id), so a transition on a measure and an endorsement of its package never
wait for each other in a circle.
"""

from collections.abc import Iterable

from django.db.models import Exists, OuterRef
from django.utils import timezone

from dialogue import permissions
from dialogue.live import sessions_touch
from dialogue.measure_rules import endorsement_mode
from dialogue.models import (
    AgendaItem,
    Delegation,
    EndorsementVia,
    MeasureEndorsement,
    MeasurePackage,
    PackageEndorsement,
    PackageStatus,
    Participant,
    ReciprocalMeasure,
)
from dialogue.services import package_events as events


def lock_packages(measure: ReciprocalMeasure) -> list[MeasurePackage]:
    """The packages on the table that hold `measure`, locked, by id."""
    return list(
        MeasurePackage.objects.select_for_update()
        .filter(pk__in=MeasurePackage.objects.filter(members=measure).values("pk"))
        .exclude(status=PackageStatus.WITHDRAWN)
        .select_related("workshop")
        .order_by("pk")
    )


def package_session_ids(package: MeasurePackage) -> set[int]:
    """The sessions whose boards show the package: those of its members' items."""
    return set(
        AgendaItem.objects.filter(measures__packages=package).values_list(
            "session_id", flat=True
        )
    )


def settle(package: MeasurePackage) -> str:
    """Store the status the package's endorsements imply; returns it.

    Agreed when every delegation endorses it; suspended while any
    delegation's endorsement waits to be renewed after a member changed;
    endorsed by one side; or open.
    """
    if package.status == PackageStatus.WITHDRAWN:
        return package.status
    endorsements = list(package.endorsements.all())
    active = sum(1 for e in endorsements if e.active)
    delegations = Delegation.objects.filter(workshop_id=package.workshop_id).count()
    if active and active >= delegations:
        status = PackageStatus.AGREED
    elif any(not e.active for e in endorsements):
        status = PackageStatus.SUSPENDED
    elif active:
        status = PackageStatus.ENDORSED_ONE
    else:
        status = PackageStatus.OPEN
    if status != package.status:
        package.status = status
        package.save(update_fields=["status", "updated_at"])
    return status


def suspend(
    package: MeasurePackage, *, by: Participant | None, reason: str, title: str = ""
) -> None:
    """Suspend every endorsement the package holds: a member changed, so what
    each delegation endorsed is no longer what the package says."""
    standing = list(
        package.endorsements.filter(suspended_at__isnull=True)
        .select_related("delegation")
        .order_by("delegation__code")
    )
    if standing:
        PackageEndorsement.objects.filter(pk__in=[e.pk for e in standing]).update(
            suspended_at=timezone.now()
        )
        events.suspended(
            package=package,
            by=by,
            delegations=[e.delegation.code for e in standing],
            reason=reason,
            title=title,
        )


def derive_majorities(
    package: MeasurePackage, *, by: Participant | None, delegations=None
) -> None:
    """For each delegation that endorses by majority (the workshop's rule,
    `endorsement_mode`), its endorsement of the package follows its
    endorsements of the members: it endorses the package when its majority
    has endorsed every member, and loses it when one of them is lost."""
    heads = Participant.objects.filter(
        permissions.delegation_heads(), delegation=OuterRef("pk")
    )
    if delegations is None:
        delegations = Delegation.objects.filter(workshop_id=package.workshop_id)
    member_ids = set(package.members.values_list("pk", flat=True))
    for delegation in delegations.annotate(has_head=Exists(heads)).order_by("code"):
        mode = endorsement_mode(
            workshop=package.workshop, delegation_has_head=delegation.has_head
        )
        if mode != EndorsementVia.MAJORITY:
            continue
        endorsed = set(
            MeasureEndorsement.objects.filter(
                delegation=delegation, measure_id__in=member_ids
            ).values_list("measure_id", flat=True)
        )
        complete = bool(member_ids) and endorsed == member_ids
        existing = PackageEndorsement.objects.filter(
            package=package, delegation=delegation
        ).first()
        if complete and (existing is None or not existing.active):
            if existing is None:
                PackageEndorsement.objects.create(
                    package=package, delegation=delegation, via=EndorsementVia.MAJORITY
                )
            else:
                existing.via, existing.endorsed_by = EndorsementVia.MAJORITY, None
                existing.endorsed_at, existing.suspended_at = timezone.now(), None
                existing.save()
            events.endorsed(
                package=package,
                by=by,
                delegation=delegation,
                via=EndorsementVia.MAJORITY,
            )
        elif not complete and existing is not None and existing.active:
            existing.delete()
            events.endorsement_lost(package=package, by=by, delegation=delegation)


def touch(packages: Iterable[MeasurePackage], extra: Iterable[int] = ()) -> None:
    """Live boards of every session the packages show on see the change."""
    ids = set(extra)
    for package in packages:
        ids |= package_session_ids(package)
    sessions_touch(session_ids=ids)


def on_member_changed(
    *,
    measure: ReciprocalMeasure,
    by: Participant,
    change: str,
    replacement: ReciprocalMeasure | None = None,
) -> None:
    """`measure` (locked by the caller) was countered (`replacement` is its
    new revision, which takes its place in each package), withdrawn or
    edited (`change`): every package holding it records the change and has
    its endorsements suspended until the delegations endorse it again."""
    packages = lock_packages(measure)
    for package in packages:
        if replacement is not None:
            package.members.remove(measure)
            package.members.add(replacement)
            events.member_replaced(
                package=package, by=by, measure=measure, replacement=replacement
            )
        else:
            events.member_changed(
                package=package, by=by, measure=measure, change=change
            )
        suspend(package, by=by, reason=change, title=measure.title)
        settle(package)
    touch(packages)


def on_member_endorsement(
    *, measure: ReciprocalMeasure, delegation: Delegation, by: Participant
) -> None:
    """A delegation's majority endorsement of `measure` was given or lost:
    its endorsement of each package holding it follows."""
    packages = lock_packages(measure)
    for package in packages:
        derive_majorities(
            package,
            by=by,
            delegations=Delegation.objects.filter(pk=delegation.pk),
        )
        settle(package)
    touch(packages)
