"""Summaries in a real browser: the rapporteur compiles one and watches it
progress (a real worker on Redis), everyone downloads each format, and the
preview and the PDF show the Chinese statements (screenshots, and the PDF's
first page as PNG when pdftoppm is installed)."""

import shutil
import subprocess
from pathlib import Path

import pytest

from dialogue.models import Role, SummaryReport
from dialogue.services import summaries as service
from dialogue.tasks import STEP_DELAY_ENV
from tests.builders import (
    ARTIFACTS,
    admin_organiser,
    docx_text,
    make_activity,
    make_participant,
    pdf_text,
    screenshot,
    sign_in_as,
)
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _pdf_page_png(pdf: Path, name: str) -> None:
    """Keep page 1 of a PDF as test-artifacts/<name>.png for a person to look at."""
    if shutil.which("pdftoppm") is None:
        return
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf)]
        + [str(ARTIFACTS / name)],
        check=True,
        timeout=60,
    )


def _download(page, link_name: str, tmp_path: Path) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name, exact=True).first.click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    return target.read_bytes()


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.celery_worker
def test_rapporteur_requests_a_summary_watches_progress_and_downloads(
    live_server,
    new_page,
    workers,
    workshop,
    tmp_path,
):
    activity = make_activity(workshop)
    session = activity.session
    rapporteur = make_participant(
        workshop, role=Role.RAPPORTEUR, user=UserFactory(username="rapporteur")
    )
    workers("summary-browser", **{STEP_DELAY_ENV: "1.5"})
    page = new_page()
    sign_in_as(page, live_server, rapporteur.user)
    page.goto(f"{live_server.url}{session.get_absolute_url()}")

    page.get_by_role(
        "link", name="All summary versions, and compiling a new one"
    ).click()
    page.get_by_role("button", name="Compile a new summary").click()
    progress = page.locator("#summary-progress-1")
    progress.wait_for(state="visible")
    screenshot(page, "summaries-progress")
    page.get_by_role("link", name="PDF", exact=True).wait_for(timeout=90_000)
    screenshot(page, "summaries-done")
    files = {
        name: _download(page, name, tmp_path)
        for name in ("PDF", "Word (DOCX)", "Markdown")
    }

    assert page.locator("progress").count() == 0
    assert files["PDF"].startswith(b"%PDF-")
    assert "查塔姆宫规则" in pdf_text(files["PDF"])
    assert "由报告员编写" in docx_text(files["Word (DOCX)"])
    assert files["Markdown"].decode().startswith("# Summary of session 1")
    assert b"zqx" not in files["Markdown"].lower()
    pdf = tmp_path / "summary.pdf"
    pdf.write_bytes(files["PDF"])
    _pdf_page_png(pdf, "summaries-pdf-page-1")


@pytest.mark.parametrize("code", ["CN", "US"])
def test_delegate_downloads_and_previews_the_latest_summary(
    live_server, new_page, settings, tmp_path, workshop, code
):
    settings.CELERY_TASK_ALWAYS_EAGER = True  # compiled in-process for this test
    settings.MEDIA_ROOT = tmp_path / "media"
    activity = make_activity(workshop)
    service.summary_request(session=activity.session, by=admin_organiser())
    assert SummaryReport.objects.get().status == "done"
    reader = make_participant(workshop, code=code)
    page = new_page()
    sign_in_as(page, live_server, reader.user)
    page.goto(f"{live_server.url}{activity.session.get_absolute_url()}")
    page.locator(".summary-panel").scroll_into_view_if_needed()
    screenshot(page, f"summaries-session-panel-{code.lower()}")

    markdown = _download(page, "Markdown", tmp_path)
    page.get_by_role("link", name="Preview in the browser").first.click()
    page.get_by_role("heading", name="Confidentiality / 保密").wait_for()
    screenshot(page, f"summaries-preview-{code.lower()}")

    assert markdown.decode().startswith("# Summary of session 1")
    assert page.get_by_text("本纪要遵循查塔姆宫规则", exact=False).count() == 1
    assert page.locator(".summary-chart svg").count() == 1
