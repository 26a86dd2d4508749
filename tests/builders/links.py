"""Item links: a link end, a suggested link of a built dialogue, and what a
refused link action must leave as it was."""

import pytest

from dialogue.models import ItemLink, LinkVerdict, Session
from dialogue.services.links import LinkEnd, LinkError, link_suggest
from tests.builders.dialogues import Dialogue


def end(item, quote: str = "Body text", point=None):
    """A link end for `link_suggest`: an item (or a point of it) and a passage."""
    return LinkEnd(item=item, point=point, quote=quote)


def suggest_link(d: Dialogue, by=None, *, kind="mirror", a=(1, 1), b=(2, 1), **kw):
    """A link between items `a` and `b` of a built dialogue, suggested by `by`
    (default: the CN head), quoting each item's body."""
    return link_suggest(
        by=by or d.head("CN"),
        workshop=d.workshop,
        kind=kind,
        end_a=end(d.items[a]),
        end_b=end(d.items[b]),
        **kw,
    )


def link_rows():
    """Everything a link action could write."""
    return (
        list(
            ItemLink.objects.order_by("pk").values_list(
                "pk", "kind", "item_a_id", "item_b_id", "quote_a", "quote_b", "note"
            )
        ),
        list(
            LinkVerdict.objects.order_by("pk").values_list(
                "pk", "delegation_id", "decision", "decided_by_id", "decided_at"
            )
        ),
        list(Session.objects.order_by("pk").values_list("pk", "version")),
    )


def link_refused(action, error=None) -> list[str]:
    """The messages of a refused link action, after checking it wrote nothing."""
    before = link_rows()

    with pytest.raises(error or LinkError) as excinfo:
        action()

    assert link_rows() == before
    return excinfo.value.messages


def verdicts(link) -> dict[str, str]:
    """{delegation code: decision} of a link."""
    return {v.delegation.code: v.decision for v in link.verdicts.all()}
