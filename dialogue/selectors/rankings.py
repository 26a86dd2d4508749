"""Reads for priority ranking, each keeping ballots secret.

No function here says whose ballot is whose: a participant reads back only
their own (`own_ballot`), and `counted_ballots` hands the aggregates the
orderings of a closed round without names, grouped by delegation. It is
also the one rule of which ballots count, for the results page and the
summary alike. Everything built on it (`round_results`, `round_feedback`)
refuses an open round, so a page cannot show a partial result by mistake;
while a round is open the only figures are the facilitator's turnout counts.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from dialogue import permissions, ranking_maths
from dialogue.models import (
    AgendaItem,
    Delegation,
    Participant,
    RankingEntry,
    RankingRound,
    Role,
    Session,
    Workshop,
)
from dialogue.models.rankings import MAX_ROUNDS
from dialogue.ranking_maths import rank_text
from dialogue.slope_chart import slope_chart_svg


def ranked_items(*, session: Session) -> list[AgendaItem]:
    """The session's items in agenda order: what a ballot ranks."""
    return list(AgendaItem.objects.filter(session=session).order_by("number"))


def session_rounds(*, session: Session) -> list[RankingRound]:
    """The session's rounds, first to last."""
    return list(RankingRound.objects.filter(session=session).order_by("number"))


def open_round(rounds: list[RankingRound]) -> RankingRound | None:
    return next((round_ for round_ in rounds if round_.is_open), None)


def can_open_next_round(*, session: Session, rounds: list[RankingRound]) -> bool:
    return (
        permissions.ranking_is_on(session)
        and open_round(rounds) is None
        and len(rounds) < MAX_ROUNDS
    )


def closed_round_get(*, session: Session, number: int) -> RankingRound | None:
    """A closed round of the session; None for an open or missing one."""
    return RankingRound.objects.filter(
        session=session, number=number, closed_at__isnull=False
    ).first()


@dataclass(frozen=True)
class Turnout:
    delegation: Delegation
    submitted: int
    eligible: int


def round_turnout(*, round_: RankingRound, workshop: Workshop) -> list[Turnout]:
    """How many of each delegation's delegates have submitted: counts only."""
    delegations = Delegation.objects.filter(workshop=workshop).annotate(
        eligible=Count(
            "participants",
            filter=Q(participants__role=Role.DELEGATE),
            distinct=True,
        ),
        submitted=Count(
            "participants__rankings",
            filter=Q(
                participants__role=Role.DELEGATE,
                participants__rankings__round=round_,
            ),
            distinct=True,
        ),
    )
    return [
        Turnout(delegation=d, submitted=d.submitted, eligible=d.eligible)
        for d in delegations
    ]


@dataclass(frozen=True)
class OwnBallot:
    order: list[int]
    submitted_at: object


def own_ballot(*, round_: RankingRound, participant: Participant) -> OwnBallot | None:
    """The participant's own ordering in a round (item ids, best first)."""
    rows = list(
        RankingEntry.objects.filter(
            ranking__round=round_, ranking__participant=participant
        )
        .order_by("position")
        .values_list("item_id", "ranking__submitted_at")
    )
    if not rows:
        return None
    return OwnBallot(order=[item_id for item_id, _ in rows], submitted_at=rows[0][1])


@dataclass(frozen=True)
class CountedBallots:
    """The ballots of a closed round that count, and the items they rank."""

    candidates: list[int]  # item ids, in agenda order
    by_delegation: dict[int, list[list[int]]]  # delegation id -> ballots

    @property
    def everyone(self) -> list[list[int]]:
        return [ballot for group in self.by_delegation.values() for ballot in group]


def counted_ballots(*, round_: RankingRound, items: list[AgendaItem]) -> CountedBallots:
    """Which ballots of a closed round count, over which items: the one rule
    that the results page and the summary both follow.

    Delegates' ballots count (grouped by their delegation). Ballots are
    complete when cast, so the items they rank are those of the first
    ballot; items added to the agenda afterwards were not ranked in this
    round and are left out (deleted items left every ballot together, by
    cascade). A ballot that does not rank every one of those items is left
    out. With no ballot, every item is a candidate. One query (`items` is
    already loaded); raises ValueError for an open round: its ballots stay
    secret.
    """
    if round_.is_open:
        raise ValueError("an open round's ballots are secret")
    rows = (
        RankingEntry.objects.filter(
            ranking__round=round_, ranking__participant__delegation__isnull=False
        )
        .order_by("ranking_id", "position")
        .values_list("ranking_id", "ranking__participant__delegation_id", "item_id")
    )
    ballots: dict[int, list[list[int]]] = defaultdict(list)
    first: list[int] | None = None
    current = None
    for ranking_id, delegation_id, item_id in rows.iterator(chunk_size=5000):
        if ranking_id != current:
            current = ranking_id
            ballot: list[int] = []
            ballots[delegation_id].append(ballot)
            first = ballot if first is None else first
        ballot.append(item_id)
    if first is None:
        return CountedBallots(candidates=[item.id for item in items], by_delegation={})
    ranked = set(first)
    candidates = [item.id for item in items if item.id in ranked]
    keep = set(candidates)
    counted = {}
    for delegation_id, group in ballots.items():
        kept = [[i for i in ballot if i in keep] for ballot in group]
        counted[delegation_id] = [row for row in kept if len(row) == len(keep)]
    return CountedBallots(candidates=candidates, by_delegation=counted)


@dataclass(frozen=True)
class RankedRow:
    item: AgendaItem
    rank: float
    tied: bool
    borda: int
    median: float | None
    iqr: float | None

    @property
    def rank_text(self) -> str:
        return rank_text(self.rank)

    @property
    def median_text(self) -> str:
        return rank_text(self.median)

    @property
    def iqr_text(self) -> str:
        return rank_text(self.iqr)


@dataclass(frozen=True)
class GroupResult:
    """One group's aggregate: a delegation, or every delegate together."""

    label: str
    delegation: Delegation | None
    n_rankers: int
    kendall_w: float | None
    rows: list[RankedRow]
    ranks: dict[int, float] = field(repr=False)


@dataclass(frozen=True)
class PairResult:
    """Where two delegations' priorities meet and part."""

    a: GroupResult
    b: GroupResult
    tau_b: float | None
    shared: list[AgendaItem]
    asymmetries: list[tuple[AgendaItem, float, float, float]]
    chart_svg: str = field(compare=False, repr=False)

    @property
    def asymmetry_rows(self) -> list[tuple[AgendaItem, str, str, str]]:
        return [
            (item, rank_text(a), rank_text(b), rank_text(gap))
            for item, a, b, gap in self.asymmetries
        ]


@dataclass(frozen=True)
class RoundResults:
    round: RankingRound
    groups: list[GroupResult]
    joint: GroupResult
    pairs: list[PairResult]
    n_items: int


def _group(label, delegation, aggregate, by_id) -> GroupResult:
    rows = []
    for tier in aggregate.schulze:
        for item_id in tier:
            feedback = aggregate.feedback.get(item_id)
            rows.append(
                RankedRow(
                    item=by_id[item_id],
                    rank=aggregate.ranks[item_id],
                    tied=len(tier) > 1,
                    borda=aggregate.borda[item_id],
                    median=feedback.median if feedback else None,
                    iqr=feedback.iqr if feedback else None,
                )
            )
    return GroupResult(
        label=label,
        delegation=delegation,
        n_rankers=aggregate.n_rankers,
        kendall_w=aggregate.kendall_w,
        rows=rows,
        ranks=dict(aggregate.ranks),
    )


def _chart(round_, index, a: GroupResult, b: GroupResult, candidates, by_id) -> str:
    name_a, name_b = a.delegation.display_name, b.delegation.display_name
    # Short: the chart truncates a long title; the axes name the delegations.
    title = _("Priorities in round %(round)d") % {"round": round_.number}
    lines = "; ".join(
        _("%(item)s: %(a)s %(rank_a)s, %(b)s %(rank_b)s")
        % {
            "item": by_id[item_id].title,
            "a": name_a,
            "rank_a": rank_text(a.ranks[item_id]),
            "b": name_b,
            "rank_b": rank_text(b.ranks[item_id]),
        }
        for item_id in candidates
    )
    description = _(
        "Slope chart: each line joins an item's rank for %(a)s (left) to its "
        "rank for %(b)s (right); rank 1 is at the top. %(lines)s."
    ) % {"a": name_a, "b": name_b, "lines": lines}
    return slope_chart_svg(
        left_label=name_a,
        right_label=name_b,
        items=[
            (
                f"{by_id[item_id].number}. {by_id[item_id].title}",
                a.ranks[item_id],
                b.ranks[item_id],
            )
            for item_id in candidates
        ],
        title=title,
        description=description,
        chart_id=f"slope-r{round_.pk}-{index}",
    )


def round_results(
    *, round_: RankingRound, items: list[AgendaItem], delegations: list[Delegation]
) -> RoundResults:
    """Aggregates of a closed round, per delegation (by code) and joint.

    Raises ValueError for an open round: its ballots stay secret.
    """
    counted = counted_ballots(round_=round_, items=items)
    candidates = counted.candidates
    by_id = {item.id: item for item in items}
    aggregates = [
        ranking_maths.aggregate(counted.by_delegation.get(d.id, []), candidates)
        for d in delegations
    ]
    groups = [
        _group(d.display_name, d, aggregate, by_id)
        for d, aggregate in zip(delegations, aggregates, strict=True)
    ]
    joint = _group(
        _("All delegates"),
        None,
        ranking_maths.aggregate(counted.everyone, candidates),
        by_id,
    )
    pairs = []
    indexed = list(zip(groups, aggregates, strict=True))
    for index, ((a, agg_a), (b, agg_b)) in enumerate(combinations(indexed, 2)):
        if not (a.n_rankers and b.n_rankers):
            continue
        comparison = ranking_maths.compare(agg_a, agg_b, candidates)
        pairs.append(
            PairResult(
                a=a,
                b=b,
                tau_b=comparison.tau_b,
                shared=[by_id[i] for i in comparison.shared_priorities],
                asymmetries=[
                    (by_id[i], rank_a, rank_b, gap)
                    for i, rank_a, rank_b, gap in comparison.asymmetries
                ],
                chart_svg=_chart(round_, index, a, b, candidates, by_id),
            )
        )
    return RoundResults(
        round=round_, groups=groups, joint=joint, pairs=pairs, n_items=len(candidates)
    )


@dataclass(frozen=True)
class ItemFeedback:
    """Delphi feedback on one item from the previous round."""

    label: str
    median: float
    iqr: float
    n: int

    @property
    def median_text(self) -> str:
        return rank_text(self.median)

    @property
    def iqr_text(self) -> str:
        return rank_text(self.iqr)


def round_feedback(
    *, round_: RankingRound, items: list[AgendaItem], delegations: list[Delegation]
) -> dict[int, list[ItemFeedback]]:
    """Each item's median rank and spread in a closed round, per delegation
    (by code) and overall, keyed by item id. Anonymous: figures only."""
    counted = counted_ballots(round_=round_, items=items)
    groups = [
        (d.display_name, counted.by_delegation.get(d.id, [])) for d in delegations
    ]
    groups.append((_("All delegates"), counted.everyone))
    candidates = counted.candidates
    result: dict[int, list[ItemFeedback]] = {item_id: [] for item_id in candidates}
    for label, group in groups:
        if not group:
            continue
        for item_id, figures in ranking_maths.item_feedback(group, candidates).items():
            result[item_id].append(
                ItemFeedback(
                    label=label, median=figures.median, iqr=figures.iqr, n=figures.n
                )
            )
    return result
