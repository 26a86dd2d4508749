"""Issue 12, items 10, 11 and 16 in a real browser, from each side, in
English and Chinese: one display name (never a username), times with their
zone (the workshop's, or one's own), and names per language."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from dialogue.models import Comment, Phase
from dialogue.services.measures import measure_answer, measure_create, measure_endorse
from dialogue.services.sessions import session_set_phase
from tests.builders import (
    CONTENT,
    admin_organiser,
    axe_violations,
    make_participant,
    screenshot,
    sign_in,
)
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OTHER = {"CN": "US", "US": "CN"}
LANGUAGES = ["en", "zh-hans"]


def _people(seeded):
    """A named head and delegate per side ("cn-head" is Wei Li ...)."""
    names = {
        "CN": [("Wei", "Li"), ("Min", "Zhang")],
        "US": [("Sarah", "Collins"), ("David", "Park")],
    }
    people = {}
    for code, pair in names.items():
        people[code] = [
            make_participant(
                seeded,
                code=code,
                is_head=index == 0,
                user=UserFactory(
                    username=f"{code.lower()}-user-{index}",
                    first_name=first,
                    last_name=last,
                ),
            )
            for index, (first, last) in enumerate(pair)
        ]
    return people


def _open_in(page, live_server, participant, language):
    sign_in(page, live_server, participant.user.username)
    if language != "en":
        page.get_by_label("Language").select_option(language)
        page.get_by_role("button", name="Change").click()
        expect(page.locator("html")).to_have_attribute("lang", language)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("code", ["CN", "US"])
def test_a_delegate_reads_display_names_never_usernames(
    live_server, audit_page, seeded, code, language
):
    people = _people(seeded)
    other = OTHER[code]
    session = seeded.sessions.get(number=1 if other == "CN" else 2)
    session_set_phase(session=session, phase=Phase.OPEN, by=admin_organiser())
    item = session.items.get(number=1)
    Comment.objects.create(item=item, author=people[other][1], body="A remark.")
    measure = measure_create(proposer=people[other][1], content=CONTENT, items=[item])
    measure_answer(measure=measure, by=people[code][1], stance="support", reason="Yes.")
    measure_endorse(
        measure=measure, delegation=people[other][0].delegation, by=people[other][0]
    )
    reader = people[code][0]
    page = audit_page

    _open_in(page, live_server, reader, language)
    texts = []
    for path in (
        item.get_absolute_url(),
        reverse("measure_detail", args=[seeded.slug, measure.pk]),
    ):
        page.goto(f"{live_server.url}{path}")
        texts.append(page.locator("body").inner_text())
        assert axe_violations(page) == [], path
    screenshot(page, f"people-measure-{code.lower()}-{language}")

    usernames = [p.user.username for group in people.values() for p in group]
    assert [u for u in usernames if any(u in text for text in texts)] == []
    expect(page.locator(".who")).to_contain_text(reader.display_name)
    assert people[other][1].display_name in texts[0]  # the comment's author
    for person in (people[other][0], people[other][1], people[code][1]):
        assert person.display_name in texts[1]  # endorser, proposer, answer


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("code", ["CN", "US"])
def test_times_say_their_zone_and_a_person_may_choose_theirs(
    live_server, audit_page, seeded, code, language
):
    session = seeded.sessions.get(number=1)
    session_set_phase(session=session, phase=Phase.OPEN, by=admin_organiser())
    item = session.items.get(number=1)
    author = _people(seeded)[OTHER[code]][1]
    Comment.objects.create(item=item, author=author, body="A remark.")
    reader = make_participant(seeded, code=code)
    page = audit_page

    _open_in(page, live_server, reader, language)
    page.goto(f"{live_server.url}{item.get_absolute_url()}")
    shown = page.locator(".comment time").first
    expect(shown).to_contain_text("UTC+8")
    assert shown.get_attribute("datetime").endswith("+08:00")
    expect(page.locator(".time-zone-link")).to_contain_text("UTC+8")
    screenshot(page, f"people-times-workshop-zone-{code.lower()}-{language}")

    page.locator(".time-zone-link").click()
    assert axe_violations(page) == []
    page.locator("#id_time_zone").select_option("America/New_York")
    screenshot(page, f"people-times-choose-{code.lower()}-{language}")
    page.locator("form.stacked button[type=submit]").click()

    page.wait_for_url(re.compile(re.escape(item.get_absolute_url()) + "$"))
    shown = page.locator(".comment time").first
    expect(shown).to_contain_text("UTC\u22125")
    assert re.search(r"-0[45]:00$", shown.get_attribute("datetime"))
    expect(page.locator(".time-zone-link")).to_contain_text("UTC\u22125")
    assert axe_violations(page) == []
    screenshot(page, f"people-times-own-zone-{code.lower()}-{language}")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("code", ["CN", "US"])
def test_names_follow_the_interface_language(
    live_server, audit_page, seeded, code, language
):
    session = seeded.sessions.get(number=1)
    session_set_phase(session=session, phase=Phase.OPEN, by=admin_organiser())
    reader = make_participant(seeded, code=code)
    page = audit_page
    zh = language != "en"

    _open_in(page, live_server, reader, language)
    page.goto(f"{live_server.url}{seeded.get_absolute_url()}")
    assert axe_violations(page) == []
    screenshot(page, f"people-names-workshop-{code.lower()}-{language}")
    workshop_text = page.locator("main").inner_text()
    page.goto(f"{live_server.url}{session.items.get(number=1).get_absolute_url()}")
    screenshot(page, f"people-names-item-{code.lower()}-{language}")
    assert axe_violations(page) == []

    h1 = "对方应该做什么？" if zh else "What Should the Other Side Do?"
    names = (
        ("中国学者", "美国学者") if zh else ("Chinese scholars", "American scholars")
    )
    absent = (
        ("Chinese scholars", "American scholars") if zh else ("中国学者", "美国学者")
    )
    assert h1 in workshop_text
    assert all(name in workshop_text for name in names)
    assert not any(name in workshop_text for name in absent)
    proposed = page.locator(".meta", has_text=names[0]).first
    expect(proposed).to_contain_text(names[1])
    if zh:
        expect(page.get_by_text("由 中国学者 向 美国学者 提出")).to_have_count(1)
    expect(page.locator(".breadcrumbs")).to_contain_text(h1)
