"""The reciprocal measures in a summary: the latest revision of every
non-draft measure linked to an item of the session (or, for the workshop's
own report, of any of its sessions; a superseded revision
is shown only in its successor's chain: who began it, who countered it),
with its status, the delegations that endorsed it and each delegation's
tally of answers (by stance). What each side would do is the proposer's
own words: kept only when the mode quotes remarks."""

from collections import defaultdict

from dialogue.models import (
    MeasureEndorsement,
    MeasureResponse,
    MeasureStatus,
    ReciprocalMeasure,
    Session,
    Stance,
    Workshop,
)
from dialogue.selectors.measures import (
    TallyRow,
    latest_revisions,
    measure_lineages,
    measure_tally,
)
from dialogue.summary.document import MeasureSummary, Tally


def _answers(*, measure_ids: list[int]) -> dict[int, list[tuple[int, str]]]:
    """Each measure's answers as (delegation id, stance) pairs, in one query."""
    answers: dict[int, list] = defaultdict(list)
    for measure_id, delegation_id, stance in MeasureResponse.objects.filter(
        measure_id__in=measure_ids
    ).values_list("measure_id", "participant__delegation_id", "stance"):
        answers[measure_id].append((delegation_id, stance))
    return answers


def measures(
    *,
    session: Session | None = None,
    workshop: Workshop | None = None,
    delegations: dict,
    quote: bool,
) -> list[MeasureSummary]:
    """The session's measures, oldest first (`delegations` by code); with
    `workshop` instead of a session, those of every session of it."""
    workshop = session.workshop if session is not None else workshop
    linked = {"items__session": session} if session else {"items__isnull": False}
    found = list(
        latest_revisions(
            ReciprocalMeasure.objects.filter(workshop_id=workshop.pk, **linked)
        )
        .exclude(status=MeasureStatus.DRAFT)
        .select_related("proposing_delegation")
        .distinct()
        .order_by("created_at", "id")
    )
    if not found:
        return []
    ids = [m.pk for m in found]
    numbers: dict[int, set] = defaultdict(set)
    in_scope = {"agendaitem__session": session} if session else {}
    for measure_id, item_number in ReciprocalMeasure.items.through.objects.filter(
        reciprocalmeasure_id__in=ids, **in_scope
    ).values_list("reciprocalmeasure_id", "agendaitem__number"):
        numbers[measure_id].add(item_number)
    endorsed: dict[int, list] = defaultdict(list)
    for endorsement in MeasureEndorsement.objects.filter(measure_id__in=ids):
        endorsed[endorsement.measure_id].append(endorsement)
    answers = _answers(measure_ids=ids)
    lineages = measure_lineages(found)
    # The measure page's tally, from the one shared selector.
    tallies = {
        m.pk: measure_tally(
            workshop=workshop,
            delegations=delegations.values(),
            responses=answers[m.pk],
            endorsements=endorsed[m.pk],
            headed=(),
        )
        for m in found
    }
    return [
        MeasureSummary(
            title=m.title,
            proposed_by=m.proposing_delegation.display_name,
            our_action=m.our_action if quote else "",
            their_action=m.their_action if quote else "",
            status=str(MeasureStatus(m.status).label),
            status_value=m.status,
            sequencing=str(m.get_sequencing_display()),
            timeframe=m.timeframe,
            revision=m.revision,
            revisions=tuple(
                (r.number, r.delegation.name) for r in lineages[m.pk].revisions
            ),
            endorsed_by=tuple(
                row["delegation"].display_name
                for row in tallies[m.pk]
                if row["endorsement"]
            ),
            tallies=tuple(_tally(row) for row in tallies[m.pk]),
            item_numbers=tuple(sorted(numbers[m.pk])),
        )
        for m in found
    ]


def _tally(row: TallyRow) -> Tally:
    return Tally(
        delegation=row["delegation"].display_name,
        support=row["by_stance"][Stance.SUPPORT],
        support_with_changes=row["by_stance"][Stance.SUPPORT_WITH_CHANGES],
        oppose=row["by_stance"][Stance.OPPOSE],
        clarify=row["by_stance"][Stance.CLARIFY],
    )
