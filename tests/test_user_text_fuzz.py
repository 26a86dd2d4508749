"""Arbitrary text, posted to every form that takes text, by every role: never
a 500, nothing written when a form refuses, and everything a form accepted
compiles into every summary format.

The text includes NUL, lone surrogates (sent as the raw bytes a client could
send; Django decodes them as replacement characters), control and bidi
characters, Chinese, and strings of a megabyte. Each example is one POST;
after all of them, the session's summary is built and rendered once in each
format with everything that was accepted.
"""

from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dialogue.models import Comment, MeasureResponse, Phase, ReciprocalMeasure, Role
from dialogue.services.comments import comment_post
from dialogue.services.measures import measure_create
from dialogue.services.sessions import session_set_phase
from dialogue.summary.build import build_summary_document
from dialogue.summary.render import RENDERERS
from tests.builders import CONTENT, admin_organiser, make_participant

NASTY = [
    "\x00",
    "nul\x00inside",
    "\ud800",
    "lone \udfff surrogate",
    "\x1b[31mred\x1b[0m",
    "\u202egnp.exe",
    "\u2066isolate\u2069",
    "\x85\x9c",
    "\ufffe\uffff",
    "中文的评论，带标点。",
    "**bold** and `code` and <script>alert(1)</script>",
    "x" * 1_000_000,
    "  ",
    "",
]
TEXT = st.one_of(
    st.sampled_from(NASTY),
    st.text(st.characters(codec=None, exclude_categories=()), max_size=300),
)
FUZZ = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _post(client: Client, url: str, fields: dict[str, str]):
    """A form POST with the text's raw UTF-8 bytes, surrogates included."""
    body = "&".join(
        f"{quote(name)}={quote(value.encode('utf-8', 'surrogatepass'))}"
        for name, value in fields.items()
    )
    return client.post(url, body, content_type="application/x-www-form-urlencoded")


def _counts():
    return (
        Comment.objects.count(),
        ReciprocalMeasure.objects.count(),
        MeasureResponse.objects.count(),
        Comment.objects.filter(state="hidden").count(),
    )


@pytest.fixture
def stage(seeded):
    session = seeded.sessions.get(number=1)
    session_set_phase(session=session, phase=Phase.OPEN, by=admin_organiser())
    item = session.items.get(number=1)
    people = {
        "delegate CN": make_participant(seeded, code="CN"),
        "delegate US": make_participant(seeded, code="US"),
        "observer": make_participant(seeded, role=Role.OBSERVER),
        "facilitator": make_participant(seeded, role=Role.FACILITATOR),
        "rapporteur": make_participant(seeded, role=Role.RAPPORTEUR),
    }
    remark = comment_post(participant=people["delegate US"], item=item, body="Seed.")
    measure = measure_create(
        proposer=people["delegate CN"], content=CONTENT, items=[item]
    )
    return seeded, session, item, people, remark, measure


def _forms(workshop, session, item, remark, measure, text):
    """Every text form of the discussion and the measures, with `text`."""
    args = [workshop.slug, session.number, item.number]
    return [
        (reverse("comment_create", args=args), {"body": text}),
        (
            reverse("comment_hide", args=[workshop.slug, remark.pk]),
            {"reason": text, "confirm": "1"},
        ),
        (
            reverse("measure_create", args=[workshop.slug]),
            {
                "title": text[:300],
                "our_action": text,
                "their_action": text,
                "conditionality": text,
                "verification": text,
                "timeframe": text[:300],
                "sequencing": "simultaneous",
                "reversibility": "reversible",
                "measure_type": "other",
                "items": str(item.pk),
                "action": "propose",
            },
        ),
        (
            reverse("measure_answer", args=[workshop.slug, measure.pk]),
            {"stance": "clarify", "reason": text},
        ),
        (reverse("language_set"), {"language": text[:20]}),
    ]


@pytest.mark.parametrize(
    "role", ["delegate CN", "delegate US", "observer", "facilitator", "rapporteur"]
)
def test_any_text_from_any_role_is_never_a_500_and_compiles(stage, role):
    workshop, session, item, people, remark, measure = stage
    client = Client()
    client.force_login(people[role].user)
    seen = []

    @FUZZ
    @given(text=TEXT)
    def post_everything(text):
        for url, fields in _forms(workshop, session, item, remark, measure, text):
            before = _counts()
            response = _post(client, url, fields)
            seen.append(response.status_code)
            assert response.status_code < 500, (url, response.status_code)
            if response.status_code >= 400:
                assert _counts() == before, url

    post_everything()

    assert seen
    document = build_summary_document(session=session)
    for fmt, renderer in RENDERERS.items():
        assert renderer.render(document), fmt
