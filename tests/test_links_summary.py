"""The summary's mirror pairs: agreed and suggested ones, rejected ones left
out, built once and printed by every format."""

from dialogue.models import ItemLink
from dialogue.services.links import link_confirm, link_reject
from dialogue.summary.build import build_summary_document
from dialogue.summary.render.markdown import render_markdown
from tests.builders import make_participant


def test_the_session_summary_lists_its_mirror_pairs(seeded):
    cn = make_participant(seeded, code="CN", is_head=True)
    us = make_participant(seeded, code="US", is_head=True)
    mirrors = list(ItemLink.objects.filter(workshop=seeded, kind="mirror"))
    for head in (cn, us):
        link_confirm(link=mirrors[0], by=head)
    link_reject(link=mirrors[1], by=us)

    doc = build_summary_document(session=seeded.sessions.get(number=1))

    assert [pair.agreed for pair in doc.mirror_pairs] == [True] + [False] * 4
    first = doc.mirror_pairs[0]
    assert [(end.label, end.quote) for end in first.ends] == [
        ("1.5", mirrors[0].quote_a),
        ("2.4", mirrors[0].quote_b),
    ]
    markdown = render_markdown(doc)
    assert "## Mirror pairs" in markdown
    assert "- Agreed by both delegations: 1.5 Facilitate communication" in markdown
