"""Live tags without a query: an idle poll is answered from the cache, and
every change that a tag depends on (a comment, a phase, the item under
discussion, a participant's role or removal) is seen on the next poll, from
each delegation alike. A row read before a commit is never trusted."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from dialogue import live
from dialogue.models import Phase, Role
from dialogue.services import comments as svc
from dialogue.services.sessions import session_set_focus, session_set_phase
from tests.builders import admin_organiser, item_url, make_participant

HTMX = {"HTTP_HX_REQUEST": "true"}

pytestmark = pytest.mark.usefixtures("tag_cache")


@pytest.fixture
def tag_cache():
    with override_settings(LIVE_TAG_CACHE=True):
        yield


@pytest.fixture
def sides(cn, us):
    return {"CN": cn, "US": us}


def poll(client, item, etag=""):
    return client.get(
        item_url(item, "item_discussion"), HTTP_IF_NONE_MATCH=etag, **HTMX
    )


def settled_tag(client, item):
    """Poll until the tag's row is trusted (the first read stores it untrusted)."""
    etag = poll(client, item)["ETag"]
    assert poll(client, item, etag).status_code == 304
    return etag


def queries_of(client, item, etag) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = poll(client, item, etag)
    return response.status_code, [q["sql"] for q in captured.captured_queries]


@pytest.mark.parametrize("code", ["CN", "US"])
def test_an_idle_poll_reads_nothing_but_the_user(client, item, sides, code):
    client.force_login(sides[code].user)
    etag = settled_tag(client, item)
    status, sql = queries_of(client, item, etag)
    assert status == 304
    # What auth reads for every signed-in request, and nothing of the workshop.
    assert len(sql) == 1 and "auth_user" in sql[0], sql


@pytest.mark.parametrize("code", ["CN", "US"])
def test_each_change_a_tag_depends_on_is_seen_on_the_next_poll(
    client, item, sides, code
):
    viewer, other = sides[code], sides["US" if code == "CN" else "CN"]
    client.force_login(viewer.user)
    session = item.session

    etag = settled_tag(client, item)
    svc.comment_post(participant=other, item=item, body="A new remark")
    changed = poll(client, item, etag)
    assert changed.status_code == 200 and "A new remark" in changed.content.decode()

    etag = settled_tag(client, item)
    elsewhere = session.items.exclude(pk=item.pk).first()
    svc.comment_post(participant=other, item=elsewhere, body="Elsewhere")
    assert poll(client, item, etag).status_code == 304

    facilitator = make_participant(session.workshop, role=Role.FACILITATOR)
    session_set_focus(participant=facilitator, session=session, item=item)
    assert poll(client, item, etag).status_code == 200

    etag = settled_tag(client, item)
    session_set_phase(session=session, phase=Phase.RANKING, by=admin_organiser())
    assert poll(client, item, etag).status_code == 200

    etag = settled_tag(client, item)
    viewer.role = Role.OBSERVER
    viewer.save()
    assert poll(client, item, etag).status_code == 200

    settled_tag(client, item)
    viewer.delete()
    assert poll(client, item, etag).status_code == 404


def test_a_row_read_before_a_commit_is_not_trusted(db):
    reads = []

    def query(value):
        def run():
            reads.append(value)
            if value == "old":  # the writer commits while the row is in hand
                live.bump(live._gen("i", 7))
            return (7,), value

        return run

    def gens(ids):
        return [live._gen("i", ids[0])]

    key = "live:test:row"
    assert live._row(key, gens, query("seed")) == "seed"  # stored untrusted
    assert live._row(key, gens, query("old")) == "old"  # read, then bumped
    assert live._row(key, gens, query("new")) == "new"  # so read again
    assert live._row(key, gens, query("unused")) == "new"  # now trusted
    assert reads == ["seed", "old", "new"]


def test_without_the_setting_every_poll_reads_the_database(client, item, cn):
    client.force_login(cn.user)
    with override_settings(LIVE_TAG_CACHE=False):
        etag = poll(client, item)["ETag"]
        status, sql = queries_of(client, item, etag)
    assert status == 304 and len(sql) == 2, sql
