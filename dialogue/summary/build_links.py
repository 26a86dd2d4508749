"""The mirror pairs in a summary: every link of kind "mirror" with an end
among the session's items, agreed (both delegations confirmed it) or
suggested; a rejected pair is left out. The passages are quotes of the
agenda, not of anyone's remark, so every mode keeps them. Two queries."""

from django.db.models import Prefetch, Q

from dialogue.link_rules import AGREED, REJECTED, link_state
from dialogue.models import ItemLink, LinkKind, LinkVerdict, Session
from dialogue.summary.document import LinkEndSummary, LinkSummary


def mirror_pairs(*, session: Session, delegations: dict) -> tuple[LinkSummary, ...]:
    """The session's mirror pairs in the order they were suggested."""
    links = (
        ItemLink.objects.filter(workshop_id=session.workshop_id, kind=LinkKind.MIRROR)
        .filter(Q(item_a__session=session) | Q(item_b__session=session))
        .select_related(
            "item_a__session",
            "item_b__session",
            "item_a__proposed_by",
            "item_b__proposed_by",
            "point_a",
            "point_b",
        )
        .prefetch_related(Prefetch("verdicts", queryset=LinkVerdict.objects.all()))
        .order_by("created_at", "id")
    )
    found = []
    for link in links:
        state = link_state([v.decision for v in link.verdicts.all()], len(delegations))
        if state == REJECTED:
            continue
        ends = sorted(
            (
                (link.item_a, link.end_label("a"), link.quote_a),
                (link.item_b, link.end_label("b"), link.quote_b),
            ),
            key=lambda end: (end[0].proposed_by.code, end[0].session.number),
        )
        found.append(
            LinkSummary(
                agreed=state == AGREED,
                ends=tuple(
                    LinkEndSummary(label=label, title=item.title, quote=quote)
                    for item, label, quote in ends
                ),
            )
        )
    return tuple(found)
