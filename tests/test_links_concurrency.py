"""Link actions arriving at once (PostgreSQL: each thread has its own
connection): the same suggestion sent twice at once is one link, and both
delegations deciding at once leave an agreed link."""

import pytest

from dialogue.models import ItemLink, LinkVerdict
from dialogue.services.links import link_confirm
from tests.builders import build_dialogue, suggest_link
from tests.builders.concurrency import at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("code", ["CN", "US"])
def test_the_same_suggestion_sent_twice_at_once_is_one_link(workshop, code):
    d = build_dialogue(workshop)
    by = d.head(code)
    results = at_once(lambda: suggest_link(d, by), lambda: suggest_link(d, by))
    assert [kind for kind, _ in results] == ["ok", "ok"], results
    assert results[0][1].pk == results[1][1].pk
    assert ItemLink.objects.count() == 1
    assert LinkVerdict.objects.count() == len(d.delegations)


def test_both_heads_confirming_at_once_agree_the_link(workshop):
    d = build_dialogue(workshop)
    link = suggest_link(d, d.head("CN"))
    results = at_once(
        lambda: link_confirm(link=link, by=d.head("CN")),
        lambda: link_confirm(link=link, by=d.head("US")),
    )
    assert [kind for kind, _ in results] == ["ok", "ok"], results
    decisions = set(
        LinkVerdict.objects.filter(link=link).values_list(
            "delegation__code", "decision"
        )
    )
    assert decisions == {("CN", "confirmed"), ("US", "confirmed")}
