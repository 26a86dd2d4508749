"""The walk-through fixes in a real browser, from each side, in English and
Chinese: a draft session is not there for delegates; the summaries page
compiles in the background with one fact per version (banner and entry);
participants' formatting survives in the summary; the ballot starts from the
delegate's own order with the rank apart from the item number; the slope
chart is readable at page width and in print.

Screenshots go to test-artifacts/ with the suffix in SHOT_SUFFIX ("after"
unless set), so the same journey can be shot on an older checkout.
"""

import os
import threading

import pytest

from dialogue.models import Comment, Phase, Role, SummaryReport
from dialogue.services import summaries as service
from dialogue.services import summary_attempts
from dialogue.services.rankings import ranking_round_open
from tests.builders import (
    admin_organiser,
    axe_violations,
    make_activity,
    make_participant,
    make_ranking_session,
    screenshot,
    sign_in_as,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SUFFIX = os.environ.get("SHOT_SUFFIX", "after")
SIDES = ["CN", "US"]
LANGUAGES = [("en", "en-GB"), ("zh", "zh-CN")]


def _shot(page, name: str) -> None:
    screenshot(page, f"{name}-{SUFFIX}")


def _page(browser, locale: str, *, audit: bool = False, width: int = 1200):
    context = browser.new_context(
        locale=locale, bypass_csp=audit, viewport={"width": width, "height": 900}
    )
    context.set_default_timeout(15_000)
    return context.new_page()


# -- 6: a draft session ------------------------------------------------------------


@pytest.mark.parametrize("code", SIDES)
@pytest.mark.parametrize(("lang", "locale"), LANGUAGES)
def test_a_delegate_cannot_open_a_draft_session(
    live_server, browser, workshop, code, lang, locale
):
    draft = make_ranking_session(workshop, number=2, items=3, phase=Phase.DRAFT)
    draft.title = "Preparatory agenda"
    draft.save(update_fields=["title"])
    make_ranking_session(workshop, number=1, items=2, phase=Phase.OPEN)
    delegate = make_participant(workshop, code=code)
    page = _page(browser, locale, audit=True)
    sign_in_as(page, live_server, delegate.user)

    page.goto(f"{live_server.url}/")
    home_lists_draft = page.get_by_text("Preparatory agenda").count()
    response = page.goto(f"{live_server.url}{draft.get_absolute_url()}")
    _shot(page, f"draft-session-delegate-{code.lower()}-{lang}")
    item = page.goto(f"{live_server.url}{draft.get_absolute_url()}items/1/")

    assert home_lists_draft == 0
    assert response.status == 404
    assert item.status == 404
    assert page.get_by_text("Item 1 of session 2").count() == 0
    assert axe_violations(page) == []


@pytest.mark.parametrize(("lang", "locale"), LANGUAGES)
def test_the_facilitator_prepares_a_draft_session(
    live_server, browser, workshop, lang, locale
):
    draft = make_ranking_session(workshop, number=2, items=3, phase=Phase.DRAFT)
    facilitator = make_participant(workshop, role=Role.FACILITATOR)
    page = _page(browser, locale)
    sign_in_as(page, live_server, facilitator.user)

    response = page.goto(f"{live_server.url}{draft.get_absolute_url()}")
    _shot(page, f"draft-session-facilitator-{lang}")

    assert response.status == 200
    assert page.locator("a", has_text="Item 1 of session 2").count() == 1


# -- 18 and 2: compiled in the background, one fact per version -------------------


@pytest.fixture
def held_compile(monkeypatch):
    """Hold the background compile at its first step until released."""
    opened, reached = threading.Event(), threading.Event()
    build = summary_attempts.build_summary_document

    def held(*args, **kwargs):
        reached.set()
        assert opened.wait(60)
        return build(*args, **kwargs)

    monkeypatch.setattr(summary_attempts, "build_summary_document", held)
    yield opened, reached
    opened.set()


@pytest.mark.parametrize(("lang", "locale"), LANGUAGES)
def test_the_summary_compiles_in_the_background_and_the_banner_follows_it(
    live_server, browser, settings, tmp_path, workshop, held_compile, lang, locale
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.SUMMARY_IN_PROCESS = "thread"
    settings.MEDIA_ROOT = tmp_path / "media"
    opened, reached = held_compile
    activity = make_activity(workshop)
    page = _page(browser, locale, audit=True)
    sign_in_as(page, live_server, activity.people["rap"].user)
    page.goto(f"{live_server.url}{activity.session.get_absolute_url()}summaries/")

    page.locator(".summary-request button[type=submit]").click()
    page.locator("#summary-progress-1").wait_for(state="visible")
    assert reached.wait(30)
    banner = page.locator("#summary-announcement")
    compiling = (
        banner.inner_text(),
        page.locator("#summary-v1").get_attribute("data-stage"),
    )
    _shot(page, f"summary-compiling-{lang}")
    opened.set()
    page.locator("#summary-v1[data-stage=done]").wait_for(timeout=90_000)
    banner.wait_for()
    _shot(page, f"summary-ready-{lang}")

    assert compiling[1] == "compiling"
    assert page.locator("#summary-v1").get_attribute("data-stage") == "done"
    assert page.locator("#summary-progress-1").count() == 0
    assert page.locator("#summary-announcement").count() == 1
    if lang == "en":
        assert compiling[0] == "Version 1 of the summary is being compiled."
        assert banner.inner_text() == "Version 1 of the summary is ready."
    assert axe_violations(page) == []


@pytest.mark.parametrize("code", SIDES)
def test_both_sides_see_the_stage_the_compiler_sees(
    live_server, browser, settings, tmp_path, workshop, code
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.MEDIA_ROOT = tmp_path / "media"
    activity = make_activity(workshop)
    service.summary_request(session=activity.session, by=admin_organiser())
    page = _page(browser, "en-GB")
    sign_in_as(page, live_server, activity.people[f"{code.lower()}-1"].user)

    page.goto(f"{live_server.url}{activity.session.get_absolute_url()}summaries/")

    assert page.locator("#summary-v1").get_attribute("data-stage") == "done"
    assert page.get_by_role("link", name="PDF", exact=True).count() == 1


# -- 3: participants' formatting in the summary ----------------------------------


@pytest.mark.parametrize("code", SIDES)
def test_a_remarks_formatting_reaches_the_summary(
    live_server, browser, settings, tmp_path, workshop, code
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.MEDIA_ROOT = tmp_path / "media"
    activity = make_activity(workshop)
    author = activity.people[f"{code.lower()}-1"]
    item = activity.session.items.get(number=2)
    Comment.objects.create(
        item=item,
        author=author,
        body="We need **concrete** steps:\n\n- a hotline\n- *regular* visits",
    )
    service.summary_request(session=activity.session, by=admin_organiser())
    report = SummaryReport.objects.get()
    page = _page(browser, "en-GB", audit=True)
    sign_in_as(page, live_server, activity.people["rap"].user)

    page.goto(
        f"{live_server.url}{activity.session.get_absolute_url()}summaries/v1/preview/"
    )
    remark = page.locator(".summary-remark", has_text="concrete").first
    remark.scroll_into_view_if_needed()
    _shot(page, f"summary-preview-formatting-{code.lower()}")
    markdown = report.markdown_file.open("rb").read().decode()

    assert remark.locator("strong", has_text="concrete").count() == 1
    assert remark.locator("li").all_inner_texts() == ["a hotline", "regular visits"]
    assert (
        "> We need **concrete** steps:\n>\n> - a hotline\n> - *regular* visits"
        in markdown
    )
    assert "\\*" not in markdown.split("## Ranking results")[0]
    assert axe_violations(page) == []


# -- 14: the ballot and the slope chart -------------------------------------------


@pytest.mark.parametrize("code", SIDES)
@pytest.mark.parametrize(("lang", "locale"), LANGUAGES)
def test_the_ballot_starts_from_the_delegates_own_order(
    live_server, browser, workshop, code, lang, locale
):
    session = make_ranking_session(workshop, items=6, phase=Phase.RANKING)
    ranking_round_open(session=session, by=admin_organiser())
    delegate = make_participant(workshop, code=code)
    page = _page(browser, locale, audit=True)
    sign_in_as(page, live_server, delegate.user)
    url = f"{live_server.url}{session.get_absolute_url()}ranking/"

    page.goto(url)
    first = page.locator(".ranking-row").evaluate_all(
        "rows => rows.map(r => r.dataset.itemId)"
    )
    _shot(page, f"ranking-ballot-{code.lower()}-{lang}")
    page.reload()
    again = page.locator(".ranking-row").evaluate_all(
        "rows => rows.map(r => r.dataset.itemId)"
    )
    captions = page.locator(".ranking-position-caption").count()

    assert sorted(first) == sorted(str(i.pk) for i in session.items.all())
    assert again == first
    assert captions == 6
    assert axe_violations(page) == []


@pytest.mark.parametrize("code", SIDES)
@pytest.mark.parametrize(("lang", "locale"), LANGUAGES)
def test_the_slope_chart_reads_at_page_width_and_in_print(
    live_server, browser, workshop, code, lang, locale
):
    activity = make_activity(workshop)
    long_title = (
        "Respect each other's core interests and red lines in the region, "
        "and refrain from unilateral steps the other side reads as provocation"
    )
    activity.session.items.filter(number=2).update(title=long_title)
    page = _page(browser, locale, audit=True)
    sign_in_as(page, live_server, activity.people[f"{code.lower()}-1"].user)

    page.goto(
        f"{live_server.url}{activity.session.get_absolute_url()}ranking/rounds/1/"
    )
    chart = page.locator(".ranking-chart svg").first
    chart.scroll_into_view_if_needed()
    width = chart.bounding_box()["width"]
    _shot(page, f"ranking-chart-{code.lower()}-{lang}")
    labels = chart.locator("g.slope-item text").all_text_contents()
    page.emulate_media(media="print")
    print_width = chart.bounding_box()["width"]
    _shot(page, f"ranking-chart-print-{code.lower()}-{lang}")

    assert width >= 900  # the page's whole column (it was 48rem)
    assert print_width >= 600
    assert not any("\u2026" in label for label in labels)
    assert sum(1 for label in labels if "provocation" in label) == 2  # both ends
    assert axe_violations(page) == []
