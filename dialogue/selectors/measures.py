"""Reads of reciprocal measures: one measure, the package board, the panels on
the session and item pages, a measure's page, and the tally of its answers.

Every read goes through `permissions.visible_measures`: other people's
drafts do not exist for anyone but their proposer (404, as for a measure
that does not exist).
"""

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import TypedDict

from django.db.models import Count, Exists, OuterRef, Prefetch
from django.http import Http404

from dialogue import permissions
from dialogue.measure_content import (
    MeasureContent,
    content_for_side,
    measure_changes,
)
from dialogue.measure_rules import endorsement_mode, measure_refusal
from dialogue.models import (
    AgendaItem,
    Delegation,
    MeasureEndorsement,
    MeasureEvent,
    MeasureResponse,
    MeasureStatus,
    Participant,
    ReciprocalMeasure,
    Sequencing,
    Session,
    Stance,
    Workshop,
)

# Board columns, left to right, in the order a measure moves through them.
BOARD_COLUMNS = (
    MeasureStatus.PROPOSED,
    MeasureStatus.UNDER_DISCUSSION,
    MeasureStatus.ENDORSED_ONE,
    MeasureStatus.ENDORSED_BOTH,
)
CLOSED_COLUMNS = (MeasureStatus.WITHDRAWN, MeasureStatus.SUPERSEDED)
THROUGH = ReciprocalMeasure.items.through


def _visible(participant: Participant):
    return ReciprocalMeasure.objects.filter(permissions.visible_measures(participant))


def _linked_to(**item_filter):
    """The ids of the measures linked to the items that `item_filter` picks."""
    return THROUGH.objects.filter(**item_filter).values("reciprocalmeasure_id")


def _items_in_order():
    return AgendaItem.objects.select_related("session").order_by(
        "session__number", "number"
    )


def measure_get(*, participant: Participant, pk: int) -> ReciprocalMeasure:
    """A measure the participant may see, or 404."""
    measure = (
        _visible(participant)
        .select_related("workshop", "proposer__user", "proposing_delegation")
        .filter(pk=pk)
        .first()
    )
    if measure is None:
        raise Http404
    return measure


# --- revisions: a chain of counter-proposals -----------------------------------


@dataclass(frozen=True)
class Revision:
    pk: int
    number: int
    delegation: Delegation  # the side that proposed this revision
    status: str


@dataclass(frozen=True)
class Lineage:
    """A measure's chain of proposed revisions, oldest first: who began it,
    who countered it. The board, the item page and the summary all show it."""

    revisions: tuple[Revision, ...]

    @property
    def begun_by(self) -> Delegation:
        return self.revisions[0].delegation

    @property
    def latest(self) -> Revision:
        return self.revisions[-1]

    @property
    def countered(self) -> bool:
        return len(self.revisions) > 1


def latest_revisions(measures):
    """Only the latest revision of each chain: a superseded revision has a
    counter-proposal after it, which is what the item page and the summary
    show (with its `Lineage`)."""
    return measures.exclude(status=MeasureStatus.SUPERSEDED)


def measure_lineages(measures: Iterable[ReciprocalMeasure]) -> dict[int, Lineage]:
    """The lineage of each measure, by measure id, in one query. Drafts are
    nobody's revision but their own."""
    measures = list(measures)
    roots = {m.root_id or m.pk for m in measures}
    chains: dict[int, list[Revision]] = {}
    for revision in (
        ReciprocalMeasure.objects.filter(root_id__in=roots)
        .exclude(status=MeasureStatus.DRAFT)
        .select_related("proposing_delegation")
        .order_by("revision", "pk")
    ):
        chains.setdefault(revision.root_id, []).append(
            Revision(
                pk=revision.pk,
                number=revision.revision,
                delegation=revision.proposing_delegation,
                status=revision.status,
            )
        )
    lineages = {}
    for m in measures:
        chain = [r for r in chains.get(m.root_id or m.pk, []) if r.number <= m.revision]
        if not chain or chain[-1].pk != m.pk:
            chain = [
                Revision(
                    pk=m.pk,
                    number=m.revision,
                    delegation=m.proposing_delegation,
                    status=m.status,
                )
            ]
        lineages[m.pk] = Lineage(revisions=tuple(chain))
    return lineages


def with_lineage(measures) -> list[ReciprocalMeasure]:
    """The measures as a list, each with its `lineage` (one query more)."""
    measures = list(measures)
    lineages = measure_lineages(measures)
    for m in measures:
        m.lineage = lineages[m.pk]
    return measures


def measure_cards(*, participant: Participant):
    """Measures as the board and the panels show them: three queries in all."""
    return (
        _visible(participant)
        .select_related("proposing_delegation")
        .annotate(answer_count=Count("responses"))
        .prefetch_related(
            Prefetch("items", queryset=_items_in_order()),
            Prefetch(
                "endorsements",
                queryset=MeasureEndorsement.objects.select_related(
                    "delegation"
                ).order_by("delegation__code"),
            ),
        )
        .order_by("-created_at", "-id")
    )


# --- the package board and the panels -------------------------------------------


def board_measures(
    *,
    participant: Participant,
    session: Session,
    item: AgendaItem | None = None,
    delegation: Delegation | None = None,
) -> dict[str, list[ReciprocalMeasure]]:
    """The session's measures the participant may see, by status (every
    status a key), narrowed to one item and to one proposing delegation."""
    measures = measure_cards(participant=participant).filter(
        pk__in=_linked_to(agendaitem__session=session)
    )
    if item is not None:
        measures = measures.filter(pk__in=_linked_to(agendaitem=item))
    if delegation is not None:
        measures = measures.filter(proposing_delegation=delegation)
    by_status = {status: [] for status in MeasureStatus.values}
    for measure in with_lineage(measures):
        by_status[measure.status].append(measure)
    return by_status


def session_measure_counts(*, participant: Participant, session: Session):
    """([(status, label, count)], total) of the session's measures: the board's
    columns always, the other statuses where there are any."""
    rows = (
        _visible(participant)
        .filter(pk__in=_linked_to(agendaitem__session=session))
        .values("status")
        .annotate(n=Count("id"))
    )
    found = {row["status"]: row["n"] for row in rows}
    counts = [
        (status, label, found.get(status, 0))
        for status, label in MeasureStatus.choices
        if found.get(status) or status in BOARD_COLUMNS
    ]
    return counts, sum(found.values())


def item_measures(*, participant: Participant, item: AgendaItem):
    """The measures linked to one item, as cards: the latest revision of
    each chain, with its lineage."""
    return with_lineage(
        latest_revisions(
            measure_cards(participant=participant).filter(
                pk__in=_linked_to(agendaitem=item)
            )
        )
    )


# --- the tally ------------------------------------------------------------------


class TallyRow(TypedDict):
    delegation: Delegation
    by_stance: dict[str, int]
    counts: list[int]  # in the order of Stance
    total: int
    endorsement: MeasureEndorsement | None
    mode: str  # how the delegation endorses: EndorsementVia.HEAD or .MAJORITY


def measure_tally(
    *,
    workshop: Workshop,
    delegations: Iterable[Delegation],
    responses: Iterable[tuple[int, str]],
    endorsements: Iterable[MeasureEndorsement],
    headed: Collection[int],
) -> list[TallyRow]:
    """Per delegation, in the order given: its answers counted per stance,
    their total, its endorsement if any, and how it endorses.

    Plain inputs, so any page or report can tally what it has loaded:
    `responses` are one measure's answers as (delegation id, stance) pairs,
    `endorsements` that measure's endorsements, `headed` the ids of the
    delegations that have a head; `workshop` gives the endorsement rule.
    """
    answers = list(responses)
    by_delegation = {e.delegation_id: e for e in endorsements}
    rows = []
    for delegation in delegations:
        by_stance = dict.fromkeys(Stance.values, 0)
        for delegation_id, stance in answers:
            if delegation_id == delegation.pk and stance in by_stance:
                by_stance[stance] += 1
        rows.append(
            TallyRow(
                delegation=delegation,
                by_stance=by_stance,
                counts=[by_stance[stance] for stance in Stance.values],
                total=sum(by_stance.values()),
                endorsement=by_delegation.get(delegation.pk),
                mode=endorsement_mode(
                    workshop=workshop,
                    delegation_has_head=delegation.pk in headed,
                ),
            )
        )
    return rows


# --- one measure's page ------------------------------------------------------------


@dataclass(frozen=True)
class MeasureActions:
    """What the participant may do to the measure now: their role
    (`permissions`) and the measure's state (`measure_rules`) both allow it."""

    answer: bool
    edit: bool
    counter: bool
    withdraw: bool
    endorse: bool
    propose_draft: bool
    delete_draft: bool


def measure_actions(
    *,
    participant: Participant,
    measure: ReciprocalMeasure,
    answered: bool,
    endorsed: Collection[int],
) -> MeasureActions:
    """`answered`: the measure has answers; `endorsed`: the ids of the
    delegations that endorsed it (whose heads are offered nothing more)."""

    def allowed(refusal, action, **known) -> bool:
        return (
            refusal is None
            and measure_refusal(measure=measure, action=action, **known) is None
        )

    own = participant.delegation
    return MeasureActions(
        answer=allowed(
            permissions.answer_measure_refusal(participant, measure), "answer"
        ),
        edit=allowed(
            permissions.edit_measure_refusal(participant, measure),
            "edit",
            answered=answered,
        ),
        counter=allowed(
            permissions.counter_measure_refusal(participant, measure), "counter"
        ),
        withdraw=allowed(
            permissions.withdraw_measure_refusal(participant, measure), "withdraw"
        ),
        endorse=own is not None
        and own.pk not in endorsed
        and allowed(
            permissions.endorse_measure_refusal(participant, measure, own), "endorse"
        ),
        propose_draft=allowed(
            permissions.propose_draft_refusal(participant, measure), "propose"
        ),
        delete_draft=allowed(
            permissions.delete_draft_refusal(participant, measure), "delete"
        ),
    )


def measure_chain(*, measure: ReciprocalMeasure) -> list[ReciprocalMeasure]:
    """Every proposed revision of the measure's chain, oldest first."""
    return list(
        ReciprocalMeasure.objects.filter(root_id=measure.root_id or measure.pk)
        .exclude(status=MeasureStatus.DRAFT)
        .select_related("proposing_delegation")
        .order_by("revision")
    )


def measure_history(*, measure: ReciprocalMeasure) -> list[MeasureEvent]:
    """The measure's events, oldest first, with who acted."""
    return list(measure.events.select_related("actor__user", "actor__delegation"))


@dataclass(frozen=True)
class MeasureDetail:
    """Everything the measure's page shows, read in a fixed number of queries."""

    measure: ReciprocalMeasure
    items: list[AgendaItem]
    board_sessions: list[Session]
    other_side: Delegation | None
    sequencing_side: str
    tally: list[TallyRow]
    responses: list[MeasureResponse]
    endorsements: list[MeasureEndorsement]
    chain: list[ReciprocalMeasure]
    latest: ReciprocalMeasure
    events: list[MeasureEvent]
    changes: list[str]
    previous: MeasureContent | None
    my_answer: MeasureResponse | None
    actions: MeasureActions


def measure_detail_data(
    *, participant: Participant, measure: ReciprocalMeasure
) -> MeasureDetail:
    """The page of a measure the participant may see (see `measure_get`)."""
    workshop = participant.workshop
    measure = (
        ReciprocalMeasure.objects.select_related(
            "workshop", "proposer__user", "proposing_delegation", "revision_of"
        )
        .prefetch_related(
            Prefetch("items", queryset=_items_in_order()),
            Prefetch("revision_of__items", queryset=_items_in_order()),
        )
        .get(pk=measure.pk)
    )
    heads = Participant.objects.filter(
        permissions.delegation_heads(), delegation=OuterRef("pk")
    )
    delegations = list(workshop.delegations.annotate(has_head=Exists(heads)))
    responses = list(
        measure.responses.select_related("participant__user", "participant__delegation")
    )
    endorsements = list(
        measure.endorsements.select_related("delegation", "endorsed_by__user").order_by(
            "delegation__code"
        )
    )
    chain = measure_chain(measure=measure)
    items = list(measure.items.all())
    others = [d for d in delegations if d.pk != measure.proposing_delegation_id]
    other_side = others[0] if len(others) == 1 else None
    previous = None
    if measure.revision_of is not None:
        previous = content_for_side(
            measure.revision_of, measure.proposing_delegation_id
        )
    sequencing_side = {
        Sequencing.PROPOSER_FIRST: measure.proposing_delegation.display_name,
        Sequencing.OTHER_FIRST: other_side.display_name if other_side else "",
    }.get(measure.sequencing, "")
    return MeasureDetail(
        measure=measure,
        items=items,
        board_sessions=list(
            {item.session.number: item.session for item in items}.values()
        ),
        other_side=other_side,
        sequencing_side=sequencing_side,
        tally=measure_tally(
            workshop=workshop,
            delegations=delegations,
            responses=[(r.participant.delegation_id, r.stance) for r in responses],
            endorsements=endorsements,
            headed={d.pk for d in delegations if d.has_head},
        ),
        responses=responses,
        endorsements=endorsements,
        chain=chain,
        latest=chain[-1] if chain else measure,
        events=measure_history(measure=measure),
        changes=measure_changes(measure),
        previous=previous,
        my_answer=next(
            (r for r in responses if r.participant_id == participant.pk), None
        ),
        actions=measure_actions(
            participant=participant,
            measure=measure,
            answered=bool(responses),
            endorsed={e.delegation_id for e in endorsements},
        ),
    )
