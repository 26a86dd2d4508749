"""The rapporteur's text in the built summary: its citations become notes
numbered in the order first cited, worded as each mode allows; remarks that
are not visible in the session cannot be cited."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dialogue.models import CommentState, Confidentiality, PaperSize, SummaryReport
from dialogue.services import summaries
from dialogue.services.summary_attempts import summary_compile
from dialogue.summary.build import build_summary_document
from dialogue.summary.document import Narrative, Note
from tests.builders import (
    admin_organiser,
    cite,
    make_activity,
    make_participant,
    make_ranking_session,
    write_report,
)
from tests.factories import SummaryCommentFactory

VERIFY = "What would verification look like?"
TARIFFS = "Tariffs come first."
REPLY = "Agreed on tariffs."


@pytest.fixture
def activity(workshop):
    return make_activity(workshop)


def _cited_report(session):
    """Takeaways citing two remarks, item 1 citing one again and two that
    cannot be cited, the convergence lead citing a reply."""
    return write_report(
        session,
        takeaways=f"Verification matters {cite(session, VERIFY)}. "
        f"Tariffs too {cite(session, TARIFFS)}.",
        narratives={
            1: f"Again {cite(session, VERIFY)}, not {cite(session, 'A hidden insult.')}"
            f" nor {cite(session, 'A withdrawn thought.')} nor [#c999999].",
            2: "Nobody spoke.",
        },
        convergence=f"Both agreed {cite(session, REPLY)}.",
    )


def _narrative(activity, mode):
    _cited_report(activity.session)
    return build_summary_document(session=activity.session, confidentiality=mode)


def test_citations_become_notes_numbered_as_first_cited_across_the_document(
    activity,
):
    doc = _narrative(activity, Confidentiality.CHATHAM_HOUSE)

    assert doc.narrative == Narrative(
        takeaways="Verification matters[^1]. Tariffs too[^2].",
        convergence="Both agreed[^3].",
        divergence="",
        open_questions="",
        notes=(
            Note(
                number=1,
                text="A participant from the American scholars delegation, "
                f"on item 1: “{VERIFY}”",
            ),
            Note(
                number=2,
                text="A participant from the Chinese scholars delegation, "
                f"on item 1: “{TARIFFS}”",
            ),
            Note(
                number=3,
                text="A participant from the American scholars delegation, "
                f"on item 1: “{REPLY}”",
            ),
        ),
        revision=1,
    )
    assert [(i.number, i.narrative) for i in doc.items] == [
        (1, "Again[^1], not nor nor."),
        (2, "Nobody spoke."),
        (3, ""),
    ]


def test_on_the_record_a_note_names_the_speaker(activity):
    doc = _narrative(activity, Confidentiality.ON_THE_RECORD)

    assert doc.narrative.notes[0] == Note(
        number=1,
        text="Zqxfirstus1 Zqxlastus1, Zqx Institute of us-1 (American scholars), "
        f"on item 1: “{VERIFY}”",
    )


def test_off_the_record_a_note_gives_only_the_delegation_and_its_count(activity):
    doc = _narrative(activity, Confidentiality.OFF_THE_RECORD)

    # The Americans' visible remarks on item 1: a question and a reply (the
    # hidden one is not counted); the Chinese: two remarks.
    assert doc.narrative.notes == (
        Note(
            number=1,
            text="A remark from the American scholars delegation, on item 1 "
            "(2 visible remarks from that delegation there).",
        ),
        Note(
            number=2,
            text="A remark from the Chinese scholars delegation, on item 1 "
            "(2 visible remarks from that delegation there).",
        ),
        Note(
            number=3,
            text="A remark from the American scholars delegation, on item 1 "
            "(2 visible remarks from that delegation there).",
        ),
    )


def test_a_remark_of_another_session_cannot_be_cited(workshop, activity):
    other = make_ranking_session(workshop, number=2, items=1)
    elsewhere = SummaryCommentFactory(
        item=other.items.get(), author=activity.people["cn-1"], body="Elsewhere."
    )
    write_report(activity.session, takeaways=f"Look [#c{elsewhere.pk}] here.")

    doc = build_summary_document(session=activity.session)

    assert (doc.narrative.takeaways, doc.narrative.notes) == ("Look here.", ())


def test_a_remark_hidden_after_it_was_cited_is_dropped(activity):
    write_report(
        activity.session, takeaways=f"Tariffs {cite(activity.session, TARIFFS)}"
    )
    comment = activity.session.items.get(number=1).comments.get(body=TARIFFS)
    comment.state, comment.hidden_reason = CommentState.HIDDEN, "Off topic."
    comment.save(update_fields=["state", "hidden_reason"])

    doc = build_summary_document(session=activity.session)

    assert (doc.narrative.takeaways, doc.narrative.notes) == ("Tariffs", ())


def test_without_a_draft_the_summary_has_no_narrative(activity):
    doc = build_summary_document(session=activity.session)

    assert (doc.narrative, doc.header.status, doc.header.final) == (None, "", False)


def test_the_revision_in_review_is_printed_unless_one_is_given(activity):
    first = write_report(activity.session, takeaways="First.")
    write_report(activity.session, takeaways="Second.")

    shared = build_summary_document(session=activity.session)
    chosen = build_summary_document(session=activity.session, draft_revision=first)
    final = build_summary_document(
        session=activity.session, draft_revision=first, final=True
    )

    assert (shared.narrative.takeaways, shared.header.status) == (
        "Second.",
        "Draft (revision 2)",
    )
    assert (chosen.narrative.takeaways, chosen.header.status) == (
        "First.",
        "Draft (revision 1)",
    )
    assert (final.header.status, final.header.final) == ("Final", True)


def test_a_revision_not_sent_for_review_is_never_printed(activity):
    """Every participant reads the summaries: the rapporteur's unsent text
    (a draft never sent, or one written after the revision in review) stays
    out of them."""
    write_report(activity.session, takeaways="Unsent.", sent=False)
    unsent = build_summary_document(session=activity.session)
    write_report(activity.session, takeaways="In review.")
    write_report(activity.session, takeaways="Newer, unsent.", sent=False)

    later = build_summary_document(session=activity.session)

    assert unsent.narrative is None
    assert later.narrative.takeaways == "In review."


def test_the_header_carries_the_workshops_venue_and_paper_size(activity):
    workshop = activity.session.workshop
    workshop.venue = "Beijing and Washington (online)"
    workshop.paper_size = PaperSize.LETTER
    workshop.save(update_fields=["venue", "paper_size"])

    header = build_summary_document(session=activity.session).header

    assert (header.venue, header.paper_size) == (
        "Beijing and Washington (online)",
        "letter",
    )


def test_each_item_has_its_first_sentence(activity):
    item = activity.session.items.get(number=1)
    item.body = "The U.S. should open a hotline. It would help.\n\nMore."
    item.save(update_fields=["body"])

    doc = build_summary_document(session=activity.session)

    assert doc.items[0].first_sentence == "The U.S. should open a hotline."


def _queries_with_citations(workshop, number: int, n: int) -> int:
    session = make_ranking_session(workshop, number=number, items=2)
    author = make_participant(workshop, code="CN")
    item = session.items.get(number=1)
    ids = [SummaryCommentFactory(item=item, author=author).pk for _ in range(n)]
    write_report(
        session,
        takeaways=" ".join(f"[#c{pk}]" for pk in ids),
        narratives={1: " ".join(f"[#c{pk}]" for pk in reversed(ids))},
    )
    with CaptureQueriesContext(connection) as captured:
        doc = build_summary_document(
            session=session, confidentiality=Confidentiality.OFF_THE_RECORD
        )
    assert len(doc.narrative.notes) == n
    return len(captured)


def test_the_query_count_does_not_grow_with_the_citations(workshop):
    assert _queries_with_citations(workshop, 1, 1) == _queries_with_citations(
        workshop, 2, 40
    )


def test_a_compiled_version_prints_the_revision_it_was_requested_with(
    activity, in_process
):
    first = write_report(activity.session, takeaways="First takeaway.")
    write_report(activity.session, takeaways="Second takeaway.")
    report = summaries.summary_request(
        session=activity.session, by=admin_organiser(), draft_revision=first, final=True
    )

    summary_compile(report_id=report.pk)

    report = SummaryReport.objects.get(pk=report.pk)
    markdown = report.markdown_file.read().decode()
    assert (report.status, "First takeaway." in markdown) == ("done", True)
    assert "Second takeaway." not in markdown
    assert "- **Status:** Final" in markdown
