"""The delegations' responses in a summary, from `published_responses`, the
one reading of what everyone may see of them.

Before the reveal the report says only how far each delegation has got
("CN: 4 of 7 answered"), never a stance or a word of a draft, so the bytes
of a report are the same whatever the sealed drafts say. After the reveal
each item shows the adopted response of every delegation that answers it
(and of its points): the delegation's collective word, named by delegation
in every confidentiality mode. A workshop without a round has no section.
"""

from dataclasses import dataclass, field

from dialogue.models import ResponseStance, Session
from dialogue.selectors.responses import published_responses
from dialogue.summary.build_header import when
from dialogue.summary.document import (
    ResponseProgress,
    ResponsesOverview,
    ResponseSummary,
)


@dataclass
class Found:
    overview: ResponsesOverview | None = None
    by_item: dict[int, tuple[ResponseSummary, ...]] = field(default_factory=dict)
    # (item number, the response) for the findings, in agenda order.
    stances: list[tuple[int, ResponseSummary]] = field(default_factory=list)


def responses(*, session: Session, delegations: dict) -> Found:
    published = published_responses(workshop=session.workshop)
    if published.round is None:
        return Found()
    round_ = published.round
    overview = ResponsesOverview(
        revealed=published.revealed,
        revealed_at=when(round_.revealed_at) if published.revealed else "",
        progress=tuple(
            ResponseProgress(
                delegation=side.delegation.code,
                answered=side.answered,
                required=side.required,
            )
            for side in sorted(published.progress, key=lambda s: s.delegation.code)
        ),
        unanswered=tuple(f"{u['delegation']} {u['ref']}" for u in round_.unanswered)
        if published.revealed
        else (),
    )
    found = Found(overview=overview)
    if not published.revealed:
        return found
    by_item: dict[int, list] = {}
    for ask in published.asks:
        revision = published.adopted.get(ask.key)
        if revision is None or ask.item.session_id != session.pk:
            continue
        summary = ResponseSummary(
            delegation=delegations[ask.delegation.pk].display_name,
            point_label=f"{ask.item.number}.{ask.point.position}" if ask.point else "",
            stance=str(ResponseStance(revision.stance).label),
            stance_value=revision.stance,
            reasoning=revision.reasoning,
            conditions=revision.conditions,
        )
        by_item.setdefault(ask.item.pk, []).append(summary)
        found.stances.append((ask.item.number, summary))
    found.by_item = {pk: tuple(rows) for pk, rows in by_item.items()}
    return found
