"""Business rules for item links: suggest one, confirm or reject it.

A link joins two agenda items of one workshop (or a point of either), with
the passage of each end that shows the relation (`dialogue.link_rules`).
The organisers suggest links (`suggested_for` empty), and so does any
delegate, for their delegation. Every delegation then gives its verdict,
pending until it decides; a link is agreed when all of them confirm it.

Who decides for a delegation is `permissions.decide_link_refusal`: its head
where it endorses measures through its head, otherwise any of its delegates
(a link is a reading of the texts, so there is no vote). A delegation may
change its verdict later; giving the same verdict again writes nothing.

Refusals raise LinkError (a Refusal, 400), or LinkForbidden (403) when the
role does not suggest or decide at all; nothing has been written. The same
suggestion sent twice returns the link it created the first time.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dialogue import permissions
from dialogue.errors import Forbidden, Refusal, require
from dialogue.link_rules import NOTE_MAX, QUOTE_MAX, end_texts, quote_found
from dialogue.live import sessions_touch
from dialogue.models import (
    AgendaItem,
    AgendaPoint,
    Delegation,
    ItemLink,
    LinkDecision,
    LinkKind,
    LinkVerdict,
    Participant,
    Workshop,
)
from dialogue.selectors.links import head_decides_links
from dialogue.user_text import clean_user_text

__all__ = [
    "LinkEnd",
    "LinkError",
    "LinkForbidden",
    "link_confirm",
    "link_reject",
    "link_suggest",
]


class LinkError(Refusal):
    """A link action that the rules refuse; the message is for people (400)."""


class LinkForbidden(LinkError, Forbidden):
    """The participant's role does not suggest or decide links at all (403)."""


@dataclass(frozen=True)
class LinkEnd:
    """One end of a link: an item, optionally one of its points, and the
    passage of its text that the link rests on."""

    item: AgendaItem
    point: AgendaPoint | None
    quote: str


# --- checks -----------------------------------------------------------------


def _check_end(end: LinkEnd, name: str, workshop: Workshop, by) -> LinkEnd:
    """The end with its quote cleaned, or LinkError naming the field."""
    visible = AgendaItem.objects.filter(session__workshop=workshop, pk=end.item.pk)
    if isinstance(by, Participant):  # an item of a draft session is not there
        visible = visible.filter(permissions.visible_sessions(by, prefix="session__"))
    if not visible.exists():
        raise LinkError({f"item_{name}": _("Choose an agenda item of this workshop.")})
    if end.point is not None and end.point.item_id != end.item.pk:
        raise LinkError({f"point_{name}": _("The point must belong to its item.")})
    try:
        quote = clean_user_text(
            end.quote or "",
            label=_("The passage"),
            max_length=QUOTE_MAX,
            required=False,
        ).strip()
    except ValidationError as exc:
        raise LinkError({f"quote_{name}": exc.messages[0]}) from None
    texts = end_texts(
        title=end.item.title,
        body=end.item.body,
        point=end.point.text if end.point is not None else None,
    )
    if not quote:
        raise LinkError({f"quote_{name}": _("Quote the passage that shows the link.")})
    if not quote_found(quote, texts):
        if end.point is not None:
            message = _("The passage must be copied exactly from the point's text.")
        else:
            message = _(
                "The passage must be copied exactly from the item's title or text."
            )
        raise LinkError({f"quote_{name}": message})
    return LinkEnd(end.item, end.point, quote)


def _suggester(by, workshop: Workshop):
    """(user, delegation or None) of who suggests; refused if they may not."""
    if isinstance(by, Participant):
        require(permissions.suggest_link_refusal(by, workshop.pk), LinkForbidden)
        delegation = permissions.link_suggested_for(by)
        return by.user, delegation
    if not permissions.staff_suggests_links(by):
        raise LinkForbidden(
            permissions.staff_permission_reason(_("suggest links between items"))
        )
    return by, None


def _sessions(link: ItemLink) -> set[int]:
    return {link.item_a.session_id, link.item_b.session_id}


def _same(link: ItemLink, kind: str, a: LinkEnd, b: LinkEnd, note: str) -> bool:
    """Is `link` this very suggestion (either way round)?"""
    mine = {
        (link.item_a_id, link.point_a_id, link.quote_a),
        (link.item_b_id, link.point_b_id, link.quote_b),
    }
    theirs = {
        (end.item.pk, end.point.pk if end.point else None, end.quote) for end in (a, b)
    }
    return link.kind == kind and link.note == note and mine == theirs


# --- the transitions ----------------------------------------------------------


def link_suggest(
    *,
    by,
    workshop: Workshop,
    kind: str,
    end_a: LinkEnd,
    end_b: LinkEnd,
    note: str = "",
) -> ItemLink:
    """Suggest a link between two items (or points) of `workshop`.

    `by` is a participant (an organiser, or a delegate for their delegation)
    or a staff user in the admin or a command. Every delegation's verdict
    starts pending. The same suggestion again returns the existing link;
    a different suggestion for a pair already linked is refused.
    """
    user, delegation = _suggester(by, workshop)
    if kind not in LinkKind.values:
        raise LinkError({"kind": _("Choose one of the kinds of link.")})
    a = _check_end(end_a, "a", workshop, by)
    b = _check_end(end_b, "b", workshop, by)
    if a.item.pk == b.item.pk:
        raise LinkError({"item_b": _("A link joins two different agenda items.")})
    try:
        note = clean_user_text(
            note or "", label=_("The note"), max_length=NOTE_MAX, required=False
        )
    except ValidationError as exc:
        raise LinkError({"note": exc.messages[0]}) from None
    pair = ItemLink.pair_of(
        a.item.pk,
        a.point.pk if a.point else None,
        b.item.pk,
        b.point.pk if b.point else None,
    )
    try:
        with transaction.atomic():
            existing = _existing(workshop, pair, kind, a, b, note)
            if existing is not None:
                return existing
            link = ItemLink.objects.create(
                workshop=workshop,
                kind=kind,
                item_a=a.item,
                point_a=a.point,
                quote_a=a.quote,
                item_b=b.item,
                point_b=b.point,
                quote_b=b.quote,
                note=note,
                pair=pair,
                suggested_by=user,
                suggested_for=delegation,
            )
            LinkVerdict.objects.bulk_create(
                LinkVerdict(link=link, delegation=d)
                for d in Delegation.objects.filter(workshop=workshop)
            )
            sessions_touch(session_ids=_sessions(link))
    except IntegrityError:  # the same pair, committed meanwhile
        existing = _existing(workshop, pair, kind, a, b, note)
        if existing is not None:
            return existing
        raise
    return link


def _existing(workshop, pair, kind, a, b, note) -> ItemLink | None:
    """The link of this pair if it is this suggestion; LinkError if the pair
    is linked otherwise; None if it is not linked yet."""
    link = (
        ItemLink.objects.filter(workshop=workshop, pair=pair)
        .select_related("item_a__session", "item_b__session", "point_a", "point_b")
        .first()
    )
    if link is None:
        return None
    if _same(link, kind, a, b, note):
        return link
    raise LinkError(
        _("These two are already linked (%(kind)s): confirm or reject that link.")
        % {"kind": LinkKind(link.kind).label.lower()}
    )


def _decide(*, link: ItemLink, by: Participant, decision: str) -> LinkVerdict:
    with transaction.atomic():
        locked = (
            ItemLink.objects.select_for_update()
            .select_related("workshop", "item_a", "item_b")
            .get(pk=link.pk)
        )
        delegation = by.delegation if permissions.is_delegate(by) else None
        reason = permissions.decide_link_refusal(
            by,
            locked.workshop,
            delegation,
            head_decides=head_decides_links(
                workshop=locked.workshop, delegation=delegation
            ),
        )
        require(reason, LinkForbidden if not permissions.is_delegate(by) else LinkError)
        verdict, _created = LinkVerdict.objects.get_or_create(
            link=locked, delegation=delegation
        )
        if verdict.decision == decision:
            return verdict
        verdict.decision = decision
        verdict.decided_by = by
        verdict.decided_at = timezone.now()
        verdict.save(update_fields=["decision", "decided_by", "decided_at"])
        sessions_touch(session_ids=_sessions(locked))
    return verdict


def link_confirm(*, link: ItemLink, by: Participant) -> LinkVerdict:
    """`by`'s delegation confirms the link (see `decide_link_refusal`)."""
    return _decide(link=link, by=by, decision=LinkDecision.CONFIRMED)


def link_reject(*, link: ItemLink, by: Participant) -> LinkVerdict:
    """`by`'s delegation rejects the link (see `decide_link_refusal`)."""
    return _decide(link=link, by=by, decision=LinkDecision.REJECTED)
