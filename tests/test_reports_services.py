"""The rapporteur's report, writing it: revisions, stale saves, the text's
validation, narratives, citations as rules, and the Chatham House check
before it is sent for review."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dialogue.models import CommentState, ReportRevision, ReportState, Role
from dialogue.services.reports import (
    ReportError,
    ReportForbidden,
    StaleReport,
    report_draft_for,
    report_save,
    report_send_for_review,
)
from tests.builders import (
    in_review,
    make_participant,
    remark,
    report_world,
    texts,
    tomorrow,
    write,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(workshop):
    return report_world(workshop)


def _refusal(call) -> list[str]:
    with pytest.raises(ReportError) as caught:
        call()
    return caught.value.messages


def test_report_draft_for_creates_one_per_session_and_one_per_workshop(world):
    again = report_draft_for(session=world.session)
    whole = report_draft_for(workshop=world.d.workshop)

    assert (again.pk, whole.session_id) == (world.draft.pk, None)
    assert report_draft_for(workshop=world.d.workshop).pk == whole.pk


def test_report_save_writes_numbered_revisions_and_bumps_the_version(world):
    first = write(world)
    second = write(world, convergence="Both agree, mostly.")

    world.draft.refresh_from_db()
    assert (first.number, second.number, world.draft.revision) == (1, 2, 2)
    assert world.draft.version == 2
    assert second.narratives == {"1": "On item one."}


def test_report_save_of_the_same_text_writes_nothing(world):
    first = write(world)

    again = report_save(draft=world.draft, by=world.rapporteur, base=0, **texts())

    assert (again.pk, ReportRevision.objects.count()) == (first.pk, 1)


def test_report_save_on_a_stale_base_is_refused_with_the_current_revision(world):
    current = write(world)

    with pytest.raises(StaleReport) as caught:
        report_save(
            draft=world.draft,
            by=world.rapporteur,
            base=0,
            **texts(takeaways="My own text."),
        )

    assert (caught.value.status, caught.value.current.pk) == (409, current.pk)
    assert ReportRevision.objects.count() == 1


@pytest.mark.parametrize("role", ["facilitator", "delegate", "observer"])
def test_report_save_is_for_the_rapporteur_only(world, role):
    by = {
        "facilitator": world.facilitator,
        "delegate": world.d.head("CN"),
        "observer": world.d.observer,
    }[role]

    with pytest.raises(ReportForbidden) as caught:
        report_save(draft=world.draft, by=by, base=0, **texts())

    assert (caught.value.status, caught.value.messages) == (
        403,
        ["Only the rapporteur writes the report."],
    )
    assert ReportRevision.objects.count() == 0


def test_report_save_refuses_control_characters_naming_the_field(world):
    messages = _refusal(lambda: write(world, convergence="bad\x07text"))

    assert len(messages) == 1 and messages[0].startswith("Convergence")
    assert ReportRevision.objects.count() == 0


def test_report_save_narratives_only_on_the_sessions_items(world):
    messages = _refusal(lambda: write(world, narratives={"9": "Nothing here."}))

    assert messages == ["This session has no item 9."]


def test_workshop_report_narratives_are_per_session(world):
    whole = report_draft_for(workshop=world.d.workshop)

    with pytest.raises(ReportError) as caught:
        report_save(
            draft=whole, by=world.rapporteur, base=0, **texts(narratives={"3": "x"})
        )
    revision = report_save(
        draft=whole,
        by=world.rapporteur,
        base=0,
        **texts(narratives={"2": "Session two.", "1": " "}),
    )

    assert caught.value.messages == ["This workshop has no session 3."]
    assert revision.narratives == {"2": "Session two."}


def test_report_save_cites_visible_remarks_of_the_session(world):
    cited = world.remarks[1]

    revision = write(world, takeaways=f"As one said [#c{cited.pk}].")

    assert revision.takeaways == f"As one said [#c{cited.pk}]."


@pytest.mark.parametrize(
    "state", [CommentState.HIDDEN, CommentState.WITHDRAWN, "other session"]
)
def test_report_save_refuses_a_citation_it_may_not_make_naming_it(world, state):
    if state == "other session":
        bad = remark(world.d.items[(2, 1)], world.d.head("US"))
    else:
        bad = remark(world.d.items[(1, 1)], world.d.head("US"), state=state)
    good = world.remarks[2]

    messages = _refusal(
        lambda: write(world, narratives={"1": f"See [#c{good.pk}] and [#c{bad.pk}]."})
    )

    assert messages == [
        f"[#c{bad.pk}]: not a visible remark of this session (it may have been "
        "hidden or withdrawn). Remove the reference or cite another remark."
    ]
    assert ReportRevision.objects.count() == 0


def test_workshop_report_cites_remarks_of_any_session(world):
    other = remark(world.d.items[(2, 1)], world.d.head("US"))
    whole = report_draft_for(workshop=world.d.workshop)

    revision = report_save(
        draft=whole,
        by=world.rapporteur,
        base=0,
        **texts(takeaways=f"Across sessions [#c{other.pk}]."),
    )

    assert revision.number == 1


def test_send_for_review_needs_a_deadline_in_the_future(world):
    write(world)

    missing = _refusal(
        lambda: report_send_for_review(
            draft=world.draft, by=world.rapporteur, deadline=None
        )
    )
    past = _refusal(
        lambda: report_send_for_review(
            draft=world.draft,
            by=world.rapporteur,
            deadline=timezone.now() - timedelta(minutes=1),
        )
    )

    assert (missing, past) == (
        ["Give the review a deadline."],
        ["The review's deadline must be in the future."],
    )
    world.draft.refresh_from_db()
    assert world.draft.state == ReportState.DRAFTING


def test_send_for_review_needs_a_revision(world):
    messages = _refusal(
        lambda: report_send_for_review(
            draft=world.draft, by=world.rapporteur, deadline=tomorrow()
        )
    )

    assert messages == ["Write the report before sending it for review."]


def test_send_for_review_puts_the_latest_revision_in_review(world):
    draft = in_review(world)

    assert (draft.state, draft.review_revision.number) == (ReportState.IN_REVIEW, 1)
    assert draft.review_deadline > timezone.now()


@pytest.mark.parametrize("code", ["CN", "US"])
@pytest.mark.parametrize("kind", ["first", "last", "full", "username", "email", "aff"])
def test_chatham_house_send_refuses_a_participants_name_saying_where(world, code, kind):
    world.d.workshop.confidentiality = "chatham_house"
    world.d.workshop.save()
    person = world.d.delegates[code][1]
    person.user.first_name, person.user.last_name = "Wenhua", "Zhangsun"
    person.user.email = "wz@think.example"
    person.user.save()
    person.affiliation = "Institute of Cartography"
    person.save()
    term = {
        "first": "Wenhua",
        "last": "Zhangsun",
        "full": "Wenhua Zhangsun",
        "username": person.user.username,
        "email": "wz@think.example",
        "aff": "Institute of Cartography",
    }[kind]
    write(world, takeaways=f"First takeaway.\n\nAs {term} put it.")

    messages = _refusal(
        lambda: report_send_for_review(
            draft=world.draft, by=world.rapporteur, deadline=tomorrow()
        )
    )

    assert len(messages) == 1
    assert messages[0].startswith(
        "Under the Chatham House Rule the report names no participant. Remove these:"
    )
    assert f"Key takeaways, paragraph 2: “{term}”" in messages[0]
    world.draft.refresh_from_db()
    assert world.draft.state == ReportState.DRAFTING


def test_on_the_record_a_name_may_be_printed(world):
    world.d.workshop.confidentiality = "on_record"
    world.d.workshop.save()
    person = world.d.head("US")
    person.user.first_name = "Wenhua"
    person.user.save()

    draft = in_review(world, takeaways="As Wenhua put it.")

    assert draft.state == ReportState.IN_REVIEW


def test_chatham_house_check_names_a_narrative_section(world):
    world.d.workshop.confidentiality = "chatham_house"
    world.d.workshop.save()
    make_participant(world.d.workshop, code="CN", affiliation="Pangu Institute")
    write(world, narratives={"2": "Intro.\n\nThe Pangu Institute view."})

    messages = _refusal(
        lambda: report_send_for_review(
            draft=world.draft, by=world.rapporteur, deadline=tomorrow()
        )
    )

    assert messages == [
        "Under the Chatham House Rule the report names no participant. Remove "
        "these: Item 2, paragraph 2: “Pangu Institute”."
    ]


def test_a_newer_revision_during_review_keeps_the_one_under_review(world):
    in_review(world)

    newer = write(world, convergence="Both agree, in part.")

    world.draft.refresh_from_db()
    assert (world.draft.review_revision.number, newer.number) == (1, 2)
    assert world.draft.state == ReportState.IN_REVIEW


def test_a_stranger_role_in_another_workshop_is_refused(world, other_workshop_member):
    other_rapporteur = make_participant(
        other_workshop_member.workshop, role=Role.RAPPORTEUR
    )

    with pytest.raises(ReportForbidden) as caught:
        report_save(draft=world.draft, by=other_rapporteur, base=0, **texts())

    assert caught.value.messages == ["This belongs to another workshop."]


def test_send_for_review_refuses_a_remark_hidden_since_it_was_cited(world):
    cited = world.remarks[1]
    write(world, takeaways=f"As one said [#c{cited.pk}].")
    cited.state, cited.hidden_reason = CommentState.HIDDEN, "Off topic."
    cited.save()

    messages = _refusal(
        lambda: report_send_for_review(
            draft=world.draft, by=world.rapporteur, deadline=tomorrow()
        )
    )

    assert messages == [
        f"[#c{cited.pk}]: not a visible remark of this session (it may have been "
        "hidden or withdrawn). Remove the reference or cite another remark."
    ]
