"""The one validation of user text (dialogue.user_text), and the places that
once answered 500 to bad bytes."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dialogue.models import Comment, CommentState, Phase, Role
from dialogue.services.sessions import session_set_phase
from dialogue.user_text import clean_user_text
from tests.builders import admin_organiser
from tests.factories import ParticipantFactory


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("nul \x00", "Title contains a character that is not allowed (U+0000)."),
        ("esc \x1b", "Title contains a character that is not allowed (U+001B)."),
        ("c1 \x85", "Title contains a character that is not allowed (U+0085)."),
        ("del \x7f", "Title contains a character that is not allowed (U+007F)."),
        (
            "surrogate \ud800",
            "Title contains a character that is not allowed (U+D800).",
        ),
        (
            "rlo \u202egnp.exe",
            "Title contains a character that is not allowed "
            "(U+202E RIGHT-TO-LEFT OVERRIDE).",
        ),
        (
            "isolate \u2066x\u2069",
            "Title contains a character that is not allowed "
            "(U+2066 LEFT-TO-RIGHT ISOLATE).",
        ),
        ("non\ufffe", "Title contains a character that is not allowed (U+FFFE)."),
        ("x" * 21, "Title is 21 characters long; the limit is 20."),
        ("two\nlines", "Title must be on one line."),
        ("   ", "Title is empty."),
    ],
)
def test_bad_text_is_refused_naming_the_field(value, message):
    with pytest.raises(ValidationError) as excinfo:
        clean_user_text(value, label="Title", max_length=20, multiline=False)

    assert excinfo.value.messages == [message]


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        ("  plain  ", "plain"),
        ("windows\r\nline\rends", "windows\nline\nends"),
        ("e\u0301", "\u00e9"),  # NFC, not NFKC: "ｔ" stays full-width
        (
            "全角ｔ and 中文 and emoji 🙂\tand a tab",
            "全角ｔ and 中文 and emoji 🙂\tand a tab",
        ),
    ],
)
def test_good_text_is_normalised_and_kept(value, stored):
    assert clean_user_text(value, label="Text", max_length=100) == stored


@pytest.fixture
def hidden_setup(seeded):
    session = seeded.sessions.get(number=1)
    session_set_phase(session=session, phase=Phase.OPEN, by=admin_organiser())
    item = session.items.get(number=1)
    author = ParticipantFactory(
        workshop=seeded,
        role=Role.DELEGATE,
        delegation=seeded.delegations.get(code="US"),
    )
    comment = Comment.objects.create(item=item, author=author, body="A remark.")
    facilitator = ParticipantFactory(workshop=seeded, role=Role.FACILITATOR)
    return seeded, comment, facilitator


@pytest.mark.parametrize("reason", ["spam\x00", "\u202eesrever", "bell\x07"])
def test_a_hide_reason_with_bad_bytes_is_a_400_and_changes_nothing(
    client, hidden_setup, reason
):
    workshop, comment, facilitator = hidden_setup
    client.force_login(facilitator.user)

    response = client.post(
        reverse("comment_hide", args=[workshop.slug, comment.pk]),
        {"reason": reason, "confirm": "1"},
    )

    comment.refresh_from_db()
    assert response.status_code == 400
    assert "The reason contains a character that is not allowed" in (
        response.content.decode()
    )
    assert (comment.state, comment.hidden_reason) == (CommentState.VISIBLE, "")


def test_a_refusal_page_says_its_reason_once(client, seeded):
    session = seeded.sessions.get(number=1)
    delegate = ParticipantFactory(
        workshop=seeded,
        role=Role.DELEGATE,
        delegation=seeded.delegations.get(code="CN"),
    )
    client.force_login(delegate.user)

    response = client.post(
        reverse("session_phase", args=[seeded.slug, session.number]), {"phase": "open"}
    )

    assert response.status_code == 403
    assert (
        response.content.decode().count(
            "Only facilitators can change the session&#x27;s phase."
        )
        == 1
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "title",
            "Title \x1b[0m",
            "Title contains a character that is not allowed (U+001B).",
        ),
        (
            "description",
            "nul \x00",
            "Description contains a character that is not allowed (U+0000).",
        ),
        ("title", "two\nlines", "Title must be on one line."),
    ],
)
def test_the_admin_refuses_bad_text_naming_the_field(
    client, organiser, seeded, field, value, message
):
    client.force_login(organiser)
    url = reverse("admin:dialogue_workshop_change", args=[seeded.pk])
    form = client.get(url).context["adminform"].form
    data = {
        name: form[name].value() or ""
        for name in form.fields
        if form[name].value() is not None
    }
    data["source_authors"] = '["Someone"]'
    for prefix in ("delegations", "sessions"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data[field] = value

    response = client.post(url, data)

    seeded.refresh_from_db()
    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field] == [message]
    assert getattr(seeded, field) != value
