"""How reciprocal measures are keyed in the workshop file.

Drafts are private to their proposer and never leave the database: the export
skips them and the import leaves them alone. The other measures are keyed
"<chain>-r<revision>", chains numbered in the order they were first proposed,
so an export imports back onto the same rows and re-exports unchanged. The
exporter writes these keys and the importer matches rows by them.
"""

from django.db.models import Prefetch, QuerySet

from dialogue.models import (
    AgendaItem,
    MeasureEndorsement,
    MeasureResponse,
    MeasureStatus,
    ReciprocalMeasure,
    Workshop,
)


def measure_keys(measures: list[ReciprocalMeasure]) -> dict[int, str]:
    """Measure id -> its key in the workshop file, for non-draft measures."""
    by_id = {m.pk: m for m in measures}
    roots = sorted(
        (m for m in measures if (m.root_id or m.pk) == m.pk),
        key=lambda m: (m.proposed_at, m.pk),
    )
    chains = {root.pk: number for number, root in enumerate(roots, start=1)}
    return {
        m.pk: f"{chains[m.root_id or m.pk]}-r{m.revision}"
        for m in by_id.values()
        if (m.root_id or m.pk) in chains
    }


def published_measures(workshop: Workshop) -> QuerySet[ReciprocalMeasure]:
    """The workshop's measures that belong in a file (all but drafts), with
    what the export and the import read of them."""
    return (
        ReciprocalMeasure.objects.filter(workshop=workshop)
        .exclude(status=MeasureStatus.DRAFT)
        .select_related("proposer__user", "proposing_delegation")
        .prefetch_related(
            Prefetch("items", queryset=AgendaItem.objects.select_related("session")),
            Prefetch(
                "responses",
                queryset=MeasureResponse.objects.select_related("participant__user"),
            ),
            Prefetch(
                "endorsements",
                queryset=MeasureEndorsement.objects.select_related(
                    "delegation", "endorsed_by__user"
                ).order_by("delegation__code"),
            ),
        )
    )
