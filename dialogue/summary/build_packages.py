"""The packages of measures in a summary: every package on the table with a
member linked to an item of the session (or, for the workshop's own
report, of any of its sessions), with its state, its members (the
latest revision of each) and which delegations endorse it or have their
endorsement suspended. Titles only: a package's note is not reported."""

from dialogue.models import (
    MeasurePackage,
    MeasureStatus,
    PackageEndorsement,
    PackageStatus,
    ReciprocalMeasure,
    Session,
    Workshop,
)
from dialogue.summary.document import PackageSummary


def packages(
    *,
    session: Session | None = None,
    workshop: Workshop | None = None,
    delegations: dict,
) -> list[PackageSummary]:
    """The session's packages, oldest first (`delegations` by id, by code);
    with `workshop` instead of a session, those of every session of it."""
    workshop_id = session.workshop_id if session is not None else workshop.pk
    scope = (
        {"agendaitem__session": session}
        if session is not None
        else {"agendaitem__session__workshop_id": workshop_id}
    )
    linked = ReciprocalMeasure.items.through.objects.filter(**scope).values(
        "reciprocalmeasure_id"
    )
    found = list(
        MeasurePackage.objects.filter(workshop_id=workshop_id, members__in=linked)
        .exclude(status=PackageStatus.WITHDRAWN)
        .distinct()
        .order_by("created_at", "id")
        .prefetch_related("members__proposing_delegation", "endorsements")
    )
    order = list(delegations)  # ids, in the delegations' order
    summaries = []
    for package in found:
        endorsements = sorted(
            package.endorsements.all(), key=lambda e: order.index(e.delegation_id)
        )
        members = sorted(package.members.all(), key=lambda m: (m.created_at, m.pk))
        summaries.append(
            PackageSummary(
                title=package.title,
                status=str(PackageStatus(package.status).label),
                status_value=package.status,
                members=tuple(
                    (
                        m.title,
                        m.proposing_delegation.display_name,
                        str(MeasureStatus(m.status).label),
                    )
                    for m in members
                ),
                endorsed_by=_names(endorsements, delegations, active=True),
                suspended_for=_names(endorsements, delegations, active=False),
            )
        )
    return summaries


def _names(endorsements: list[PackageEndorsement], delegations, *, active: bool):
    return tuple(
        delegations[e.delegation_id].display_name
        for e in endorsements
        if e.active == active
    )
