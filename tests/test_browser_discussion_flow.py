"""The discussion in a real browser, from each side, in English and Chinese:
pages follow a phase change without reloading (issue 12, item 1); the
consequential actions ask first, in a dialog with JavaScript and on a page
without it (item 7); the session page puts the agenda first (item 8); the
facilitator moderates behind one disclosure per comment (item 9); "Reply"
opens its form in place (item 13). axe-core checks every new step.

Chinese runs assert on elements and attributes, or on strings the catalogue
already has: new strings are translated when the catalogues are merged."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from dialogue.models import Comment, CommentState, MeasureEndorsement, Phase, Role
from dialogue.services import comments as svc
from dialogue.services.sessions import session_set_focus, session_set_phase
from tests.builders import (
    admin_organiser,
    axe_violations,
    build_dialogue,
    make_participant,
    propose,
    screenshot,
    sign_in,
)
from tests.factories import DelegationFactory, UserFactory, WorkshopFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WAIT = 8000  # a few polls (LIVE_POLL_SECONDS is 3)
LANGUAGES = ["en", "zh-hans"]


@pytest.fixture
def open_as(audited, live_server):
    """open_as(username, language, js=True) -> a signed-in page whose context
    lets axe-core in past the CSP (or, with js=False, runs no JavaScript)."""

    def open_page(username, language="en", *, js=True):
        page = audited(java_script_enabled=js)
        sign_in(page, live_server, username)
        # The choice is remembered per user: a second page may start in it.
        if page.locator("html").get_attribute("lang") != language:
            page.locator("#language-select").select_option(language)
            page.locator(".language-form button").click()
        expect(page.locator("html")).to_have_attribute("lang", language)
        return page

    return open_page


def tr(language, text):
    with translation.override(language):
        return translation.gettext(text)


def person(workshop, username, *, code=None, role=Role.DELEGATE, **extra):
    return make_participant(
        workshop,
        code=code,
        role=role,
        user=UserFactory(username=username, first_name=username.title()),
        **extra,
    )


@pytest.fixture
def room(seeded):
    """Session 2 of the shipped workshop, open, item 3 under discussion; a
    facilitator and a delegate on each side."""
    session = seeded.sessions.get(number=2)
    session_set_phase(session=session, phase=Phase.OPEN, by=admin_organiser())
    facilitator = person(seeded, "fac", role=Role.FACILITATOR)
    session_set_focus(
        participant=facilitator, session=session, item=session.items.get(number=3)
    )
    person(seeded, "cn-del", code="CN")
    person(seeded, "us-del", code="US")
    return session


def delegate(room, code):
    return room.workshop.participants.get(user__username=f"{code.lower()}-del")


def item_path(room, number=3):
    return reverse("item_detail", args=[room.workshop.slug, room.number, number])


# --- item 1: pages follow the phase -------------------------------------------------


# Each side once, each in one of the two languages (and the other way round
# for the withdraw dialog below): both sides and both languages are covered
# without running every pairing of the slowest journeys.
SIDES_IN_LANGUAGES = [("CN", "en"), ("US", "zh-hans")]
SIDES_IN_OTHER_LANGUAGES = [("CN", "zh-hans"), ("US", "en")]


@pytest.mark.parametrize(("code", "language"), SIDES_IN_LANGUAGES)
def test_pages_follow_the_move_to_ranking(live_server, open_as, room, code, language):
    username = f"{code.lower()}-del"
    on_item = open_as(username, language)
    on_item.goto(live_server.url + item_path(room))
    on_session = open_as(username, language)
    on_session.goto(live_server.url + room.get_absolute_url())
    facilitator = open_as("fac", language)
    facilitator.goto(live_server.url + room.get_absolute_url())
    expect(on_item.locator("#comment-form")).to_be_visible()
    expect(on_session.locator("#item-3.current")).to_be_visible()
    suffix = f"{code.lower()}-{language}"

    # The facilitator moves to ranking; the step asks first, in a dialog.
    facilitator.locator('#facilitator-controls button[value="ranking"]').click()
    dialog = facilitator.locator("#confirm-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_have_attribute("aria-labelledby", "confirm-heading")
    assert axe_violations(facilitator) == []
    screenshot(facilitator, f"discuss-phase-confirm-facilitator-{language}")
    dialog.locator("button.primary").click()
    expect(facilitator.locator(".phase-line .phase")).to_have_class(
        re.compile("phase-ranking")
    )

    # Without a reload the item page drops its form and says why, and the
    # session page offers ranking and highlights nothing.
    expect(on_item.locator("#comment-form")).to_have_count(0, timeout=WAIT)
    expect(on_item.locator("#comment-form-region .notice")).to_have_text(
        tr(language, "This session is not open for discussion: comments are read-only.")
    )
    expect(on_item.locator("#item-phase")).to_have_class(re.compile("phase-ranking"))
    expect(on_session.locator(".phase-line a[href$='/ranking/']")).to_have_text(
        tr(language, "Rank the items"), timeout=WAIT
    )
    expect(on_session.locator(".current-label")).to_have_count(0)
    expect(on_session.locator("#session-ranking h2")).to_have_text(
        tr(language, "Priority ranking")
    )
    expect(facilitator.locator("#focus-item")).to_have_count(0)
    assert axe_violations(on_item) == []
    assert axe_violations(on_session) == []
    screenshot(on_item, f"discuss-phase-item-{suffix}-after")
    screenshot(on_session, f"discuss-phase-session-{suffix}-after")

    # Back to discussion: the form comes back, still without a reload.
    facilitator.locator('#facilitator-controls button[value="open"]').click()
    expect(on_item.locator("#comment-form")).to_be_visible(timeout=WAIT)
    expect(on_session.locator(".phase-line a[href$='/ranking/']")).to_have_count(0)


# --- item 8: the session page --------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("who", ["cn-del", "us-del", "fac"])
def test_session_page_agenda_first_phase_once(
    live_server, open_as, room, who, language
):
    page = open_as(who, language)
    page.goto(live_server.url + room.get_absolute_url())

    agenda = page.locator("#session-live h2").bounding_box()
    cards = page.locator("section.card").all()
    expect(page.locator(".phase")).to_have_count(1)
    assert cards and all(card.bounding_box()["y"] > agenda["y"] for card in cards)
    expect(page.locator(".measure-counts")).to_have_count(1)
    if language == "en":
        expect(page.locator(".measure-counts")).to_have_text(
            "No measures on this session’s items yet."
        )
    if who == "fac":
        expect(
            page.locator('#facilitator-controls button[value="open"]')
        ).to_have_count(0)
    assert axe_violations(page) == []
    screenshot(page, f"discuss-session-{who}-{language}-after")


# --- item 7: the confirm step ---------------------------------------------------------


@pytest.mark.parametrize(("code", "language"), SIDES_IN_OTHER_LANGUAGES)
def test_withdraw_asks_in_a_dialog(live_server, open_as, room, code, language):
    comment = svc.comment_post(
        participant=delegate(room, code), item=room.items.get(number=3), body="Oops"
    )
    page = open_as(f"{code.lower()}-del", language)
    page.goto(live_server.url + item_path(room))
    withdraw = page.locator(
        f"#comment-{comment.pk} .comment-actions form[method=get] button"
    )
    dialog = page.locator("#confirm-dialog")

    withdraw.click()
    expect(dialog).to_be_visible()
    expect(dialog.locator("[data-confirm-cancel]")).to_be_focused()
    assert axe_violations(page) == []
    screenshot(page, f"discuss-confirm-withdraw-{code.lower()}-{language}")
    page.keyboard.press("Enter")  # Cancel has the focus
    expect(dialog).to_be_hidden()
    expect(withdraw).to_be_focused()
    comment.refresh_from_db()
    assert comment.state == CommentState.VISIBLE

    withdraw.click()
    dialog.locator("button.primary").click()
    expect(dialog).to_be_hidden()
    expect(page.locator(f"#comment-{comment.pk} .withdrawn")).to_have_text(
        tr(language, "Withdrawn by its author.")
    )
    comment.refresh_from_db()
    assert comment.state == CommentState.WITHDRAWN


@pytest.mark.parametrize("code", ["CN", "US"])
def test_withdraw_asks_on_a_page_without_javascript(live_server, open_as, room, code):
    comment = svc.comment_post(
        participant=delegate(room, code), item=room.items.get(number=3), body="Oops"
    )
    page = open_as(f"{code.lower()}-del", js=False)
    page.goto(live_server.url + item_path(room))

    page.locator(f"#comment-{comment.pk}").get_by_role(
        "button", name="Withdraw"
    ).click()
    expect(page).to_have_url(re.compile(r"/comments/\d+/withdraw/"))
    expect(page.locator("h1")).to_have_text("Withdraw your comment?")
    screenshot(page, f"discuss-confirm-withdraw-page-{code.lower()}")
    comment.refresh_from_db()
    assert comment.state == CommentState.VISIBLE
    page.get_by_role("button", name="Withdraw").click()

    expect(page.locator(f"#comment-{comment.pk} .withdrawn")).to_be_visible()
    comment.refresh_from_db()
    assert comment.state == CommentState.WITHDRAWN
    # The same page, checked by axe-core where scripts run.
    audit = open_as("fac")
    audit.goto(
        live_server.url
        + reverse("session_phase", args=[room.workshop.slug, room.number])
        + "?phase=closed"
    )
    assert axe_violations(audit) == []


@pytest.mark.parametrize("code", ["CN", "US"])
def test_head_endorses_after_the_dialog(live_server, open_as, code):
    workshop = WorkshopFactory(slug=f"measures-{code.lower()}")
    DelegationFactory(workshop=workshop, code="CN", name="Chinese scholars")
    DelegationFactory(workshop=workshop, code="US", name="American scholars")
    d = build_dialogue(workshop)
    measure = propose(d, d.other(code))
    page = open_as(d.head(code).user.username)
    page.goto(
        live_server.url + reverse("measure_detail", args=[workshop.slug, measure.pk])
    )
    name = d.delegations[code].name

    page.get_by_role("button", name=f"Endorse on behalf of {name}").click()
    dialog = page.locator("#confirm-dialog")
    expect(dialog.locator("h1")).to_have_text(
        f"Endorse this measure on behalf of {name}?"
    )
    assert axe_violations(page) == []
    screenshot(page, f"discuss-confirm-endorse-{code.lower()}")
    assert MeasureEndorsement.objects.count() == 0
    dialog.get_by_role("button", name=f"Endorse on behalf of {name}").click()

    expect(page.locator(".endorsed").first).to_be_visible()
    assert list(MeasureEndorsement.objects.values_list("delegation__code")) == [(code,)]


# --- item 9: moderation behind a disclosure ----------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("code", ["CN", "US"])
def test_facilitator_moderates_behind_one_disclosure(
    live_server, open_as, room, code, language
):
    item = room.items.get(number=3)
    author = delegate(room, code)
    other = delegate(room, "US" if code == "CN" else "CN")
    sharp = svc.comment_post(participant=author, item=item, body="Sharp words")
    calm = svc.comment_post(participant=other, item=item, body="Calm", parent=sharp)
    gone = svc.comment_post(participant=other, item=item, body="Gone")
    svc.comment_withdraw(participant=other, comment=gone)
    page = open_as("fac", language)
    page.goto(live_server.url + item_path(room))

    expect(page.locator("details.moderate")).to_have_count(2)
    expect(page.locator(f"#comment-{gone.pk} details")).to_have_count(0)
    expect(page.locator(f"#hide-reason-{sharp.pk}")).to_be_hidden()
    assert axe_violations(page) == []
    screenshot(page, f"discuss-moderation-{code.lower()}-{language}-after")

    # An open disclosure stays open while a poll brings a new comment.
    page.locator(f"#moderate-{sharp.pk}-visible summary").click()
    page.locator(f"#hide-reason-{sharp.pk}").fill("Keep it civil")
    svc.comment_post(participant=other, item=item, body="Meanwhile")
    expect(page.get_by_text("Meanwhile")).to_be_visible(timeout=WAIT)
    expect(page.locator(f"#hide-reason-{sharp.pk}")).to_have_value("Keep it civil")

    page.locator(f"#moderate-{sharp.pk}-visible button").click()
    dialog = page.locator("#confirm-dialog")
    expect(dialog.locator("#confirm-reason")).to_have_value("Keep it civil")
    assert axe_violations(page) == []
    screenshot(page, f"discuss-moderation-confirm-{code.lower()}-{language}")
    dialog.locator("button.primary").click()

    expect(page.locator(f"#comment-{sharp.pk} > .hidden-note")).to_be_visible()
    expect(page.locator(f"#moderate-{sharp.pk}-hidden")).not_to_have_attribute(
        "open", ""
    )
    sharp.refresh_from_db()
    calm.refresh_from_db()
    assert (sharp.state, sharp.hidden_reason) == (CommentState.HIDDEN, "Keep it civil")
    assert calm.state == CommentState.VISIBLE
    page.locator(f"#moderate-{sharp.pk}-hidden summary").click()
    page.locator(f"#moderate-{sharp.pk}-hidden button").click()
    expect(page.locator(f"#moderate-{sharp.pk}-visible")).to_have_count(1)


# --- item 13: reply in place -----------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("author", "replier"), [("CN", "US"), ("US", "CN")])
def test_reply_opens_in_place(live_server, open_as, room, author, replier, language):
    item = room.items.get(number=3)
    comment = svc.comment_post(
        participant=delegate(room, author),
        item=item,
        body="We want **concrete** steps:\n\n- one\n- two",
    )
    page = open_as(f"{replier.lower()}-del", language)
    page.goto(live_server.url + item_path(room))
    page.evaluate("window.notReloaded = true")
    url = page.url

    page.locator(f"#comment-{comment.pk} > .comment-actions a[aria-controls]").click()
    slot = page.locator(f"#reply-slot-{comment.pk}")
    body = slot.locator("textarea")
    expect(body).to_be_focused()
    expect(slot.locator("blockquote")).to_have_text(
        re.compile(r"^We want concrete steps:")
    )
    assert "**" not in slot.locator("blockquote").inner_text()
    assert page.url == url and page.evaluate("window.notReloaded") is True
    body.fill(f"Which first, asks {replier}?")
    # A poll in between keeps what is being typed.
    svc.comment_post(participant=delegate(room, author), item=item, body="Meanwhile")
    expect(page.get_by_text("Meanwhile")).to_be_visible(timeout=WAIT)
    expect(body).to_have_value(f"Which first, asks {replier}?")
    assert axe_violations(page) == []
    screenshot(page, f"discuss-reply-{replier.lower()}-{language}-after")

    slot.locator("button[type=submit]").click()
    expect(
        page.locator(f"#replies-{comment.pk}").get_by_text(
            f"Which first, asks {replier}?"
        )
    ).to_be_visible()
    expect(slot.locator("form")).to_have_count(0)
    reply = Comment.objects.get(parent=comment)
    assert reply.author == delegate(room, replier)
    assert page.evaluate("window.notReloaded") is True


@pytest.mark.parametrize("code", ["CN", "US"])
def test_reply_link_works_without_javascript(live_server, open_as, room, code):
    other = "US" if code == "CN" else "CN"
    comment = svc.comment_post(
        participant=delegate(room, other),
        item=room.items.get(number=3),
        body="We want **concrete** steps",
    )
    page = open_as(f"{code.lower()}-del", js=False)
    page.goto(live_server.url + item_path(room))

    page.locator(f"#comment-{comment.pk}").get_by_role("link", name="Reply").click()

    expect(page).to_have_url(re.compile(rf"\?reply_to={comment.pk}#comment-form$"))
    expect(page.locator(".replying q")).to_have_text("We want concrete steps")
    page.get_by_label("Your comment").fill("Plainly.")
    page.get_by_role("button", name="Post").click()
    assert Comment.objects.get(parent=comment).body == "Plainly."
    screenshot(page, f"discuss-reply-nojs-{code.lower()}-after")
