"""The report on the whole workshop as data: what is in each section, under
each confidentiality mode, and what reading it costs."""

import dataclasses

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dialogue.models import Comment, Confidentiality
from dialogue.report_text import citation
from dialogue.summary.build import build_summary_document
from dialogue.summary.build_workshop import build_workshop_document
from dialogue.summary.document import ParticipantList
from tests.builders import (
    add_session,
    make_workshop_activity,
    write_workshop_report,
)
from tests.factories import SummaryCommentFactory


def _strings(value):
    """Every string a document holds."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, tuple):
        for part in value:
            yield from _strings(part)
    elif dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            yield from _strings(getattr(value, f.name))


@pytest.fixture
def activity(workshop):
    workshop.venue = "Pudong Conference Centre"
    workshop.save()
    return make_workshop_activity(workshop, sessions=2)


def test_header_is_the_whole_workshop_spanning_its_sessions(workshop, activity):
    header = build_workshop_document(workshop=workshop).header

    assert (
        header.session_number,
        header.session_title,
        header.dates,
        header.venue,
        header.conveners,
        [(d.code, d.participants) for d in header.delegations],
        header.confidentiality,
    ) == (
        0,
        "Report on the whole workshop",
        "2026-03-02 01:00 UTC – 2026-03-03 04:00 UTC",
        "Pudong Conference Centre",
        ("1 organiser", "1 facilitator"),
        [("CN", 2), ("US", 2)],
        "chatham_house",
    )


def test_each_session_has_the_items_and_findings_of_its_own_summary(workshop, activity):
    doc = build_workshop_document(workshop=workshop)
    first = build_summary_document(session=activity.sessions[0])

    section = doc.sessions[0]

    assert [(s.number, len(s.items)) for s in doc.sessions] == [(1, 3), (2, 2)]
    assert [dataclasses.replace(item, first_sentence="") for item in section.items] == [
        dataclasses.replace(item, first_sentence="") for item in first.items
    ]
    assert (
        section.convergence,
        section.divergence,
        section.open_questions,
        section.ranking,
    ) == (first.convergence, first.divergence, first.open_questions, first.ranking)
    assert section.items[0].first_sentence == "Body text."
    assert doc.sessions[1].dates == "2026-03-03 01:00 – 04:00 UTC"


def test_only_measures_and_packages_agreed_by_both_sides_have_their_sections(
    workshop, activity
):
    doc = build_workshop_document(workshop=workshop)

    assert [(m.title, m.endorsed_by) for m in doc.measures] == [
        ("Agreed hotline", ("Chinese scholars", "American scholars"))
    ]
    assert [(p.title, p.endorsed_by) for p in doc.packages] == [
        ("Agreed package", ("Chinese scholars", "American scholars"))
    ]
    # Every measure is still under the items it concerns.
    assert [m.title for m in doc.sessions[0].items[0].measures] == ["Joint hotline"]


def test_methodology_says_rounds_mode_and_response_round(workshop, activity):
    doc = build_workshop_document(
        workshop=workshop, confidentiality=Confidentiality.OFF_THE_RECORD
    )

    assert doc.methodology == (
        "Ranking: each participant ranked a session's items in secret; each "
        "session's ranks come from its latest closed round, aggregated per "
        "delegation by the Schulze method. Rounds: session 1: 2 ranking rounds "
        "(1 closed); session 2: 1 ranking round (1 closed).",
        "Confidentiality: Off the record. No remark is quoted or attributed; the "
        "report gives only numbers of remarks, rankings and tallies, and counts "
        "the participants.",
        "Responses: the workshop held no response round.",
    )
    assert doc.responses is None


@pytest.mark.parametrize(
    "mode", [Confidentiality.CHATHAM_HOUSE, Confidentiality.OFF_THE_RECORD]
)
def test_participants_are_counted_not_named_unless_on_the_record(
    workshop, activity, mode
):
    doc = build_workshop_document(workshop=workshop, confidentiality=mode)

    assert doc.participants == (
        ParticipantList(delegation="Chinese scholars", count=2, names=()),
        ParticipantList(delegation="American scholars", count=2, names=()),
    )
    assert [s for s in activity.secrets if any(s in t for t in _strings(doc))] == []


def test_on_the_record_names_the_participants_by_delegation(workshop, activity):
    doc = build_workshop_document(
        workshop=workshop, confidentiality=Confidentiality.ON_THE_RECORD
    )

    assert doc.participants == (
        ParticipantList(
            delegation="Chinese scholars",
            count=2,
            names=(
                "Zqxfirstcn1 Zqxlastcn1, Zqx Institute of cn-1",
                "Zqxfirstcn2 Zqxlastcn2, Zqx Institute of cn-2",
            ),
        ),
        ParticipantList(
            delegation="American scholars",
            count=2,
            names=(
                "Zqxfirstus1 Zqxlastus1, Zqx Institute of us-1",
                "Zqxfirstus2 Zqxlastus2, Zqx Institute of us-2",
            ),
        ),
    )


def test_off_the_record_quotes_no_remark_in_any_session(workshop, activity):
    doc = build_workshop_document(
        workshop=workshop, confidentiality=Confidentiality.OFF_THE_RECORD
    )

    quoted = [
        remark
        for s in doc.sessions
        for item in s.items
        for group in item.discussion
        for remark in group.remarks
    ]
    assert quoted == []
    assert doc.remarks_included is False
    assert [g.remark_count for g in doc.sessions[1].items[0].discussion] == [1, 1]


def _cite(session, author, body) -> str:
    return citation(
        Comment.objects.get(item__session=session, author=author, body=body).pk
    )


@pytest.fixture
def cited(workshop, activity):
    """The workshop's draft citing a remark of session 2, then one of session
    1, then session 2's again: two notes, numbered as first cited."""
    one, two = activity.sessions
    tariffs = _cite(one, activity.people["cn-2"], "Tariffs come first.")
    later = _cite(two, activity.people["us-1"], "Session 2 remark 0.")
    return write_workshop_report(
        workshop,
        takeaways=f"Both days mattered {later}.",
        narratives={1: f"Tariffs led {tariffs}.", 2: f"Day two echoed it {later}."},
        convergence=f"Trade converged {tariffs}.",
    )


NOTES = {
    Confidentiality.ON_THE_RECORD: (
        "Zqxfirstus1 Zqxlastus1, Zqx Institute of us-1 (American scholars), "
        "on item 2.1: “Session 2 remark 0.”",
        "Zqxfirstcn2 Zqxlastcn2, Zqx Institute of cn-2 (Chinese scholars), "
        "on item 1.1: “Tariffs come first.”",
    ),
    Confidentiality.CHATHAM_HOUSE: (
        "A participant from the American scholars delegation, on item 2.1: "
        "“Session 2 remark 0.”",
        "A participant from the Chinese scholars delegation, on item 1.1: "
        "“Tariffs come first.”",
    ),
    Confidentiality.OFF_THE_RECORD: (
        "A remark from the American scholars delegation, on item 2.1 (1 visible "
        "remark from that delegation there).",
        "A remark from the Chinese scholars delegation, on item 1.1 (2 visible "
        "remarks from that delegation there).",
    ),
}


@pytest.mark.parametrize("mode", list(NOTES))
def test_narrative_cites_two_sessions_numbered_across_the_document(
    workshop, cited, mode
):
    doc = build_workshop_document(workshop=workshop, confidentiality=mode)

    assert (
        doc.narrative.takeaways,
        [s.narrative for s in doc.sessions],
        doc.narrative.convergence,
        [(n.number, n.text) for n in doc.narrative.notes],
        doc.narrative.revision,
        doc.header.status,
    ) == (
        "Both days mattered[^1].",
        ["Tariffs led[^2].", "Day two echoed it[^1]."],
        "Trade converged[^2].",
        list(enumerate(NOTES[mode], start=1)),
        1,
        "Draft (revision 1)",
    )


def test_a_final_report_prints_the_revision_it_was_compiled_with(
    workshop, cited, activity
):
    write_workshop_report(workshop, takeaways="A later revision.")

    doc = build_workshop_document(workshop=workshop, draft_revision=cited, final=True)

    assert (doc.narrative.takeaways, doc.header.status, doc.header.final) == (
        "Both days mattered[^1].",
        "Final",
        True,
    )


def test_without_a_workshop_draft_the_report_has_no_narrative(workshop, activity):
    doc = build_workshop_document(workshop=workshop)

    assert (doc.narrative, [s.narrative for s in doc.sessions], doc.header.status) == (
        None,
        ["", ""],
        "",
    )


def test_every_string_is_printable(workshop, activity):
    SummaryCommentFactory(
        item=activity.sessions[1].items.first(),
        author=activity.people["cn-1"],
        body="Bell\x07 and escape\x1b removed.",  # PostgreSQL refuses NUL
        endorsement_count=9,
    )

    doc = build_workshop_document(workshop=workshop)

    texts = list(_strings(doc))
    assert [t for t in texts if "\x07" in t or "\x1b" in t] == []
    assert "Bell and escape removed." in texts


def _queries(workshop) -> int:
    with CaptureQueriesContext(connection) as captured:
        build_workshop_document(workshop=workshop)
    return len(captured)


def test_query_count_grows_by_a_constant_per_session_not_with_activity(
    workshop, activity
):
    two = _queries(workshop)
    add_session(workshop, activity.people, number=3, remarks=1)
    three = _queries(workshop)
    # A busier session costs the same as a quiet one.
    add_session(workshop, activity.people, number=4, remarks=8)
    four = _queries(workshop)

    assert three - two == four - three
    assert three - two <= 16  # the session's own parts, read once each
