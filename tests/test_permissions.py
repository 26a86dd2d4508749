"""Every predicate of dialogue.permissions, for every role and every phase.

The tables below are the rules as a reader would state them; each test
asks the predicate for every role (both delegations, a head, and a member of
another workshop) in every phase and compares the whole answer at once.
"""

import datetime as dt

import pytest

from dialogue import permissions
from dialogue.models import Comment, Phase, Role
from dialogue.services.accounts import organisers_group
from tests.factories import (
    AgendaItemFactory,
    DelegationFactory,
    ParticipantFactory,
    SessionFactory,
    UserFactory,
    WorkshopFactory,
)

# Each actor: (role, delegation code, is_head, same workshop)
ACTORS = {
    "organiser": (Role.ORGANISER, None, False, True),
    "facilitator": (Role.FACILITATOR, None, False, True),
    "rapporteur": (Role.RAPPORTEUR, None, False, True),
    "observer": (Role.OBSERVER, None, False, True),
    "observer-CN": (Role.OBSERVER, "CN", False, True),
    "delegate-CN": (Role.DELEGATE, "CN", False, True),
    "delegate-US": (Role.DELEGATE, "US", False, True),
    "head-CN": (Role.DELEGATE, "CN", True, True),
    "head-US": (Role.DELEGATE, "US", True, True),
    "other-workshop-delegate": (Role.DELEGATE, "CN", False, False),
    "other-workshop-facilitator": (Role.FACILITATOR, None, False, False),
}
DELEGATES = {"delegate-CN", "delegate-US", "head-CN", "head-US"}
MODERATORS = {"organiser", "facilitator"}
PHASES = list(Phase.values)


def _delegations(workshop):
    return {
        "CN": DelegationFactory(workshop=workshop, code="CN", name="Chinese scholars"),
        "US": DelegationFactory(workshop=workshop, code="US", name="American scholars"),
    }


@pytest.fixture
def world(db):
    """A workshop with one participant per actor, a session, an item and a
    comment by the CN delegate; and a second workshop for outsiders."""
    ours, theirs = WorkshopFactory(), WorkshopFactory(slug="another-workshop")
    delegations = {True: _delegations(ours), False: _delegations(theirs)}
    actors = {}
    for name, (role, code, head, same) in ACTORS.items():
        actors[name] = ParticipantFactory(
            workshop=ours if same else theirs,
            role=role,
            delegation=delegations[same][code] if code else None,
            is_head=head,
        )
    session = SessionFactory(workshop=ours, number=1)
    item = AgendaItemFactory(
        session=session,
        number=1,
        proposed_by=delegations[True]["CN"],
        addressed_to=delegations[True]["US"],
    )
    comment = Comment.objects.create(
        item=item, author=actors["delegate-CN"], body="A remark."
    )
    return actors, session, comment


def _allowed(world, phase, ask) -> set[str]:
    actors, session, comment = world
    session.phase = phase
    return {name for name, actor in actors.items() if ask(actor, session, comment)}


def _by_phase(world, ask) -> dict[str, set[str]]:
    return {phase: _allowed(world, phase, ask) for phase in PHASES}


def _only_in(phase_allowed: dict, who: set[str]) -> dict[str, set[str]]:
    return {phase: (who if phase in phase_allowed else set()) for phase in PHASES}


def _always(who: set[str]) -> dict[str, set[str]]:
    return dict.fromkeys(PHASES, who)


def test_commenting_is_for_delegates_while_the_discussion_is_open(world):
    allowed = _by_phase(
        world, lambda p, s, c: permissions.comment_refusal(p, s) is None
    )

    assert allowed == _only_in({Phase.OPEN}, DELEGATES)


def test_endorsing_is_for_delegates_but_not_the_author_while_open(world):
    allowed = _by_phase(
        world, lambda p, s, c: permissions.endorse_comment_refusal(p, c, s) is None
    )

    assert allowed == _only_in({Phase.OPEN}, DELEGATES - {"delegate-CN"})


def test_only_the_author_edits_or_withdraws_a_comment(world):
    edit = _by_phase(
        world, lambda p, s, c: permissions.edit_comment_refusal(p, c) is None
    )
    withdraw = _by_phase(
        world, lambda p, s, c: permissions.withdraw_comment_refusal(p, c) is None
    )

    assert edit == _always({"delegate-CN"})
    assert withdraw == _always({"delegate-CN"})


def test_the_edit_window_is_the_authors_and_closes(world, settings):
    actors, session, comment = world
    author, other = actors["delegate-CN"], actors["delegate-US"]

    fresh = permissions.can_edit_comment(comment, author)
    by_other = permissions.can_edit_comment(comment, other)
    late = permissions.can_edit_comment(
        comment,
        author,
        now=comment.created_at
        + dt.timedelta(seconds=settings.COMMENT_EDIT_SECONDS + 1),
    )

    assert (fresh, by_other, late) == (True, False, False)


def test_moderating_is_for_facilitators_and_organisers(world):
    hide = _by_phase(world, lambda p, s, c: permissions.can_moderate(p))
    unhide = _by_phase(
        world,
        lambda p, s, c: permissions.moderate_refusal(p, action="unhide") is None,
    )

    # The member of another workshop never reaches these rules: views answer
    # 404 first. The role alone decides here.
    outsiders = {"other-workshop-facilitator"}
    assert hide == _always(MODERATORS | outsiders)
    assert unhide == _always(MODERATORS | outsiders)


def test_a_hidden_comments_text_is_for_moderators_and_its_author(world):
    allowed = _by_phase(world, lambda p, s, c: permissions.can_see_hidden_body(p, c))

    assert allowed == _always(
        MODERATORS | {"other-workshop-facilitator", "delegate-CN"}
    )


def test_running_a_session_is_for_its_facilitators_and_organisers(world):
    phase = _by_phase(
        world, lambda p, s, c: permissions.change_phase_refusal(p, s) is None
    )
    focus = _by_phase(
        world, lambda p, s, c: permissions.set_focus_refusal(p, s) is None
    )
    rounds = _by_phase(
        world, lambda p, s, c: permissions.run_rounds_refusal(p, s) is None
    )

    assert phase == _always(MODERATORS)
    assert focus == _always(MODERATORS)
    assert rounds == _always(MODERATORS)


def test_ranking_is_for_delegates_and_turnout_for_moderators(world):
    rank = _by_phase(world, lambda p, s, c: permissions.rank_refusal(p, s) is None)
    turnout = _by_phase(
        world, lambda p, s, c: permissions.see_turnout_refusal(p) is None
    )

    assert rank == {**_always(DELEGATES), Phase.DRAFT: set()}
    assert turnout == _always(MODERATORS | {"other-workshop-facilitator"})


def test_a_draft_session_is_seen_only_by_its_organisers_and_facilitators(world):
    seen = _by_phase(world, lambda p, s, c: permissions.can_see_session(p, s))

    everyone = set(ACTORS) - {"other-workshop-delegate", "other-workshop-facilitator"}
    assert seen == {**_always(everyone), Phase.DRAFT: MODERATORS}


def test_the_session_filter_agrees_with_the_rule(world):
    actors, session, _comment = world
    for phase in PHASES:
        session.phase = phase
        session.save(update_fields=["phase"])
        for name, actor in actors.items():
            listed = (
                type(session)
                .objects.filter(permissions.visible_sessions(actor), pk=session.pk)
                .exists()
            )
            assert listed == permissions.can_see_session(actor, session), (phase, name)


def test_summaries_are_requested_by_the_rapporteur_and_organisers(world):
    allowed = _by_phase(
        world,
        lambda p, s, c: permissions.request_summary_refusal(p, s.workshop_id) is None,
    )

    assert allowed == _always({"rapporteur", "organiser"})


def test_proposing_a_measure_is_for_delegates(world):
    allowed = _by_phase(world, lambda p, s, c: permissions.can_propose_measure(p))

    assert allowed == _always(DELEGATES | {"other-workshop-delegate"})


@pytest.mark.parametrize(
    ("staff", "in_group", "allowed"),
    [(True, True, True), (True, False, False), (False, True, False)],
)
def test_in_the_admin_only_staff_organisers_run_sessions(
    world, staff, in_group, allowed
):
    _, session, _ = world
    user = UserFactory(is_staff=staff)
    if in_group:
        user.groups.add(organisers_group())

    answers = {
        "phase": permissions.change_phase_refusal(user, session) is None,
        "rounds": permissions.run_rounds_refusal(user, session) is None,
        "summary": permissions.request_summary_refusal(user, session.workshop_id)
        is None,
    }

    assert answers == dict.fromkeys(answers, allowed)


def test_phase_facts_follow_the_phase(world):
    _, session, _ = world

    facts = {}
    for phase in PHASES:
        session.phase = phase
        facts[phase] = (
            permissions.discussion_is_open(session),
            permissions.ranking_is_on(session),
            permissions.focus_is_live(session),
        )

    assert facts == {
        Phase.DRAFT: (False, False, False),
        Phase.OPEN: (True, False, True),
        Phase.RANKING: (False, True, False),
        Phase.CLOSED: (False, False, False),
    }


def test_refusals_are_sentences_for_people(world):
    actors, session, comment = world
    session.phase = Phase.CLOSED

    reasons = {
        "observer comments": permissions.comment_refusal(actors["observer"], session),
        "delegate comments, closed": permissions.comment_refusal(
            actors["delegate-US"], session
        ),
        "delegate closes": permissions.change_phase_refusal(
            actors["delegate-US"], session
        ),
    }

    assert {k: str(v) for k, v in reasons.items()} == {
        "observer comments": "Only delegates can take part in the discussion.",
        "delegate comments, closed": (
            "This session is not open for discussion (it is “Closed”)."
        ),
        "delegate closes": "Only facilitators can change the session's phase.",
    }
