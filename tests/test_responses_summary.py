"""Responses in the session summary: until the reveal only each delegation's
progress, byte for byte the same whatever the sealed drafts say; after it,
per item "Response of the X delegation" in every format, and the stances
counted in the findings."""

import datetime as dt

import pytest

from dialogue.models import Confidentiality, Phase, Response, Role
from dialogue.selectors.responses import published_responses
from dialogue.services import responses as svc
from dialogue.summary.build import build_summary_document
from dialogue.summary.render.docx import render_docx
from dialogue.summary.render.markdown import render_markdown_file
from dialogue.summary.render.pdf import render_html, render_pdf
from tests.builders import docx_text, make_participant, pdf_text

COMPILED = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)


class Sides:
    def __init__(self, workshop):
        self.workshop = workshop
        self.facilitator = make_participant(workshop, role=Role.FACILITATOR)
        self.head = {
            code: make_participant(workshop, code=code, is_head=True)
            for code in ("CN", "US")
        }
        self.session = workshop.sessions.get(number=1)

    def item(self, session, number):
        return self.workshop.sessions.get(number=session).items.get(number=number)

    def answer(self, code, session, number, stance, reasoning, conditions="", **kw):
        item = self.item(session, number)
        point = item.points.get(position=kw["point"]) if "point" in kw else None
        response = Response.objects.filter(
            delegation__code=code, item=item, point=point
        ).first()
        base = response.revision if response else 0
        response, revision, _ = svc.response_save(
            participant=self.head[code],
            item=item,
            point=point,
            stance=stance,
            reasoning=reasoning,
            conditions=conditions,
            base=base,
        )
        if kw.get("adopt", True):
            svc.response_adopt(
                participant=self.head[code], response=response, revision=revision.number
            )
        return response

    def reveal(self):
        svc.response_reveal(workshop=self.workshop, by=self.facilitator, early=True)

    def summary(self, mode=None, session=1):
        return build_summary_document(
            session=self.workshop.sessions.get(number=session),
            confidentiality=mode,
            version=1,
            compiled_at=COMPILED,
        )


@pytest.fixture
def w(seeded):
    seeded.sessions.update(phase=Phase.OPEN)
    sides = Sides(seeded)
    svc.response_round_open(workshop=seeded, by=sides.facilitator)
    return sides


def test_without_a_round_the_summary_has_no_responses_section(seeded):
    seeded.sessions.update(phase=Phase.OPEN)
    doc = build_summary_document(session=seeded.sessions.get(number=1), version=1)

    assert doc.responses is None
    assert all(item.responses == () for item in doc.items)
    assert "## Responses" not in render_markdown_file(doc).decode()


def _required(w):
    return {
        p.delegation.code: p.required
        for p in published_responses(workshop=w.workshop).progress
    }


def test_before_the_reveal_only_the_progress_is_shown(w):
    w.answer("US", 1, 1, "cannot_accept", "Secret reasoning Zqx.", "Secret cond Zqx.")
    w.answer("US", 1, 2, "accept", "Draft only Zqx.", adopt=False)
    required = _required(w)

    doc = w.summary()
    markdown = render_markdown_file(doc).decode()

    assert doc.responses.progress[0].delegation == "CN"
    assert [(p.delegation, p.answered) for p in doc.responses.progress] == [
        ("CN", 0),
        ("US", 1),
    ]
    assert f"- US: 1 of {required['US']} answered" in markdown
    assert f"- CN: 0 of {required['CN']} answered" in markdown
    assert "Sealed:" in markdown
    assert "Zqx" not in markdown and "Cannot accept" not in markdown
    assert all(item.responses == () for item in doc.items)
    assert doc.divergence == () and doc.convergence == ()


def _outputs(w) -> tuple[bytes, str, str]:
    doc = w.summary()
    return (
        render_markdown_file(doc),
        render_html(doc, fragment=True),
        docx_text(render_docx(doc)),
    )


def test_the_summary_is_byte_identical_whatever_the_sealed_drafts_say(w):
    """Two different sets of the US side's drafts, adopted on the same asks:
    the report (Markdown bytes, the PDF's HTML, the DOCX's text) is the same."""
    w.answer("CN", 2, 1, "accept", "CN is open about this.")
    first = [
        w.answer("US", 1, 1, "accept", "Set A: yes Zqx."),
        w.answer("US", 1, 2, "cannot_accept", "Set A: no Zqx.", "Never Zqx."),
        w.answer("US", 1, 3, "accept", "Set A: a draft Zqx.", adopt=False),
    ]
    a = _outputs(w)
    Response.objects.filter(pk__in=[r.pk for r in first]).delete()
    w.answer("US", 1, 1, "not_now", "Set B: later Qxz.", "When Qxz.")
    w.answer("US", 1, 2, "needs_clarification", "Set B: what Qxz?")
    w.answer("US", 1, 3, "under_way", "Set B: draft Qxz.", adopt=False)
    w.answer("US", 1, 4, "accept", "Set B: another draft Qxz.", adopt=False)
    b = _outputs(w)

    assert a[0] == b[0]
    assert a[1] == b[1]
    assert a[2] == b[2]
    for output in (a[0].decode(), a[1], a[2]):
        assert "Zqx" not in output and "Qxz" not in output
        assert "CN is open" not in output  # CN's answers are sealed too


def _revealed(w):
    w.answer(
        "US",
        1,
        1,
        "accept_if",
        "We agree **in principle**.",
        "Both sides name a point of contact.",
    )
    w.answer("US", 1, 3, "accept", "US: yes on red lines.", point=1)
    w.answer("CN", 1, 3, "cannot_accept", "CN: not as put.", "Reword it.", point=1)
    w.answer("US", 1, 2, "not_now", "After the review.", "A review first.")
    w.answer("US", 1, 4, "needs_clarification", "Which mechanisms?")
    w.answer("US", 1, 5, "under_way", "Flights are rising.")
    w.answer("US", 1, 6, "overtaken", "Events moved on.")
    w.answer("CN", 2, 1, "accept", "Another session.")
    w.reveal()


def test_after_the_reveal_each_item_shows_the_responses(w):
    _revealed(w)

    doc = w.summary()

    first = doc.items[0]
    (response,) = first.responses
    assert response.delegation == "American scholars"
    assert (response.stance, response.stance_value) == ("Accept if …", "accept_if")
    assert response.reasoning == "We agree **in principle**."
    assert response.conditions == "Both sides name a point of contact."
    third = doc.items[2]
    assert [(r.delegation, r.point_label, r.stance_value) for r in third.responses] == [
        ("Chinese scholars", "3.1", "cannot_accept"),
        ("American scholars", "3.1", "accept"),
    ]
    assert doc.responses.revealed and doc.responses.revealed_at
    assert "US 1.3" in doc.responses.unanswered


@pytest.mark.parametrize("mode", Confidentiality.values)
def test_every_format_shows_the_response_blocks_in_every_mode(w, mode):
    _revealed(w)
    doc = w.summary(mode=mode)
    names = [n for p in w.head.values() for n in (p.user.username, p.display_name) if n]

    markdown = render_markdown_file(doc).decode()
    html = render_html(doc, fragment=True)
    docx = docx_text(render_docx(doc))
    for output in (markdown, html, docx):
        assert "Response of the American scholars delegation" in output
        assert "Response of the Chinese scholars delegation to point 3.1" in output
        assert "Stance: Accept if …" in output
        assert "What would make it acceptable: Both sides name a point" in output
        assert "US: " in output and " answered" in output
        for name in names:  # delegation-level: nobody is named
            assert name not in output
    assert "> We agree **in principle**." in markdown
    assert "<strong>in principle</strong>" in html
    assert "We agree in principle." in docx


def test_the_pdf_prints_the_response_blocks(w):
    _revealed(w)

    text = pdf_text(render_pdf(w.summary()))

    assert "Response of the American scholars delegation" in text
    assert "What would make it acceptable" in text


def test_the_findings_count_the_revealed_stances(w):
    _revealed(w)

    doc = w.summary()

    def ours(lines):
        return [
            line for line in lines if "delegation answers" in line or "asks for" in line
        ]

    assert ours(doc.convergence) == [
        "Item 1: the American scholars delegation answers “Accept if …”.",
        "Item 3, point 3.1: the American scholars delegation answers “Accept”.",
        "Item 5: the American scholars delegation answers “Already under way”.",
    ]
    assert ours(doc.divergence) == [
        "Item 2: the American scholars delegation answers “Not now”.",
        "Item 3, point 3.1: the Chinese scholars delegation answers “Cannot accept”.",
    ]
    assert ours(doc.open_questions) == [
        "Item 4: the American scholars delegation asks for clarification."
    ]
    # Overtaken by events counts as none; each session counts its own items.
    assert not [line for line in doc.convergence if "Item 6" in line]
    other = w.summary(session=2)
    assert [r.reasoning for r in other.items[0].responses] == ["Another session."]
    assert ours(other.convergence) == [
        "Item 1: the Chinese scholars delegation answers “Accept”."
    ]
