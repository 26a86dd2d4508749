"""The error pages and the 503 answer to a database that cannot be reached.

The views below stand in for any view whose query fails; this module is also
their URLconf. Tests without the `db` fixture prove a page needs no database:
pytest-django refuses every query there.
"""

import psycopg_pool
import pytest
from django.db import DatabaseError, InterfaceError, OperationalError
from django.template import loader
from django.test import Client
from django.urls import path
from django.utils import translation


def _raises(exc):
    def view(request):
        raise exc

    return view


urlpatterns = [
    path("operational/", _raises(OperationalError("connection refused"))),
    path("interface/", _raises(InterfaceError("connection already closed"))),
    path("pool/", _raises(psycopg_pool.PoolTimeout("no connection after 1.5 sec"))),
    path("programming/", _raises(DatabaseError("syntax error"))),
    path("bug/", _raises(ValueError("a bug"))),
]

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-Hans"}

pytestmark = pytest.mark.urls(__name__)


# -- 503 ---------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/operational/", "/interface/", "/pool/"])
def test_database_unavailable_is_a_503_with_retry_after(client, url):
    response = client.get(url)

    page = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "no-cache" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    assert "<h1>The site is unavailable for a moment</h1>" in page
    assert "The database cannot be reached right now." in page
    assert '<link rel="stylesheet" href="/static/css/site.css">' in page


def test_database_unavailable_page_is_in_chinese_for_chinese_readers(client):
    response = client.get("/operational/", **ZH)

    page = response.content.decode()
    assert response.status_code == 503
    assert '<html lang="zh-hans">' in page
    assert "<h1>网站暂时无法使用</h1>" in page
    assert "目前无法连接数据库。此前已保存的内容不会丢失。" in page


def test_database_unavailable_for_htmx_is_the_message_alone(client):
    response = client.post("/operational/", HTTP_HX_REQUEST="true")

    page = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert page.strip().startswith('<div class="notice" role="alert">')
    assert "<html" not in page
    assert "it was not saved" in page


def test_database_unavailable_is_logged_in_one_line(client, caplog):
    client.get("/pool/")

    assert [
        r.getMessage() for r in caplog.records if r.name == "workshop.middleware"
    ] == [
        "database unavailable for GET /pool/ (PoolTimeout: no connection after "
        "1.5 sec); answered 503"
    ]


def test_other_database_errors_are_still_errors():
    """A broken query is a bug: 500, not "try again"."""
    client = Client(raise_request_exception=False)

    response = client.get("/programming/")

    assert response.status_code == 500
    assert "Retry-After" not in response


# -- 500 ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "lang", "heading"),
    [({}, "en", "Something went wrong"), (ZH, "zh-hans", "出错了")],
)
def test_500_page_in_both_languages(headers, lang, heading):
    """This URLconf has no 'home': the page reverses no URL."""
    client = Client(raise_request_exception=False)

    response = client.get("/bug/", **headers)

    page = response.content.decode()
    assert response.status_code == 500
    assert f'<html lang="{lang}">' in page
    assert f"<title>{heading} · " in page
    assert f"<h1>{heading}</h1>" in page
    assert '<a href="/">' in page


def test_500_template_renders_with_no_context_at_all():
    """As django.views.defaults.server_error renders it."""
    template = loader.get_template("500.html")

    with translation.override("zh-hans"):
        page = template.render()

    assert "<h1>出错了</h1>" in page
    assert "由于应用程序出错，此页面无法显示。该错误已被记录。" in page


# -- 404 ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "heading", "back"),
    [
        ({}, "This page does not exist", "Back to your workshops"),
        (ZH, "此页面不存在", "返回您的研讨会"),
    ],
)
def test_404_page_in_both_languages(client, headers, heading, back):
    response = client.get("/no-such-page/", **headers)

    page = response.content.decode()
    assert response.status_code == 404
    assert f"<h1>{heading}</h1>" in page
    assert f'<a href="/">{back}</a>' in page
    assert "<code>/no-such-page/</code>" in page
    assert '<p class="error-code">404</p>' in page
