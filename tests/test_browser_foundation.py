"""The foundation in a real browser: each side signs in and finds its workshop;
an organiser imports a workshop file through the admin."""

import json

import pytest
from playwright.sync_api import expect

from dialogue.models import Phase, Workshop
from tests.builders import make_participant, screenshot, sign_in, small_file
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("code", ["CN", "US"])
def test_delegate_signs_in_and_opens_a_session(live_server, new_page, seeded, code):
    user = make_participant(
        seeded, code=code, user=UserFactory(username=f"{code}-d")
    ).user
    seeded.sessions.update(phase=Phase.OPEN)  # a draft is not there for delegates
    page = new_page()

    sign_in(page, live_server, user.username)
    page.get_by_role("link", name="What Should the Other Side Do?").click()
    page.get_by_role(
        "link", name="Suggestions for the Chinese Government from American Scholars"
    ).click()

    expect(page.locator("h1")).to_contain_text("2. Suggestions for the Chinese")
    expect(page.locator(".item h3")).to_have_count(6)
    expect(
        page.get_by_text("Proposed by American scholars to Chinese scholars")
    ).to_have_count(6)
    screenshot(page, f"foundation-session-{code.lower()}")


def test_chinese_interface_keeps_the_html_lang(live_server, new_page, seeded):
    user = make_participant(seeded, code="CN").user
    page = new_page()
    sign_in(page, live_server, user.username)

    page.get_by_label("Language").select_option("zh-hans")
    page.get_by_role("button", name="Change").click()

    assert page.locator("html").get_attribute("lang") == "zh-hans"
    screenshot(page, "foundation-home-zh")


def test_organiser_imports_a_workshop_file_in_the_admin(
    live_server, new_page, organiser, tmp_path
):
    organiser.set_password("pw-for-tests-only")
    organiser.save()
    bad = small_file()
    bad["sessions"][0]["items"][0]["proposed_by"] = "XX"
    bad_path = tmp_path / "bad.json"
    bad_path.write_text(json.dumps(bad))
    good_path = tmp_path / "good.json"
    good_path.write_text(json.dumps(small_file()))
    page = new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill(organiser.username)
    page.get_by_label("Password").fill("pw-for-tests-only")
    page.get_by_role("button", name="Log in").click()

    page.goto(f"{live_server.url}/admin/dialogue/workshop/")
    page.get_by_role("link", name="Import workshop file").click()
    page.get_by_label("Workshop file (JSON)").set_input_files(str(bad_path))
    page.get_by_role("button", name="Check and import").click()
    errors = page.locator("#file-errors").inner_text()
    screenshot(page, "foundation-admin-import-error")
    page.get_by_label("Workshop file (JSON)").set_input_files(str(good_path))
    page.get_by_role("button", name="Check and import").click()

    assert "sessions[0].items[0].proposed_by: 'XX' is not a delegation code" in errors
    assert "Imported “Small dialogue”" in page.locator(".messagelist").inner_text()
    assert Workshop.objects.filter(slug="small").exists()
    screenshot(page, "foundation-admin-import-ok")
