"""Reads of packages of measures: one package, the packages a session's board
shows, a package's page, and the measures a package may be made of.

Every read goes through `permissions.visible_packages`; a package's members
are measures both sides see (`permissions.package_member_refusal`), so no
draft reaches anyone through a package.
"""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from dialogue import permissions
from dialogue.measure_rules import endorsement_mode
from dialogue.models import (
    Delegation,
    MeasureEndorsement,
    MeasurePackage,
    PackageEndorsement,
    PackageEvent,
    PackageStatus,
    Participant,
    ReciprocalMeasure,
    Session,
)

THROUGH = ReciprocalMeasure.items.through


def _visible(participant: Participant):
    return MeasurePackage.objects.filter(
        permissions.visible_packages(participant)
    ).distinct()


def package_get(*, participant: Participant, pk: int) -> MeasurePackage:
    """A package the participant may see, or 404."""
    package = (
        _visible(participant)
        .select_related("workshop", "created_by__user", "created_by__delegation")
        .filter(pk=pk)
        .first()
    )
    if package is None:
        raise Http404
    return package


def _with_parts(packages):
    """Members (with who proposed each and its endorsements) and the
    package's endorsements, in three queries whatever the number of
    packages."""
    return packages.select_related(
        "workshop", "created_by__delegation"
    ).prefetch_related(
        Prefetch(
            "members",
            queryset=ReciprocalMeasure.objects.select_related(
                "proposing_delegation"
            ).order_by("created_at", "pk"),
        ),
        Prefetch(
            "endorsements",
            queryset=PackageEndorsement.objects.select_related(
                "delegation", "endorsed_by__user"
            ),
        ),
    )


@dataclass(frozen=True)
class Side:
    """One delegation's stand on a package: "endorsed", "suspended" (its
    endorsement waits to be renewed after a member changed) or "awaiting"."""

    delegation: Delegation
    endorsement: PackageEndorsement | None
    state: str


@dataclass(frozen=True)
class PackageActions:
    """What the participant may do to the package now."""

    endorse: bool
    withdraw_endorsement: bool
    change: bool
    withdraw: bool


@dataclass(frozen=True)
class PackageCard:
    package: MeasurePackage
    members: list[ReciprocalMeasure]
    sides: list[Side]
    actions: PackageActions

    @property
    def suspended(self) -> bool:
        return self.package.status == PackageStatus.SUSPENDED

    @property
    def agreed(self) -> bool:
        return self.package.status == PackageStatus.AGREED


def _sides(package, delegations) -> list[Side]:
    by_delegation = {e.delegation_id: e for e in package.endorsements.all()}
    sides = []
    for delegation in delegations:
        endorsement = by_delegation.get(delegation.pk)
        if endorsement is None:
            state = "awaiting"
        else:
            state = "endorsed" if endorsement.active else "suspended"
        sides.append(Side(delegation, endorsement, state))
    return sides


def package_actions(
    *, participant: Participant, package: MeasurePackage, sides: list[Side]
) -> PackageActions:
    """The participant's role (`permissions`) and the package's state both
    allow it. No query: the package's endorsements are already loaded."""
    own = participant.delegation
    on_table = package.status != PackageStatus.WITHDRAWN
    mine = next((s for s in sides if own and s.delegation.pk == own.pk), None)
    may_endorse = (
        own is not None
        and on_table
        and permissions.endorse_package_refusal(participant, package, own) is None
    )
    may_change = (
        on_table
        and package.status != PackageStatus.AGREED
        and permissions.change_package_refusal(participant, package) is None
    )
    return PackageActions(
        endorse=may_endorse and mine is not None and mine.state != "endorsed",
        withdraw_endorsement=may_endorse
        and mine is not None
        and mine.state != "awaiting",
        change=may_change,
        withdraw=may_change,
    )


def _cards(participant, packages, delegations) -> list[PackageCard]:
    cards = []
    for package in packages:
        sides = _sides(package, delegations)
        cards.append(
            PackageCard(
                package=package,
                members=list(package.members.all()),
                sides=sides,
                actions=package_actions(
                    participant=participant, package=package, sides=sides
                ),
            )
        )
    return cards


def board_packages(
    *,
    participant: Participant,
    session: Session,
    delegations: list[Delegation],
    item=None,
    delegation: Delegation | None = None,
) -> list[PackageCard]:
    """The packages on the table with a member linked to the session's items,
    oldest first, as the board shows them (three queries). The board's
    filters narrow them as they narrow the measures: to packages with a
    member linked to `item`, and with a member `delegation` proposed."""
    linked = THROUGH.objects.filter(agendaitem__session=session)
    if item is not None:
        linked = linked.filter(agendaitem=item)
    packages = (
        _visible(participant)
        .filter(members__in=linked.values("reciprocalmeasure_id"))
        .exclude(status=PackageStatus.WITHDRAWN)
        .order_by("created_at", "pk")
    )
    if delegation is not None:
        packages = packages.filter(members__proposing_delegation=delegation)
    return _cards(participant, _with_parts(packages), delegations)


def package_candidates(*, participant: Participant):
    """The measures the participant may bundle: seen by both sides and on the
    table, newest first."""
    return (
        ReciprocalMeasure.objects.filter(
            permissions.visible_measures(participant), permissions.package_members()
        )
        .select_related("proposing_delegation")
        .distinct()
        .order_by("-created_at", "-pk")
    )


@dataclass(frozen=True)
class MemberRow:
    """A member on the package's page, with each side's endorsement of it."""

    measure: ReciprocalMeasure
    endorsed_by: list[str]  # delegation codes, in the delegations' order


@dataclass(frozen=True)
class PackageDetail:
    card: PackageCard
    members: list[MemberRow]
    events: list[PackageEvent]
    modes: dict[int, str]  # delegation id -> how it endorses
    candidates: QuerySet  # of ReciprocalMeasure: what may still be added


def package_detail_data(
    *, participant: Participant, package: MeasurePackage
) -> PackageDetail:
    """The page of a package the participant may see (see `package_get`)."""
    heads = set(
        Participant.objects.filter(
            permissions.delegation_heads(), workshop_id=package.workshop_id
        ).values_list("delegation_id", flat=True)
    )
    delegations = list(participant.workshop.delegations.all())
    (card,) = _cards(
        participant,
        _with_parts(MeasurePackage.objects.filter(pk=package.pk)),
        delegations,
    )
    member_ids = [m.pk for m in card.members]
    endorsed = {}
    for measure_id, delegation_id in MeasureEndorsement.objects.filter(
        measure_id__in=member_ids
    ).values_list("measure_id", "delegation_id"):
        endorsed.setdefault(measure_id, set()).add(delegation_id)
    members = [
        MemberRow(
            measure=m,
            endorsed_by=[d.code for d in delegations if d.pk in endorsed.get(m.pk, ())],
        )
        for m in card.members
    ]
    candidates = ReciprocalMeasure.objects.none()
    if card.actions.change:
        candidates = package_candidates(participant=participant).exclude(
            pk__in=member_ids
        )
    return PackageDetail(
        card=card,
        members=members,
        events=list(
            card.package.events.select_related("actor__user", "actor__delegation")
        ),
        modes={
            d.pk: endorsement_mode(
                workshop=participant.workshop, delegation_has_head=d.pk in heads
            )
            for d in delegations
        },
        candidates=candidates,
    )


def packages_holding(*, participant: Participant, measure: ReciprocalMeasure):
    """The packages on the table that hold `measure`, for its page (one query)."""
    return list(
        _visible(participant)
        .filter(members=measure)
        .exclude(status=PackageStatus.WITHDRAWN)
        .order_by("created_at", "pk")
    )
