"""The reciprocal measures in a summary: every non-draft measure linked to an
item of the session, with its status, the delegations that endorsed it and
each delegation's tally of answers (by stance). What each side would do is
the proposer's own words: kept only when the mode quotes remarks."""

from collections import Counter, defaultdict

from django.db.models import Count

from dialogue.models import (
    MeasureEndorsement,
    MeasureResponse,
    MeasureStatus,
    ReciprocalMeasure,
    Session,
    Stance,
)
from dialogue.summary.document import MeasureSummary, Tally


def measure_tallies(*, measure_ids: list[int]) -> dict[tuple, Counter]:
    """Answers to each measure per (measure id, delegation id), by stance.

    The same count as the measure page's tally (views/measures.py `_tally`):
    both should read it from one shared selector (`selectors/measures.py`),
    and this function should become a call to it.
    """
    tallies: dict[tuple, Counter] = defaultdict(Counter)
    for row in (
        MeasureResponse.objects.filter(measure_id__in=measure_ids)
        .values("measure_id", "participant__delegation_id", "stance")
        .annotate(n=Count("id"))
    ):
        key = (row["measure_id"], row["participant__delegation_id"])
        tallies[key][row["stance"]] += row["n"]
    return tallies


def measures(
    *, session: Session, delegations: dict, quote: bool
) -> list[MeasureSummary]:
    """The session's measures, oldest first (`delegations` by code)."""
    found = list(
        ReciprocalMeasure.objects.filter(
            workshop_id=session.workshop_id, items__session=session
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
    for measure_id, item_number in ReciprocalMeasure.items.through.objects.filter(
        reciprocalmeasure_id__in=ids, agendaitem__session=session
    ).values_list("reciprocalmeasure_id", "agendaitem__number"):
        numbers[measure_id].add(item_number)
    endorsed: dict[int, set] = defaultdict(set)
    for measure_id, delegation_id in MeasureEndorsement.objects.filter(
        measure_id__in=ids
    ).values_list("measure_id", "delegation_id"):
        endorsed[measure_id].add(delegation_id)
    tallies = measure_tallies(measure_ids=ids)
    return [
        MeasureSummary(
            title=m.title,
            proposed_by=m.proposing_delegation.name,
            our_action=m.our_action if quote else "",
            their_action=m.their_action if quote else "",
            status=str(MeasureStatus(m.status).label),
            status_value=m.status,
            sequencing=str(m.get_sequencing_display()),
            timeframe=m.timeframe,
            revision=m.revision,
            endorsed_by=tuple(
                delegation.name
                for d, delegation in delegations.items()
                if d in endorsed[m.pk]
            ),
            tallies=tuple(
                _tally(delegation.name, tallies.get((m.pk, d), Counter()))
                for d, delegation in delegations.items()
            ),
            item_numbers=tuple(sorted(numbers[m.pk])),
        )
        for m in found
    ]


def _tally(delegation: str, counter: Counter) -> Tally:
    return Tally(
        delegation=delegation,
        support=counter[Stance.SUPPORT],
        support_with_changes=counter[Stance.SUPPORT_WITH_CHANGES],
        oppose=counter[Stance.OPPOSE],
        clarify=counter[Stance.CLARIFY],
    )
