"""Measure texts and answer reasons pass the one user-text check: a limit on
every free-text field, stated in the form; characters no format can carry
refused with the field's name; nothing written."""

import pytest

from dialogue.measure_content import ACTION_MAX, REASON_MAX, TITLE_MAX
from dialogue.models import MeasureResponse, ReciprocalMeasure
from dialogue.services.measures import MeasureError, measure_create
from tests.builders import CONTENT, login, propose
from tests.builders import measure_url as url


def _form(d, **changes):
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
        "items": [d.items[(1, 1)].pk],
        "action": "propose",
    }
    return data | changes


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "title",
            "Escape \x1b[31m",
            "Title contains a character that is not allowed (U+001B).",
        ),
        (
            "title",
            "x" * (TITLE_MAX + 1),
            "Title is 201 characters long; the limit is 200.",
        ),
        (
            "our_action",
            "x" * (1024 * 1024),
            "What your side would do is 1048576 characters long; the limit is 4000.",
        ),
        (
            "their_action",
            "nul \x00",
            "What the other side would do contains a character that is not "
            "allowed (U+0000).",
        ),
        (
            "conditionality",
            "rlo \u202e",
            "Conditions contains a character that is not allowed "
            "(U+202E RIGHT-TO-LEFT OVERRIDE).",
        ),
        (
            "verification",
            "y" * (ACTION_MAX + 1),
            "How it would be verified is 4001 characters long; the limit is 4000.",
        ),
        ("timeframe", "two\nlines", "Timeframe must be on one line."),
    ],
)
@pytest.mark.parametrize("code", ["CN", "US"])
def test_a_bad_measure_text_is_a_form_error_and_writes_nothing(
    client, d, code, field, value, message
):
    login(client, d.delegates[code][1])

    response = client.post(url("measure_create", d), _form(d, **{field: value}))

    assert response.status_code == 400
    assert response.context["form"].errors == {field: [message]}
    assert ReciprocalMeasure.objects.count() == 0


def test_the_form_states_each_limit(client, d):
    login(client, d.delegates["CN"][1])

    form = client.get(url("measure_create", d)).context["form"]

    assert {
        name: (str(form.fields[name].help_text).split(". ")[-1], field.widget.attrs)
        for name, field in form.fields.items()
        if name in ("title", "our_action", "timeframe")
    } == {
        "title": (
            "At most 200 characters.",
            {"maxlength": "200", "autocomplete": "off"},
        ),
        "our_action": (
            "At most 4000 characters.",
            {"maxlength": "4000", "cols": "40", "rows": 3},
        ),
        "timeframe": ("At most 200 characters.", {"maxlength": "200"}),
    }


def test_the_service_refuses_what_the_form_would(d):
    with pytest.raises(MeasureError) as excinfo:
        measure_create(
            proposer=d.delegates["US"][1],
            content=CONTENT.__class__(
                **{**CONTENT.__dict__, "our_action": "a" * (ACTION_MAX + 1)}
            ),
            items=[d.items[(1, 1)]],
        )

    assert excinfo.value.message_dict == {
        "our_action": [
            f"What your side would do is {ACTION_MAX + 1} characters long; "
            f"the limit is {ACTION_MAX}."
        ]
    }
    assert ReciprocalMeasure.objects.count() == 0


@pytest.mark.parametrize("reason", ["z" * (REASON_MAX + 1), "bell \x07"])
def test_a_bad_answer_reason_is_a_form_error(client, d, reason):
    measure = propose(d)
    login(client, d.delegates["US"][1])

    response = client.post(
        url("measure_answer", d, measure.pk), {"stance": "support", "reason": reason}
    )

    assert response.status_code == 400
    assert list(response.context["answer_form"].errors) == ["reason"]
    assert MeasureResponse.objects.count() == 0


@pytest.mark.parametrize("code", ["CN\x00", "\u202eUS", "XX"])
def test_endorsing_for_an_odd_delegation_code_is_a_400(client, d, code):
    measure = propose(d)
    login(client, d.delegates["CN"][1])

    response = client.post(
        url("measure_endorse", d, measure.pk), {"delegation": code, "confirm": "1"}
    )

    assert response.status_code == 400
    assert measure.endorsements.count() == 0


def test_the_stated_limit_speaks_the_readers_language(client, d):
    login(client, d.delegates["CN"][1])
    client.cookies["django_language"] = "zh-hans"

    page = client.get(url("measure_create", d)).content.decode()

    assert "最多 200 个字符。" in page
    assert "At most 200 characters." not in page
