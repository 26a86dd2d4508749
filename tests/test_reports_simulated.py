"""simulate_activity writes the session's report draft: revisions by the
workshop's rapporteur citing visible remarks of the new delegates, and, sent
for review, one correction from each side."""

import io

import pytest
from django.core.management import call_command

from dialogue.models import (
    Comment,
    CommentState,
    ReportCorrection,
    ReportDraft,
    Role,
)
from dialogue.report_text import cited_ids
from tests.builders import make_participant, make_ranking_session
from tests.factories import DelegationFactory, UserFactory, WorkshopFactory


@pytest.fixture
def sim(db):
    workshop = WorkshopFactory(slug="sim-report")
    DelegationFactory(workshop=workshop, code="CN", name="Chinese scholars")
    DelegationFactory(workshop=workshop, code="US", name="American scholars")
    make_ranking_session(workshop, items=3, phase="closed")
    rapporteur = make_participant(
        workshop, role=Role.RAPPORTEUR, user=UserFactory(username="sim-rapporteur")
    )
    return workshop, rapporteur


def _simulate(*extra, seed="5"):
    out = io.StringIO()
    call_command(
        "simulate_activity",
        "sim-report",
        "--comments",
        "30",
        "--delegates",
        "6",
        "--seed",
        seed,
        *extra,
        stdout=out,
    )
    return out.getvalue()


def _texts(revision):
    return [
        revision.takeaways,
        *revision.narratives.values(),
        revision.convergence,
        revision.divergence,
        revision.open_questions,
    ]


def test_the_draft_cites_only_visible_remarks_of_the_session(sim):
    workshop, rapporteur = sim

    out = _simulate()

    draft = ReportDraft.objects.get(workshop=workshop)
    revisions = list(draft.revisions.order_by("number"))
    cited = {i for r in revisions for i in cited_ids(" ".join(_texts(r)))}
    visible = set(
        Comment.objects.filter(
            item__session=draft.session, state=CommentState.VISIBLE
        ).values_list("pk", flat=True)
    )
    assert (draft.state, draft.revision, draft.corrections.count()) == (
        "drafting",
        len(revisions),
        0,
    )
    assert [r.number for r in revisions] == list(range(1, len(revisions) + 1))
    assert {r.author for r in revisions} == {rapporteur.user}
    assert cited and cited <= visible
    assert sorted(revisions[-1].narratives) == ["1", "2", "3"]
    assert (
        f"a report draft ({len(revisions)} revisions citing {len(cited)} remarks, "
        "drafting)"
    ) in out


def test_sent_for_review_it_has_one_correction_from_each_side(sim):
    workshop, _rapporteur = sim

    out = _simulate("--review-report")

    draft = ReportDraft.objects.get(workshop=workshop)
    corrections = ReportCorrection.objects.filter(draft=draft).order_by("section")
    assert (draft.state, draft.review_revision.number) == ("in_review", draft.revision)
    assert draft.review_deadline > draft.sent_for_review_at
    assert sorted(c.filed_by.delegation.code for c in corrections) == ["CN", "US"]
    assert [(c.section, c.paragraph, c.revision_id) for c in corrections] == [
        ("narrative:1", 1, draft.review_revision_id),
        ("takeaways", 1, draft.review_revision_id),
    ]
    assert "in review)" in out


def test_a_second_simulation_leaves_the_draft_alone(sim):
    _simulate()
    before = list(ReportDraft.objects.values_list("pk", "revision", "version"))

    out = _simulate(seed="6")

    assert list(ReportDraft.objects.values_list("pk", "revision", "version")) == (
        before
    )
    assert "no report draft" in out


def test_the_last_revision_cites_as_many_remarks_as_asked(sim):
    workshop, _rapporteur = sim

    _simulate("--citations", "7")

    draft = ReportDraft.objects.get(workshop=workshop)
    last = draft.revisions.get(number=draft.revision)
    per_item = {
        number: len(cited_ids(text)) for number, text in last.narratives.items()
    }
    assert per_item == {"1": 3, "2": 2, "3": 2}
