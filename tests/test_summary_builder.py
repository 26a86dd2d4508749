"""The summary builder against the database: what each section contains.

`make_activity` (in tests/builders/activity.py) builds one small, fully known
session that the summary test modules share. Every person in it has "Zqx" in
their name, username, email and affiliation, so a leak into any format is easy
to detect.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dialogue.models import (
    Confidentiality,
)
from dialogue.summary.build import build_summary_document
from dialogue.summary.build_discussion import MAX_REMARKS
from dialogue.summary.document import DelegationDiscussion, ItemRank, Remark, Tally
from tests.builders import (
    Activity,
    make_activity,
    make_participant,
    make_ranking_session,
)
from tests.builders import cast_ballot as _ballot
from tests.factories import (
    DelegationFactory,
    RankingRoundFactory,
    ReciprocalMeasureFactory,
    SummaryCommentFactory,
    SummaryMeasureResponseFactory,
)

LEAKS_BY_PERSON = ("first", "last", "username", "email", "affiliation")


@pytest.fixture
def activity(workshop) -> Activity:
    return make_activity(workshop)


def _build(activity, mode=None):
    return build_summary_document(
        session=activity.session, confidentiality=mode, version=1
    )


def test_builder_groups_visible_remarks_by_delegation_most_endorsed_first(activity):
    doc = _build(activity)

    item = doc.items[0]
    cn = "a participant from the Chinese scholars delegation"
    us = "a participant from the American scholars delegation"
    assert item.discussion == (
        DelegationDiscussion(
            delegation="Chinese scholars",
            remark_count=2,
            reply_count=0,
            remarks=(
                Remark(
                    attribution=cn,
                    text="Tariffs come first.",
                    endorsements=5,
                    replies=(
                        Remark(
                            attribution=us, text="Agreed on tariffs.", endorsements=0
                        ),
                    ),
                    reply_count=1,
                ),
                Remark(
                    attribution=cn,
                    text="Trust needs a hotline.",
                    endorsements=3,
                    point_label="1.1",
                ),
            ),
        ),
        DelegationDiscussion(
            delegation="American scholars",
            remark_count=1,
            reply_count=1,
            remarks=(
                Remark(
                    attribution=us,
                    text="What would verification look like?",
                    endorsements=1,
                ),
            ),
        ),
    )


def test_builder_attributes_people_outside_delegations_by_role(activity):
    doc = _build(activity)

    assert doc.items[2].discussion[-1] == DelegationDiscussion(
        delegation="Participants outside the delegations",
        remark_count=1,
        reply_count=0,
        remarks=(
            Remark(
                attribution="a facilitator", text="Let us keep to time.", endorsements=0
            ),
        ),
    )


def test_builder_header_counts_delegations_and_names_conveners_by_role(activity):
    doc = _build(activity)

    header = doc.header
    assert [(d.code, d.participants) for d in header.delegations] == [
        ("CN", 2),
        ("US", 2),
    ]
    assert header.conveners == ("1 organiser", "1 facilitator")
    assert header.confidentiality == "chatham_house"
    assert header.statement_zh.startswith("本纪要遵循查塔姆宫规则")
    assert header.disclaimer_en == (
        "Prepared by the rapporteur; does not necessarily reflect consensus."
    )
    assert header.disclaimer_zh == "由报告员编写，不一定反映各方共识。"


def test_builder_names_people_on_the_record(activity):
    doc = _build(activity, Confidentiality.ON_THE_RECORD)

    remark = doc.items[0].discussion[0].remarks[0]
    assert remark.attribution == (
        "Zqxfirstcn2 Zqxlastcn2, Zqx Institute of cn-2 (Chinese scholars)"
    )
    assert doc.header.conveners == (
        "Zqxfirstfac Zqxlastfac, Zqx Institute of fac (Facilitator)",
        "Zqxfirstorg Zqxlastorg, Zqx Institute of org (Organiser)",
    )


def test_builder_off_the_record_keeps_counts_and_drops_remarks(activity):
    doc = _build(activity, Confidentiality.OFF_THE_RECORD)

    assert doc.remarks_included is False
    assert [
        (g.delegation, g.remark_count, g.reply_count, g.remarks)
        for g in doc.items[0].discussion
    ] == [("Chinese scholars", 2, 0, ()), ("American scholars", 1, 1, ())]
    assert "Item 1: 1 question has no reply yet." in doc.open_questions
    assert not any("verification look like" in line for line in doc.open_questions)


def test_builder_uses_only_the_latest_closed_ranking_round(activity):
    doc = _build(activity)

    assert doc.ranking.round_number == 1
    assert [(row.number, row.overall_rank) for row in doc.ranking.rows] == [
        (1, 1.0),
        (2, 2.5),
        (3, 2.5),
    ]
    assert doc.items[1].ranks == (
        ItemRank(delegation="Chinese scholars", rank=2.0),
        ItemRank(delegation="American scholars", rank=3.0),
    )
    assert doc.ranking.chart_svg.startswith("<svg")
    assert doc.ranking.rankers == (("Chinese scholars", 2), ("American scholars", 2))


def test_builder_without_a_closed_round_has_no_ranking(workshop):
    session = make_ranking_session(workshop, items=2, phase="ranking")
    RankingRoundFactory(session=session, number=1)

    doc = build_summary_document(session=session)

    assert doc.ranking is None
    assert doc.items[0].ranks == ()


def test_builder_lists_non_draft_measures_with_tallies(activity):
    doc = _build(activity)

    (hotline,) = doc.items[0].measures
    (visas,) = doc.items[1].measures
    assert hotline.title == "Joint hotline"
    assert hotline.tallies == (
        Tally(delegation="Chinese scholars", support=1),
        Tally(delegation="American scholars", support=2),
    )
    assert visas.status == "Under discussion"
    assert visas.tallies == (
        Tally(delegation="Chinese scholars", oppose=1, clarify=1),
        Tally(delegation="American scholars", support=1),
    )


def test_builder_finds_convergence_divergence_and_open_questions(activity):
    doc = _build(activity)

    assert doc.convergence == (
        "Item 1 (“Item 1 of session 1”) is a shared priority: ranked 1 by "
        "Chinese scholars and 1 by American scholars.",
        "Measure “Joint hotline”: every delegation's answers lean towards support.",
    )
    assert doc.divergence == (
        "Item 2 (“Item 2 of session 1”): ranked 2 by Chinese scholars but 3 by "
        "American scholars.",
        "Item 3 (“Item 3 of session 1”): ranked 3 by Chinese scholars but 2 by "
        "American scholars.",
        "Measure “Visa easing”: answers from American scholars lean towards "
        "support, answers from Chinese scholars towards opposition.",
    )
    assert doc.open_questions == (
        "Item 1: 1 question has no reply yet.",
        "Item 1, a participant from the American scholars delegation asked: "
        "“What would verification look like?”",
        "Item 2 received no remarks.",
        "Measure “Visa easing”: clarification asked by Chinese scholars (1).",
    )


@pytest.mark.parametrize("code", ["CN", "US"])
def test_builder_treats_each_delegation_the_same(workshop, code):
    session = make_ranking_session(workshop, items=1)
    author = make_participant(workshop, code=code)
    SummaryCommentFactory(item=session.items.get(), author=author, body="Same text.")
    name = workshop.delegations.get(code=code).name

    doc = build_summary_document(session=session)

    groups = {g.delegation: g.remark_count for g in doc.items[0].discussion}
    assert groups == {
        "Chinese scholars": int(code == "CN"),
        "American scholars": int(code == "US"),
    }
    quoted = [g for g in doc.items[0].discussion if g.remarks][0]
    assert quoted.remarks[0].attribution == (
        f"a participant from the {name} delegation"
    )


def test_builder_quotes_at_most_the_top_remarks_and_counts_the_rest(workshop):
    session = make_ranking_session(workshop, items=1)
    author = make_participant(workshop, code="CN")
    for n in range(MAX_REMARKS + 3):
        SummaryCommentFactory(
            item=session.items.get(), author=author, endorsement_count=n
        )

    group = build_summary_document(session=session).items[0].discussion[0]

    assert len(group.remarks) == MAX_REMARKS
    assert group.omitted == 3
    assert group.remarks[0].endorsements == MAX_REMARKS + 2


def _queries_for(session) -> int:
    with CaptureQueriesContext(connection) as captured:
        build_summary_document(session=session)
    return len(captured)


def test_builder_query_count_does_not_grow_with_activity(workshop):
    small = make_ranking_session(workshop, number=1, items=2)
    large = make_ranking_session(workshop, number=2, items=2)
    people = [make_participant(workshop, code=c) for c in ("CN", "US", "CN", "US")]
    for item in small.items.all():
        parent = SummaryCommentFactory(item=item, author=people[0])
        SummaryCommentFactory(item=item, author=people[1], parent=parent)
    for item in large.items.all():
        for person in people:
            parent = SummaryCommentFactory(item=item, author=person)
            SummaryCommentFactory(item=item, author=person, parent=parent)
    for session in (small, large):
        measure = ReciprocalMeasureFactory(
            proposer=people[0], items=list(session.items.all())
        )
        for person in people[1:]:
            SummaryMeasureResponseFactory(measure=measure, participant=person)

    assert _queries_for(small) == _queries_for(large)


def test_builder_with_three_delegations_ranks_each_and_draws_no_pair_chart(workshop):
    DelegationFactory(workshop=workshop, code="EU", name="European scholars")
    session = make_ranking_session(workshop, items=2)
    closed = RankingRoundFactory(session=session, number=1, closed_at=timezone.now())
    first, second = session.items.order_by("number")
    for code in ("CN", "EU", "US"):
        _ballot(closed, make_participant(workshop, code=code), [first, second])

    doc = build_summary_document(session=session)

    assert doc.ranking.chart_svg == ""
    assert doc.ranking.tau_b is None
    assert doc.items[0].ranks == (
        ItemRank(delegation="Chinese scholars", rank=1.0),
        ItemRank(delegation="European scholars", rank=1.0),
        ItemRank(delegation="American scholars", rank=1.0),
    )
    assert doc.convergence == ()


def test_builder_off_the_record_leaves_out_the_measures_own_words(activity):
    doc = _build(activity, Confidentiality.OFF_THE_RECORD)

    (hotline,) = doc.items[0].measures
    assert (hotline.title, hotline.our_action, hotline.their_action) == (
        "Joint hotline",
        "",
        "",
    )
