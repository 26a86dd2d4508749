"""Reads of item links: one link, a workshop's or an item's links, and what
the links page shows (the two lists side by side, the chart, the list).

Every read goes through `permissions.visible_links`: a link with an end in
a draft session does not exist for a delegate (404, as for no link). The
page costs the same number of queries whatever the number of items and
links (`tests/test_links_pages.py`).
"""

from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dialogue import permissions
from dialogue.link_chart import ChartColumn, ChartLink, ChartRow, link_chart_svg
from dialogue.link_rules import AGREED, REJECTED, link_state
from dialogue.measure_rules import endorsement_mode
from dialogue.models import (
    AgendaItem,
    Delegation,
    EndorsementVia,
    ItemLink,
    LinkKind,
    LinkVerdict,
    Participant,
)


def _links(participant: Participant):
    return (
        ItemLink.objects.filter(permissions.visible_links(participant))
        .select_related(
            "item_a__session__workshop",
            "item_b__session__workshop",
            "item_a__proposed_by",
            "item_b__proposed_by",
            "point_a",
            "point_b",
            "suggested_for",
        )
        .prefetch_related(
            Prefetch(
                "verdicts",
                queryset=LinkVerdict.objects.select_related("delegation").order_by(
                    "delegation__code"
                ),
            )
        )
    )


def link_get(*, participant: Participant, pk: int) -> ItemLink:
    """A link the participant may see, or 404."""
    link = _links(participant).filter(pk=pk).first()
    if link is None:
        raise Http404
    return link


@dataclass(frozen=True)
class LinkRow:
    """One link as the pages show it."""

    link: ItemLink
    verdicts: tuple[LinkVerdict, ...]  # one per delegation, by code
    state: str  # link_rules.AGREED, REJECTED or SUGGESTED
    mine: LinkVerdict | None  # the viewer's delegation's verdict
    # (item, label, quote) per end, in the order of the delegations' columns
    ends: tuple[tuple[AgendaItem, str, str], ...] = ()

    @property
    def agreed(self) -> bool:
        return self.state == AGREED

    @property
    def rejected(self) -> bool:
        return self.state == REJECTED


def _rows(links, participant: Participant, delegations: int) -> list[LinkRow]:
    rows = []
    for link in links:
        verdicts = tuple(link.verdicts.all())
        rows.append(
            LinkRow(
                link=link,
                verdicts=verdicts,
                state=link_state([v.decision for v in verdicts], delegations),
                mine=next(
                    (
                        v
                        for v in verdicts
                        if v.delegation_id == participant.delegation_id
                    ),
                    None,
                ),
                ends=_ends(link),
            )
        )
    return rows


def _ends(link: ItemLink):
    """Both ends, the one proposed by the delegation first by code first (the
    order of the page's columns), so no side is always second."""
    ends = [
        (link.item_a, link.end_label("a"), link.quote_a),
        (link.item_b, link.end_label("b"), link.quote_b),
    ]
    return tuple(
        sorted(
            ends,
            key=lambda end: (
                end[0].proposed_by.code,
                end[0].session.number,
                end[0].number,
            ),
        )
    )


def item_links(*, participant: Participant, item: AgendaItem) -> list[LinkRow]:
    """The links with an end at `item`, for its page."""
    links = _links(participant).filter(Q(item_a=item) | Q(item_b=item))
    count = Delegation.objects.filter(workshop_id=participant.workshop_id).count()
    return _rows(links, participant, count)


def head_decides_links(*, workshop, delegation: Delegation | None) -> bool:
    """Does this delegation confirm and reject links through its head? As
    for endorsing a measure (`measure_rules.endorsement_mode`)."""
    if delegation is None:
        return False
    has_head = Participant.objects.filter(
        permissions.delegation_heads(), delegation=delegation
    ).exists()
    mode = endorsement_mode(workshop=workshop, delegation_has_head=has_head)
    return mode == EndorsementVia.HEAD


def can_decide_links(participant: Participant) -> bool:
    """May this participant confirm or reject links for their delegation?"""
    delegation = (
        participant.delegation if permissions.is_delegate(participant) else None
    )
    workshop = participant.workshop
    reason = permissions.decide_link_refusal(
        participant,
        workshop,
        delegation,
        head_decides=head_decides_links(workshop=workshop, delegation=delegation),
    )
    return reason is None


@dataclass(frozen=True)
class LinkColumn:
    delegation: Delegation
    items: tuple[AgendaItem, ...]


@dataclass(frozen=True)
class LinkPage:
    columns: tuple[LinkColumn, ...]  # one per delegation, in the app's order
    rows: tuple[LinkRow, ...]
    chart_svg: str  # "" unless there are exactly two delegations
    items: tuple[AgendaItem, ...]  # every visible item, for the form
    can_decide: bool
    can_suggest: bool


def linkable_items(*, participant: Participant):
    """The items a participant may link (those of sessions they may see),
    with their sessions and points, in session and item order."""
    return (
        AgendaItem.objects.filter(
            permissions.visible_sessions(participant, prefix="session__")
        )
        .select_related("session__workshop")
        .prefetch_related("points")
        .order_by("session__number", "number")
    )


def item_key(item: AgendaItem) -> str:
    return f"{item.session.number}.{item.number}"


def links_page(*, participant: Participant) -> LinkPage:
    """The links page: each delegation's recommendations (the items it
    proposed), side by side by delegation code like every page, and the
    links between them (rejected ones are listed but not drawn)."""
    delegations = list(participant.workshop.delegations.all())
    items = tuple(linkable_items(participant=participant))
    columns = tuple(
        LinkColumn(d, tuple(i for i in items if i.proposed_by_id == d.pk))
        for d in delegations
    )
    rows = tuple(_rows(_links(participant), participant, len(delegations)))
    chart = _chart(columns, rows) if len(columns) == 2 else ""
    return LinkPage(
        columns=columns,
        rows=rows,
        chart_svg=chart,
        items=items,
        can_decide=can_decide_links(participant),
        can_suggest=permissions.can_suggest_link(participant),
    )


def _chart(columns: tuple[LinkColumn, ...], rows: tuple[LinkRow, ...]) -> str:
    left, right = (
        ChartColumn(
            heading=column.delegation.display_name,
            rows=tuple(
                ChartRow(item_key(item), f"{item_key(item)}  {item.title}")
                for item in column.items
            ),
        )
        for column in columns
    )
    kinds = dict(LinkKind.choices)
    links = [
        ChartLink(
            a=item_key(row.link.item_a),
            b=item_key(row.link.item_b),
            kind=row.link.kind,
            agreed=row.agreed,
            title=_("%(kind)s: %(a)s and %(b)s (%(state)s)")
            % {
                "kind": kinds[row.link.kind],
                "a": row.link.end_label("a"),
                "b": row.link.end_label("b"),
                "state": _("agreed by both") if row.agreed else _("suggested"),
            },
        )
        for row in rows
        if not row.rejected
    ]
    drawn = len(links)
    return link_chart_svg(
        left=left,
        right=right,
        links=links,
        title=_("Links between the two lists of recommendations"),
        description=ngettext(
            "%(left)s's recommendations on the left, %(right)s's on the right; "
            "%(count)d link drawn between them, listed below the chart.",
            "%(left)s's recommendations on the left, %(right)s's on the right; "
            "%(count)d links drawn between them, each listed below the chart.",
            drawn,
        )
        % {"left": left.heading, "right": right.heading, "count": drawn},
        legend=[(kind, label) for kind, label in LinkKind.choices],
        agreed_label=_("agreed by both"),
        suggested_label=_("suggested"),
    )


def measure_prefill(*, participant: Participant, link: ItemLink) -> dict:
    """What "Propose a measure from this pair" puts in the measure form: what
    the proposer's side would do is the passage of the end addressed to it
    (the other side asks it of them), what the other side would do is the
    other passage; both items ticked."""
    ends = [
        (link.item_a, link.quote_a, "a"),
        (link.item_b, link.quote_b, "b"),
    ]
    mine = participant.delegation_id
    ends.sort(key=lambda end: end[0].addressed_to_id != mine)
    (our_item, our_quote, our_end), (_their_item, their_quote, their_end) = ends
    title = _("From the pair %(a)s and %(b)s") % {
        "a": link.end_label(our_end),
        "b": link.end_label(their_end),
    }
    return {
        "title": title[:200],
        "our_action": our_quote,
        "their_action": their_quote,
        "item_ids": [link.item_a_id, link.item_b_id],
    }
