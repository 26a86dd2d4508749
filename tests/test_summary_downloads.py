"""Downloading and previewing a compiled summary: every format to every
participant, nothing to strangers, hostile remarks inert."""

import pytest
from django.urls import reverse

from dialogue.models import Role, SummaryReport
from dialogue.services import summaries as service
from tests.builders import (
    XSS_PAYLOADS,
    admin_organiser,
    make_participant,
    make_ranking_session,
)
from tests.builders import session_url as url
from tests.factories import SummaryCommentFactory


@pytest.fixture
def session(workshop):
    return make_ranking_session(workshop, items=2, phase="closed")


# -- downloads and preview -----------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "content_type", "start"),
    [
        ("md", "text/markdown; charset=utf-8", b"# Summary of session 1"),
        (
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            b"PK",
        ),
        ("pdf", "application/pdf", b"%PDF-"),
    ],
)
def test_every_participant_downloads_each_format(
    client, done, session, fmt, content_type, start
):
    client.force_login(make_participant(session.workshop, role=Role.OBSERVER).user)

    response = client.get(url("summary_download", session, 1, fmt))

    body = b"".join(response.streaming_content)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == (
        f'attachment; filename="{session.workshop.slug}-session-1-summary-v1.{fmt}"'
    )
    assert "no-store" in response["Cache-Control"]
    assert body.startswith(start)


def test_download_is_404_for_strangers_unknown_formats_and_unfinished_versions(
    client, done, session, stranger, rapporteur
):
    SummaryReport.objects.create(
        session=session, version=2, confidentiality="chatham_house"
    )
    client.force_login(stranger)
    strangers = client.get(url("summary_download", session, 1, "pdf"))
    client.force_login(rapporteur)

    unknown = client.get(url("summary_download", session, 1, "exe"))
    unfinished = client.get(url("summary_download", session, 2, "pdf"))

    assert [r.status_code for r in (strangers, unknown, unfinished)] == [
        404,
        404,
        404,
    ]


def test_download_redirects_anonymous_visitors_and_refuses_post(
    client, done, session, rapporteur
):
    anonymous = client.get(url("summary_download", session, 1, "md"))
    client.force_login(rapporteur)
    post = client.post(url("summary_download", session, 1, "md"))

    assert (anonymous.status_code, post.status_code) == (302, 405)


def test_files_are_not_under_a_public_url(done):
    assert not done.pdf_file.name.startswith("/")
    assert "media" not in reverse("summary_list", args=["x", 1])


def test_preview_shows_the_report_in_the_page(client, done, session):
    client.force_login(make_participant(session.workshop, code="CN").user)

    response = client.get(url("summary_preview", session, 1))

    page = response.content.decode()
    assert response.status_code == 200
    assert '<article class="summary-report" lang="en">' in page
    assert "本纪要遵循查塔姆宫规则" in page
    assert " style=" not in page
    assert "<script>" not in page.split("</head>")[1]


def test_preview_is_404_for_a_stranger_and_an_unfinished_version(
    client, done, session, stranger, rapporteur
):
    SummaryReport.objects.create(
        session=session, version=2, confidentiality="chatham_house"
    )
    client.force_login(stranger)
    strangers = client.get(url("summary_preview", session, 1))
    client.force_login(rapporteur)
    unfinished = client.get(url("summary_preview", session, 2))

    assert (strangers.status_code, unfinished.status_code) == (404, 404)


def test_preview_renders_hostile_comments_inert(
    client, in_process, session, django_capture_on_commit_callbacks, monkeypatch
):
    """The preview marks the stored report HTML safe: every remark in it must
    already be escaped or sanitised (markdown-it safe preset, then nh3)."""
    from html.parser import HTMLParser

    # Quote every remark, not only the five most endorsed.
    monkeypatch.setattr(
        "dialogue.summary.build_discussion.MAX_REMARKS", len(XSS_PAYLOADS)
    )
    cn = make_participant(session.workshop, code="CN")
    for payload in XSS_PAYLOADS:
        SummaryCommentFactory(item=session.items.get(number=1), author=cn, body=payload)
    with django_capture_on_commit_callbacks(execute=True):
        service.summary_request(session=session, by=admin_organiser())
    client.force_login(make_participant(session.workshop, code="US").user)

    page = client.get(url("summary_preview", session, 1)).content.decode()
    article = page[page.index('<article class="summary-report"') :]

    class Audit(HTMLParser):
        live = []

        def handle_starttag(self, tag, attrs):
            if tag in {
                "script",
                "img",
                "iframe",
                "object",
                "embed",
                "style",
                "link",
                "meta",
                "base",
                "form",
                "input",
                "video",
                "audio",
                "math",
                "details",
                "body",
                "marquee",
            }:
                self.live.append(f"<{tag}>")
            for name, value in attrs:
                if name.startswith("on") or name == "style":
                    self.live.append(f"{tag}[{name}]")
                scheme = (value or "").split(":", 1)[0].strip().lower()
                if (
                    name in ("href", "src")
                    and ":" in (value or "")
                    and scheme
                    not in (
                        "http",
                        "https",
                        "mailto",
                    )
                ):
                    self.live.append(f"{tag}[{name}={value}]")

    audit = Audit()
    audit.feed(article)
    assert audit.live == []
    assert article.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 3
    assert "&lt;img src=x onerror=alert(1)&gt;" in article
