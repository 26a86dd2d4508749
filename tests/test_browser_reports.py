"""The rapporteur's report in a real browser, on the shipped workshop, from
each side: the rapporteur writes the key takeaways and an item's narrative,
cites a remark of each side with the picker, is stopped by the Chatham House
name check (and shown where), sends the draft for review with a deadline; a
delegate of each side (one in English, one in Chinese, each in their own
time zone) files a correction on a paragraph; the rapporteur applies one
and declines the other with a reason, and sends the new revision for review
again; both heads sign off; the rapporteur releases, a real worker compiles
the final version and the PDF is downloaded. Every page of that PDF is kept
as a PNG, with screenshots of each step, in test-artifacts/report-*."""

import shutil
import subprocess
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from dialogue import times
from dialogue.models import (
    Comment,
    Phase,
    Profile,
    ReportCorrection,
    ReportDraft,
    Role,
    SummaryReport,
)
from dialogue.services.comments import comment_post
from dialogue.services.sessions import session_set_phase
from tests.builders import (
    ARTIFACTS,
    admin_organiser,
    axe_violations,
    make_participant,
    pdf_text,
    screenshot,
    sign_in_as,
)
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
]

CN_REMARK = "Dialogue channels between the militaries should reopen first."
US_REMARK = "Visa delays for scholars are the easiest place to start."
ZONES = {"CN": "Asia/Shanghai", "US": "America/New_York"}
LANGUAGES = {"CN": "zh-hans", "US": "en"}


# Given names, so that the name check has real names to look for.
FIRST_NAMES = {
    "rap": "Morgan",
    "cn-head": "Hua",
    "cn-del": "Mingyu",
    "us-head": "John",
    "us-del": "Emily",
}


def person(workshop, username, *, code=None, role=Role.DELEGATE, **extra):
    return make_participant(
        workshop,
        code=code,
        role=role,
        user=UserFactory(username=username, first_name=FIRST_NAMES[username]),
        **extra,
    )


@pytest.fixture
def room(seeded):
    """Session 1 open, a rapporteur, and on each side a head and a delegate
    who has made one remark on item 1 (whose surname the name check knows)."""
    session = seeded.sessions.get(number=1)
    session_set_phase(session=session, phase=Phase.OPEN, by=admin_organiser())
    people = {
        "rap": person(seeded, "rap", role=Role.RAPPORTEUR),
    }
    item = session.items.get(number=1)
    for code, text in (("CN", CN_REMARK), ("US", US_REMARK)):
        lower = code.lower()
        people[f"{lower}-head"] = head = person(
            seeded, f"{lower}-head", code=code, is_head=True
        )
        Profile.objects.update_or_create(
            user=head.user, defaults={"language": LANGUAGES[code]}
        )
        delegate = person(seeded, f"{lower}-del", code=code)
        delegate.user.last_name = f"Surname{code}"
        delegate.user.save()
        Profile.objects.update_or_create(
            user=delegate.user,
            defaults={"time_zone": ZONES[code], "language": LANGUAGES[code]},
        )
        people[f"{lower}-del"] = delegate
        comment_post(participant=delegate, item=item, body=text)
    return seeded, session, people


def open_as(pages, live_server, participant):
    """A signed-in page with the person's language and zone, as signing in
    with the form would set them (their profile, carried in cookies)."""
    page = pages()
    sign_in_as(page, live_server, participant.user)
    profile = Profile.objects.filter(user=participant.user).first()
    cookies = {}
    if profile and profile.language:
        cookies[settings.LANGUAGE_COOKIE_NAME] = profile.language
    if profile and profile.time_zone:
        cookies[times.COOKIE_NAME] = profile.time_zone
    page.context.add_cookies(
        [{"name": k, "value": v, "url": live_server.url} for k, v in cookies.items()]
    )
    return page


def _pdf_pages_png(pdf: Path, stem: str) -> int:
    """Every page of the PDF as test-artifacts/<stem>-<n>.png; the count."""
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", str(pdf), str(ARTIFACTS / stem)],
        check=True,
        timeout=120,
    )
    return len(list(ARTIFACTS.glob(f"{stem}-*.png")))


def test_report_is_written_cited_reviewed_signed_off_and_released(
    room, live_server, new_page, audited, workers, tmp_path
):
    workshop, session, people = room
    assert shutil.which("pdftoppm"), "poppler-utils is needed to look at the PDF"
    workers("report-browser")
    remarks = {
        c.author.delegation.code: c.pk for c in Comment.objects.filter(item__number=1)
    }
    base = f"{live_server.url}/w/{workshop.slug}/reports/1/"

    # The rapporteur writes, citing one remark of each side with the picker.
    rap = open_as(new_page, live_server, people["rap"])
    rap.goto(f"{live_server.url}/w/{workshop.slug}/reports/")
    screenshot(rap, "report-index")
    rap.goto(base)
    takeaways = rap.locator("#id_takeaways")
    takeaways.fill(
        "Both sides want working channels before grand bargains. "
        "SurnameCN put it most plainly: "
    )
    takeaways.press("End")
    rap.locator(f"#cite-{remarks['CN']} .cite-insert").click()
    narrative = rap.locator("#id_narrative_1")
    narrative.fill("The American delegation pointed to visas as a first step ")
    narrative.press("End")
    rap.locator(f"#cite-{remarks['US']} .cite-insert").click()
    assert f"[#c{remarks['CN']}]" in takeaways.input_value()
    assert f"[#c{remarks['US']}]" in narrative.input_value()
    screenshot(rap, "report-draft-citing")
    rap.locator("#report-save").click()
    expect(rap.locator("#report-status")).to_contain_text("1")

    # Under the Chatham House Rule a name blocks the review, saying where.
    deadline = timezone.localtime(timezone.now() + timedelta(days=3))
    rap.locator("#id_deadline").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    rap.locator("#report-send").click()
    blocked = rap.locator("#send-for-review .form-errors")
    expect(blocked).to_contain_text("SurnameCN")
    screenshot(rap, "report-name-check")
    assert ReportDraft.objects.get(session=session).state == "drafting"
    rap.locator("#id_takeaways").fill(
        rap.locator("#id_takeaways")
        .input_value()
        .replace("SurnameCN put it most plainly", "One participant put it plainly")
    )
    rap.locator("#report-save").click()
    rap.locator("#id_deadline").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    rap.locator("#report-send").click()
    expect(rap.locator("#report-status")).to_contain_text("Revision 2")

    # A delegate of each side, in their own language and zone, corrects.
    offsets = {"CN": "UTC+8", "US": "UTC−5"}
    for code in ("CN", "US"):
        # Each in their own language and zone (their profile's).
        page = open_as(audited, live_server, people[f"{code.lower()}-del"])
        page.goto(f"{base}review/")
        expect(page.locator("#review-deadline")).to_contain_text(offsets[code])
        paragraph = page.locator("#section-takeaways li").first
        paragraph.locator("summary").click()
        paragraph.locator("select").select_option("misstatement")
        paragraph.locator("textarea[name=note]").fill(f"{code}: not quite what I said.")
        paragraph.locator("textarea[name=suggestion]").fill(
            f"Both sides want working channels first ({code} wording)."
        )
        screenshot(page, f"report-correction-{code.lower()}")
        paragraph.locator("button[type=submit]").click()
        expect(page.locator("#corrections")).to_contain_text(f"{code}: not quite")
        # Filers see their own correction only.
        other = "US" if code == "CN" else "CN"
        expect(page.locator("#corrections")).not_to_contain_text(f"{other}: not")
        assert axe_violations(page) == []
        page.close()

    # The rapporteur applies the Chinese delegate's wording and declines the
    # American's with a reason, then sends the new revision for review.
    rap.goto(f"{base}review/")
    screenshot(rap, "report-review-rapporteur")
    by_code = {c.filed_by.delegation.code: c for c in ReportCorrection.objects.all()}
    accept, decline = by_code["CN"], by_code["US"]
    rap.locator(f"#correction-{accept.pk}-accept").check()
    rap.locator(f"#correction-{accept.pk}-apply").check()
    rap.locator(f"#correction-{accept.pk}-resolve").click()
    expect(rap.locator(f"#correction-{accept.pk}")).to_contain_text("3")
    rap.locator(f"#correction-{decline.pk}-decline").check()
    rap.locator(f"#correction-{decline.pk}-reason").fill(
        "The takeaway keeps the delegation-neutral wording."
    )
    rap.locator(f"#correction-{decline.pk}-resolve").click()
    expect(rap.locator(f"#correction-{decline.pk}")).to_contain_text(
        "delegation-neutral"
    )
    rap.goto(base)
    rap.locator("#id_deadline").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    rap.locator("#report-send").click()
    expect(rap.locator("#report-status")).to_contain_text("Revision 3")
    draft = ReportDraft.objects.get(session=session)
    assert (draft.state, draft.review_revision.number) == ("in_review", 3)
    assert "(CN wording)" in draft.review_revision.takeaways

    # Both heads sign the revision off.
    for code in ("CN", "US"):
        head = open_as(new_page, live_server, people[f"{code.lower()}-head"])
        head.goto(f"{base}review/")
        head.locator("#report-sign-off").click()
        expect(head.locator(f"#sign-off-{code}")).to_contain_text(
            "签署" if code == "CN" else "Signed off"
        )
        screenshot(head, f"report-signed-{code.lower()}")
        head.close()

    # The rapporteur releases; a worker compiles the final version.
    rap.goto(f"{base}review/")
    rap.locator("#report-release").click()
    expect(rap.locator("#final-v1")).to_be_visible()
    final = SummaryReport.objects.get(session=session, final=True)
    deadline_at = time.monotonic() + 120
    while final.status not in ("done", "failed") and time.monotonic() < deadline_at:
        time.sleep(1)
        final.refresh_from_db()
    assert final.status == "done", final.error
    rap.locator("#final-v1 a").click()
    with rap.expect_download() as info:
        rap.locator(f"#summary-v{final.version}").get_by_role(
            "link", name="PDF", exact=True
        ).click()
    pdf = tmp_path / info.value.suggested_filename
    info.value.save_as(pdf)
    screenshot(rap, "report-final-listed")

    text = pdf_text(pdf.read_bytes())
    pages = _pdf_pages_png(pdf, "report-final-pdf")
    assert info.value.suggested_filename.endswith("-final.pdf")
    assert pages >= 3
    assert "Final" in text
    assert "(CN wording)" in text
    assert "Visa delays for scholars" in text  # the cited remark, as a note
    assert "SurnameCN" not in text and "SurnameUS" not in text
