"""The rapporteur's report in review: corrections filed and resolved (an
accepted wording applied as a new revision), the heads' sign-offs, and the
release of the final version; the same flow from each side."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from dialogue.models import (
    CorrectionStatus,
    ReportCorrection,
    ReportSignOff,
    ReportState,
    SummaryReport,
)
from dialogue.services.reports import (
    ReportError,
    ReportForbidden,
    report_correction_file,
    report_correction_resolve,
    report_release,
    report_save,
    report_send_for_review,
    report_sign_off,
)
from tests.builders import in_review, remark, report_world, texts, tomorrow, write

pytestmark = pytest.mark.django_db

SIDES = ["CN", "US"]


@pytest.fixture
def world(workshop):
    return report_world(workshop)


def _refusal(call, error=ReportError) -> list[str]:
    with pytest.raises(error) as caught:
        call()
    return caught.value.messages


def _file(world, by, *, section="takeaways", paragraph=2, key=None, **extra):
    return report_correction_file(
        draft=world.draft,
        by=by,
        section=section,
        paragraph=paragraph,
        kind=extra.pop("kind", "misstatement"),
        note=extra.pop("note", "Not what was said."),
        suggestion=extra.pop("suggestion", "Second takeaway, corrected."),
        submission_key=key,
    )


def _sign_both(world):
    for code in SIDES:
        report_sign_off(draft=world.draft, by=world.d.head(code))


@pytest.mark.parametrize("code", SIDES)
def test_a_delegate_of_either_side_files_a_correction(world, code):
    in_review(world)

    correction = _file(world, world.d.delegates[code][2])

    assert (
        correction.section,
        correction.paragraph,
        correction.status,
        correction.revision.number,
        correction.filed_by.delegation.code,
    ) == ("takeaways", 2, CorrectionStatus.OPEN, 1, code)


def test_observer_and_facilitator_file_corrections_the_rapporteur_does_not(world):
    in_review(world)

    filed = [_file(world, world.d.observer), _file(world, world.facilitator)]
    messages = _refusal(lambda: _file(world, world.rapporteur))

    assert len(filed) == 2
    assert messages == ["The rapporteur resolves corrections; others file them."]


def test_a_correction_is_filed_only_in_review(world):
    write(world)

    messages = _refusal(lambda: _file(world, world.d.head("CN")))

    assert messages == ["Corrections are filed while the report is in review."]


@pytest.mark.parametrize(
    ("section", "paragraph"),
    [("takeaways", 3), ("divergence", 1), ("narrative:2", 1), ("nonsense", 1)],
)
def test_a_correction_names_an_existing_paragraph(world, section, paragraph):
    in_review(world)

    messages = _refusal(
        lambda: _file(world, world.d.head("US"), section=section, paragraph=paragraph)
    )

    assert messages == ["There is no such paragraph in the revision under review."]
    assert ReportCorrection.objects.count() == 0


def test_a_correction_needs_a_note_and_a_kind(world):
    in_review(world)

    no_note = _refusal(lambda: _file(world, world.d.head("US"), note="  "))
    no_kind = _refusal(lambda: _file(world, world.d.head("US"), kind="rude"))

    assert no_kind == ["Choose what kind of correction this is."]
    assert len(no_note) == 1 and no_note[0].startswith("What is wrong")


def test_a_correction_sent_twice_is_filed_once(world):
    in_review(world)
    key = uuid.uuid4()

    first = _file(world, world.d.head("CN"), key=key)
    second = _file(world, world.d.head("CN"), key=key)

    assert (first.pk, ReportCorrection.objects.count()) == (second.pk, 1)


@pytest.mark.parametrize("code", SIDES)
def test_declining_needs_a_reason(world, code):
    in_review(world)
    correction = _file(world, world.d.head(code))

    messages = _refusal(
        lambda: report_correction_resolve(
            correction=correction, by=world.rapporteur, accept=False, reason=""
        )
    )
    declined = report_correction_resolve(
        correction=correction, by=world.rapporteur, accept=False, reason="As said."
    )

    assert len(messages) == 1 and messages[0].startswith("The reason")
    assert (declined.status, declined.reason) == (CorrectionStatus.DECLINED, "As said.")


@pytest.mark.parametrize("code", SIDES)
def test_accepting_with_apply_writes_a_revision_with_the_wording(world, code):
    in_review(world)
    correction = _file(world, world.d.head(code))

    accepted = report_correction_resolve(
        correction=correction, by=world.rapporteur, accept=True, reason="", apply=True
    )

    assert (accepted.status, accepted.applied_in.number) == (
        CorrectionStatus.ACCEPTED,
        2,
    )
    assert accepted.applied_in.takeaways == (
        "First takeaway.\n\nSecond takeaway, corrected."
    )
    assert accepted.applied_in.narratives == {"1": "On item one."}


def test_apply_to_a_narrative_paragraph(world):
    in_review(world)
    correction = _file(
        world,
        world.d.head("US"),
        section="narrative:1",
        paragraph=1,
        suggestion="On item one, better.",
    )

    accepted = report_correction_resolve(
        correction=correction, by=world.rapporteur, accept=True, apply=True
    )

    assert accepted.applied_in.narratives == {"1": "On item one, better."}


def test_apply_is_refused_once_the_paragraph_has_changed(world):
    in_review(world)
    correction = _file(world, world.d.head("CN"))
    write(world, takeaways="First takeaway.\n\nRewritten meanwhile.")

    messages = _refusal(
        lambda: report_correction_resolve(
            correction=correction, by=world.rapporteur, accept=True, apply=True
        )
    )

    assert messages == [
        "That paragraph has changed since revision 1 (the latest is 2): its "
        "wording cannot be applied as it is. Accept it without applying, and "
        "edit the paragraph yourself."
    ]
    correction.refresh_from_db()
    assert correction.status == CorrectionStatus.OPEN


def test_only_the_rapporteur_resolves_and_only_once(world):
    in_review(world)
    correction = _file(world, world.d.head("CN"))

    by_facilitator = _refusal(
        lambda: report_correction_resolve(
            correction=correction, by=world.facilitator, accept=True
        ),
        ReportForbidden,
    )
    report_correction_resolve(correction=correction, by=world.rapporteur, accept=True)
    twice = _refusal(
        lambda: report_correction_resolve(
            correction=correction, by=world.rapporteur, accept=True
        )
    )

    assert by_facilitator == ["Only the rapporteur writes the report."]
    assert twice == ["This correction has already been resolved."]


@pytest.mark.parametrize("code", SIDES)
def test_the_head_signs_off_the_revision_under_review(world, code):
    in_review(world)

    sign_off = report_sign_off(draft=world.draft, by=world.d.head(code))
    again = report_sign_off(draft=world.draft, by=world.d.head(code))

    assert (sign_off.pk, sign_off.delegation.code, sign_off.revision.number) == (
        again.pk,
        code,
        1,
    )
    assert ReportSignOff.objects.count() == 1


@pytest.mark.parametrize("code", SIDES)
def test_a_delegate_who_is_not_head_does_not_sign_off(world, code):
    in_review(world)

    messages = _refusal(
        lambda: report_sign_off(draft=world.draft, by=world.d.delegates[code][1]),
        ReportForbidden,
    )

    assert messages == ["Only the head of a delegation signs the report off."]


@pytest.mark.parametrize("code", SIDES)
def test_no_sign_off_while_a_correction_is_open(world, code):
    in_review(world)
    _file(world, world.d.delegates[world.d.other(code)][2])

    messages = _refusal(
        lambda: report_sign_off(draft=world.draft, by=world.d.head(code))
    )

    assert messages == [
        "Corrections are still open: the rapporteur resolves them first."
    ]


@pytest.mark.parametrize("code", SIDES)
def test_a_newer_revision_must_be_sent_again_and_earlier_sign_offs_do_not_count(
    world, code
):
    in_review(world)
    report_sign_off(draft=world.draft, by=world.d.head(world.d.other(code)))
    write(world, convergence="Both agree, in part.")

    messages = _refusal(
        lambda: report_sign_off(draft=world.draft, by=world.d.head(code))
    )
    report_send_for_review(draft=world.draft, by=world.rapporteur, deadline=tomorrow())
    report_sign_off(draft=world.draft, by=world.d.head(code))
    release = _refusal(lambda: report_release(draft=world.draft, by=world.rapporteur))

    assert messages == [
        "The rapporteur has written a newer revision since this one was sent "
        "for review: it is signed off once it is sent for review again."
    ]
    assert release == [f"Not signed off yet by: {world.d.other(code)}."]


def test_no_sign_off_before_review(world):
    write(world)

    messages = _refusal(
        lambda: report_sign_off(draft=world.draft, by=world.d.head("CN"))
    )

    assert messages == ["Only a report in review is signed off."]


def test_release_needs_both_sign_offs(world):
    in_review(world)
    report_sign_off(draft=world.draft, by=world.d.head("US"))

    messages = _refusal(lambda: report_release(draft=world.draft, by=world.rapporteur))

    assert messages == ["Not signed off yet by: CN."]
    assert SummaryReport.objects.count() == 0


def test_release_compiles_the_final_version_and_the_draft_is_final(world):
    in_review(world)
    _sign_both(world)

    report = report_release(draft=world.draft, by=world.rapporteur)
    again = report_release(draft=world.draft, by=world.rapporteur)

    world.draft.refresh_from_db()
    assert (report.final, report.draft_revision_id, report.session_id) == (
        True,
        world.draft.review_revision_id,
        world.session.pk,
    )
    assert (world.draft.state, world.draft.released_by) == (
        ReportState.FINAL,
        world.rapporteur.user,
    )
    assert (again, SummaryReport.objects.count()) == (None, 1)


def test_the_workshop_report_is_released_as_the_workshops(world):
    world.draft = world.draft.__class__.objects.create(workshop=world.d.workshop)
    in_review(world, narratives={"2": "Session two."})
    _sign_both(world)

    report = report_release(draft=world.draft, by=world.rapporteur)

    assert (report.session_id, report.workshop_id, report.final) == (
        None,
        world.d.workshop.pk,
        True,
    )


def test_release_is_for_the_rapporteur(world):
    in_review(world)
    _sign_both(world)

    messages = _refusal(
        lambda: report_release(draft=world.draft, by=world.facilitator),
        ReportForbidden,
    )

    assert messages == ["Only the rapporteur writes the report."]


def test_nothing_changes_once_final(world):
    in_review(world)
    _sign_both(world)
    report_release(draft=world.draft, by=world.rapporteur)
    world.draft.refresh_from_db()
    final = "The report is final: nothing in it changes any more."

    save = _refusal(
        lambda: report_save(
            draft=world.draft,
            by=world.rapporteur,
            base=1,
            **texts(takeaways="Late edit."),
        )
    )
    send = _refusal(
        lambda: report_send_for_review(
            draft=world.draft, by=world.rapporteur, deadline=tomorrow()
        )
    )
    file = _refusal(lambda: _file(world, world.d.head("CN")))
    sign = _refusal(lambda: report_sign_off(draft=world.draft, by=world.d.head("CN")))

    assert (save, send) == ([final], [final])
    assert file == ["Corrections are filed while the report is in review."]
    assert sign == ["Only a report in review is signed off."]


def test_release_is_refused_while_a_correction_is_open(world):
    in_review(world)
    _sign_both(world)
    _file(world, world.d.head("US"))

    messages = _refusal(lambda: report_release(draft=world.draft, by=world.rapporteur))

    assert messages == ["Corrections are still open: resolve them before releasing."]


def test_release_rechecks_names_under_chatham_house(world):
    in_review(world, takeaways="Someone said Zhangsun.")
    _sign_both(world)
    world.d.workshop.confidentiality = "chatham_house"
    world.d.workshop.save()
    person = world.d.head("CN")
    person.user.last_name = "Zhangsun"
    person.user.save()
    world.draft.refresh_from_db()

    messages = _refusal(lambda: report_release(draft=world.draft, by=world.rapporteur))

    assert messages == [
        "Under the Chatham House Rule the report names no participant. Remove "
        "these: Key takeaways, paragraph 1: “Zhangsun”."
    ]


def test_an_applied_wording_may_not_cite_a_hidden_remark(world):
    in_review(world)
    hidden = remark(world.d.items[(1, 1)], world.d.head("US"), state="hidden")
    correction = _file(world, world.d.head("CN"), suggestion=f"See [#c{hidden.pk}].")

    messages = _refusal(
        lambda: report_correction_resolve(
            correction=correction, by=world.rapporteur, accept=True, apply=True
        )
    )

    assert messages == [
        f"[#c{hidden.pk}]: not a visible remark of this session (it may have been "
        "hidden or withdrawn). Remove the reference or cite another remark."
    ]


@pytest.mark.parametrize("code", SIDES)
def test_release_is_refused_once_a_correction_was_applied_after_the_sign_offs(
    world, code
):
    """What was signed off is no longer the text: releasing would drop the
    accepted wording, so the new revision goes through review again."""
    in_review(world)
    _sign_both(world)
    correction = _file(world, world.d.delegates[code][1])
    report_correction_resolve(
        correction=correction, by=world.rapporteur, accept=True, reason="", apply=True
    )

    messages = _refusal(lambda: report_release(draft=world.draft, by=world.rapporteur))

    assert messages == [
        "A newer revision was written after this one was sent for review: "
        "send it for review and have it signed off before releasing."
    ]
    assert SummaryReport.objects.count() == 0


@pytest.mark.parametrize("code", SIDES)
def test_no_correction_is_filed_after_the_deadline(world, code):
    draft = in_review(world)
    draft.review_deadline = timezone.now() - timedelta(minutes=1)
    draft.save(update_fields=["review_deadline"])

    messages = _refusal(lambda: _file(world, world.d.delegates[code][1]))

    assert len(messages) == 1 and messages[0].startswith("The review closed")
    assert ReportCorrection.objects.count() == 0


def test_a_first_save_on_a_wrong_base_is_refused_not_an_error(world):
    messages = _refusal(
        lambda: report_save(draft=world.draft, by=world.rapporteur, base=3, **texts())
    )

    assert messages == [
        "This draft has no revision yet: reload the page and write the first one."
    ]
    assert world.draft.revisions.count() == 0
