"""Measure actions through the pages: answering, endorsing and withdrawing;
proposing, editing and countering through the form, with bad input as form
errors or 400s."""

from dataclasses import replace

import pytest

from dialogue.models import MeasureEndorsement, MeasureResponse, ReciprocalMeasure
from dialogue.services.measures import (
    content_for_side,
    measure_answer,
    measure_counter,
    measure_withdraw,
)
from tests.builders import CONTENT, login, propose
from tests.builders import measure_url as url
from tests.builders import page_text as page


def form_data(**changes):
    data = {
        "title": CONTENT.title,
        "our_action": CONTENT.our_action,
        "their_action": CONTENT.their_action,
        "sequencing": CONTENT.sequencing,
        "conditionality": CONTENT.conditionality,
        "verification": CONTENT.verification,
        "timeframe": CONTENT.timeframe,
        "reversibility": CONTENT.reversibility,
        "measure_type": CONTENT.measure_type,
    }
    return data | changes


# --- answering, endorsing, withdrawing through the page -------------------------------------


@pytest.mark.parametrize("code", ["CN", "US"])
def test_delegate_answers_and_is_sent_back_to_the_answers(client, d, code):
    measure = propose(d, d.other(code))
    delegate = login(client, d.delegates[code][2])

    response = client.post(
        url("measure_answer", d, measure.pk),
        {"stance": "support_with_changes", "reason": "Add a review."},
    )

    assert response.status_code == 302
    assert response["Location"] == url("measure_detail", d, measure.pk) + "#answers"
    assert list(
        MeasureResponse.objects.values_list("participant_id", "stance", "reason")
    ) == [(delegate.pk, "support_with_changes", "Add a review.")]


def test_answer_without_a_reason_is_a_form_error(client, d):
    measure = propose(d)
    login(client, d.delegates["US"][1])

    response = client.post(
        url("measure_answer", d, measure.pk), {"stance": "oppose", "reason": " "}
    )

    assert response.status_code == 400
    assert response.context["answer_form"].errors == {
        "reason": ["This field is required."]
    }
    assert MeasureResponse.objects.count() == 0


def test_answer_to_a_withdrawn_measure_is_a_400_with_the_reason(client, d):
    measure = propose(d)
    measure_withdraw(measure=measure, by=d.delegates["CN"][1])
    login(client, d.delegates["US"][1])

    response = client.post(
        url("measure_answer", d, measure.pk), {"stance": "support", "reason": "x"}
    )

    assert response.status_code == 400
    assert response.context["answer_form"].non_field_errors() == [
        "This measure was withdrawn; it can no longer be answered."
    ]
    assert MeasureResponse.objects.count() == 0


@pytest.mark.parametrize("code", ["CN", "US"])
def test_head_endorses_on_behalf_of_the_delegation(client, d, code):
    measure = propose(d, d.other(code))
    head = login(client, d.head(code))

    shown = client.get(url("measure_detail", d, measure.pk))
    response = client.post(
        url("measure_endorse", d, measure.pk), {"delegation": code, "confirm": "1"}
    )

    assert f"Endorse on behalf of {head.delegation.name}" in page(shown)
    assert response.status_code == 302
    assert list(
        MeasureEndorsement.objects.values_list("delegation__code", "via", "endorsed_by")
    ) == [(code, "head", head.pk)]


@pytest.mark.parametrize(
    ("who", "code", "message"),
    [
        ("delegate", "CN", "Only the head of a delegation can endorse on its behalf."),
        (
            "us-head",
            "CN",
            "You head American scholars; you cannot endorse on behalf of Chinese "
            "scholars.",
        ),
        ("us-head", "XX", "There is no delegation XX in this workshop."),
    ],
)
def test_refused_endorsements_are_400_with_the_reason(client, d, who, code, message):
    measure = propose(d)
    login(client, d.head("US") if who == "us-head" else d.delegates["CN"][1])

    response = client.post(
        url("measure_endorse", d, measure.pk), {"delegation": code, "confirm": "1"}
    )

    assert response.status_code == 400
    assert response.context["error"] == [message]
    assert message in page(response)
    assert MeasureEndorsement.objects.count() == 0


def test_only_the_proposer_withdraws(client, d):
    measure = propose(d)
    login(client, d.delegates["CN"][2])
    refused = client.post(url("measure_withdraw", d, measure.pk))
    login(client, d.delegates["CN"][1])
    done = client.post(url("measure_withdraw", d, measure.pk))

    assert refused.status_code == 400
    assert refused.context["error"] == ["Only its proposer can withdraw a measure."]
    assert done.status_code == 302
    assert ReciprocalMeasure.objects.get().status == "withdrawn"


# --- proposing, editing, countering through the page ----------------------------------------


@pytest.mark.parametrize("code", ["CN", "US"])
def test_delegate_proposes_through_the_form(client, d, code):
    delegate = login(client, d.delegates[code][1])
    item = d.item_of(code)

    form = client.get(url("measure_create", d) + f"?item={item.pk}")
    response = client.post(
        url("measure_create", d),
        form_data(items=[item.pk], action="propose"),
    )

    measure = ReciprocalMeasure.objects.get()
    assert form.status_code == 200
    assert list(form.context["form"].initial["items"]) == [item]
    assert response.status_code == 302
    assert response["Location"] == url("measure_detail", d, measure.pk)
    assert (measure.status, measure.proposer, measure.proposing_delegation.code) == (
        "proposed",
        delegate,
        code,
    )


def test_delegate_saves_a_draft_through_the_form(client, d):
    login(client, d.delegates["US"][2])

    client.post(
        url("measure_create", d), form_data(items=[d.items[(2, 2)].pk], action="draft")
    )

    assert ReciprocalMeasure.objects.get().status == "draft"


def test_invalid_proposal_is_a_form_error_and_writes_nothing(client, d):
    login(client, d.delegates["US"][2])

    response = client.post(url("measure_create", d), form_data(title="", items=[]))

    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"title", "items"}
    assert ReciprocalMeasure.objects.count() == 0


def test_proposer_edits_before_answers_but_not_after(client, d):
    measure = propose(d)
    login(client, d.delegates["CN"][1])
    form = client.get(url("measure_edit", d, measure.pk))
    saved = client.post(
        url("measure_edit", d, measure.pk),
        form_data(title="Renamed", items=[d.items[(1, 1)].pk]),
    )
    measure_answer(
        measure=measure, by=d.delegates["US"][1], stance="oppose", reason="x"
    )

    late_form = client.get(url("measure_edit", d, measure.pk))
    late = client.post(
        url("measure_edit", d, measure.pk),
        form_data(title="Again", items=[d.items[(1, 1)].pk]),
    )

    assert form.status_code == 200
    assert form.context["form"].initial["title"] == CONTENT.title
    assert saved.status_code == 302
    assert late_form.status_code == 400
    assert late.status_code == 400
    assert late.context["form"].non_field_errors() == [
        "This measure has been answered, so it can no longer be edited: counter it "
        "or withdraw it instead."
    ]
    assert ReciprocalMeasure.objects.get().title == "Renamed"


def test_edit_is_forbidden_to_anyone_but_the_proposer(client, d):
    measure = propose(d)
    login(client, d.delegates["CN"][2])

    assert client.get(url("measure_edit", d, measure.pk)).status_code == 403


@pytest.mark.parametrize("code", ["CN", "US"])
def test_counter_form_starts_from_the_measure_written_from_the_counterers_side(
    client, d, code
):
    measure = propose(d, d.other(code))
    login(client, d.delegates[code][2])

    form = client.get(url("measure_counter", d, measure.pk))
    response = client.post(
        url("measure_counter", d, measure.pk),
        form_data(
            our_action=CONTENT.their_action,
            their_action=CONTENT.our_action,
            sequencing="other_first",
            timeframe="Two weeks",
            items=[d.item_of(d.other(code)).pk],
        ),
    )

    counter = ReciprocalMeasure.objects.get(revision=2)
    assert form.context["form"].initial["our_action"] == CONTENT.their_action
    assert form.context["form"].initial["sequencing"] == "other_first"
    assert "data-mark-changes" in page(form)
    assert response.status_code == 302
    assert response["Location"] == url("measure_detail", d, counter.pk)
    assert counter.proposing_delegation.code == code
    assert ReciprocalMeasure.objects.get(revision=1).status == "superseded"


def test_counter_without_a_change_is_refused(client, d):
    measure = propose(d)
    login(client, d.delegates["US"][2])

    response = client.post(
        url("measure_counter", d, measure.pk),
        form_data(
            our_action=CONTENT.their_action,
            their_action=CONTENT.our_action,
            sequencing="other_first",
            items=[d.item_of("CN").pk],
        ),
    )

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "A counter-proposal must change something in the measure."
    ]
    assert ReciprocalMeasure.objects.count() == 1


def test_counter_page_of_a_superseded_measure_says_why_not(client, d):
    measure = propose(d)
    us = d.delegates["US"][2]
    measure_counter(
        measure=measure,
        by=us,
        content=replace(content_for_side(measure, us.delegation_id), title="x"),
        items=[d.item_of("CN")],
    )
    login(client, us)

    response = client.get(url("measure_counter", d, measure.pk))

    assert response.status_code == 400
    assert response.context["error"] == [
        "This measure was already superseded by a counter-proposal; counter its "
        "latest revision instead."
    ]
