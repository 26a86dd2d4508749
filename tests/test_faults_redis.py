"""Redis goes away: the production layout (cache and broker on one Redis,
``cached_db`` sessions) keeps serving every role.

Each test starts its own redis-server on a free port and points the cache
(db 1, through the settings' own CACHE_URL parsing) and the broker (db 0) at
it, signs people in through the login form, then kills or freezes that
process. Requests run in a thread with a deadline, so a request that hangs
fails the test instead of hanging the suite.
"""

import threading
import time

import pytest
import redis
from django.db import connections
from django.test import Client
from django.urls import reverse

from dialogue.models import (
    Comment,
    Phase,
    Ranking,
    Role,
    SummaryReport,
    SummaryStatus,
)
from dialogue.services.sessions import session_set_phase
from tests.builders import admin_organiser, make_participant, make_ranking_session
from tests.factories import UserFactory
from tests.faults import RedisServer
from workshop.cache import OutageTolerantClient
from workshop.env import parse_cache_url

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

SESSION_KEYS = "*django.contrib.sessions.cached_db*"
QUEUED_LATER = (
    "Version 2 is recorded, but the job queue cannot be reached right now; "
    "it will be sent as soon as it can."
)


@pytest.fixture
def redis_server():
    server = RedisServer()
    server.start()
    yield server
    server.kill()


@pytest.fixture
def production_cache(settings, redis_server):
    """Cache and broker on the test's Redis, as docker-compose.yml has them."""
    settings.CACHES = {"default": parse_cache_url(redis_server.url(1))}
    settings.CELERY_BROKER_URL = redis_server.url(0)
    settings.CELERY_TASK_ALWAYS_EAGER = False
    return redis.Redis.from_url(redis_server.url(1))


@pytest.fixture
def session(workshop):
    session = make_ranking_session(workshop, items=4)
    session_set_phase(session=session, phase=Phase.OPEN, by=admin_organiser())
    return session


def within(seconds, call, *args, **kwargs):
    """``call(*args, **kwargs)``, which must return within ``seconds``."""
    outcome = {}

    def run():
        try:
            outcome["value"] = call(*args, **kwargs)
        except BaseException as exc:  # re-raised below, in the test's thread
            outcome["error"] = exc
        finally:
            connections.close_all()

    start = time.monotonic()
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds + 10)
    elapsed = time.monotonic() - start
    assert not thread.is_alive(), f"no answer after {elapsed:.1f} s"
    if "error" in outcome:
        raise outcome["error"]
    assert elapsed < seconds, f"answered after {elapsed:.2f} s"
    return outcome["value"]


def signed_in(user) -> Client:
    client = Client()
    response = client.post(
        reverse("login"), {"username": user.username, "password": "pw-for-tests-only"}
    )
    assert response.status_code == 302, response.content.decode()
    return client


def url(name, session, *extra):
    return reverse(name, args=[session.workshop.slug, session.number, *extra])


def ranking_form(session, numbers):
    by_number = dict(session.items.values_list("number", "id"))
    data = {"round": "1"}
    for position, number in enumerate(numbers, start=1):
        data[f"position-{by_number[number]}"] = str(position)
    return data


def test_with_redis_killed_every_role_keeps_working(
    production_cache, redis_server, workshop, session
):
    delegate = make_participant(workshop, code="CN", user=UserFactory(username="cn"))
    facilitator = make_participant(workshop, role=Role.FACILITATOR)
    rapporteur = make_participant(workshop, role=Role.RAPPORTEUR)
    as_delegate = signed_in(delegate.user)
    as_facilitator = signed_in(facilitator.user)
    as_rapporteur = signed_in(rapporteur.user)
    # The sessions really are in Redis, and the broker takes a request.
    assert len(production_cache.keys(SESSION_KEYS)) == 3
    first = as_rapporteur.post(url("summary_request", session), follow=True)
    assert "Version 1 of the summary is being compiled." in first.content.decode()
    item = url("item_detail", session, 1)

    redis_server.kill()

    # A delegate reads, polls and writes.
    assert within(2, as_delegate.get, url("session_detail", session)).status_code == 200
    assert within(2, as_delegate.get, item).status_code == 200
    poll = within(2, as_delegate.get, url("session_live", session), HTTP_HX_REQUEST="1")
    assert poll.status_code == 200
    again = within(
        2,
        as_delegate.get,
        url("session_live", session),
        HTTP_HX_REQUEST="1",
        HTTP_IF_NONE_MATCH=poll["ETag"],
    )
    assert again.status_code == 304
    posted = within(
        2, as_delegate.post, url("comment_create", session, 1), {"body": "Still here."}
    )
    assert posted.status_code == 302
    assert Comment.objects.get().body == "Still here."
    # The facilitator runs the session.
    focus = within(2, as_facilitator.post, url("session_focus", session), {"item": "1"})
    phase = within(
        2,
        as_facilitator.post,
        url("session_phase", session),
        {"phase": "ranking", "confirm": "1"},
    )
    assert (focus.status_code, phase.status_code) == (302, 302)
    session.refresh_from_db()
    assert session.phase == Phase.RANKING
    # The delegate ranks.
    assert within(2, as_delegate.get, url("ranking_page", session)).status_code == 200
    ranked = within(
        2,
        as_delegate.post,
        url("ranking_submit", session),
        ranking_form(session, [3, 1, 4, 2]),
    )
    assert ranked.status_code == 302
    assert Ranking.objects.filter(participant=delegate).count() == 1
    # The rapporteur's request is recorded, to be sent when the broker is back.
    requested = within(2, as_rapporteur.post, url("summary_request", session))
    listed = within(2, as_rapporteur.get, requested["Location"])
    assert listed.status_code == 200
    assert QUEUED_LATER in listed.content.decode()
    report = SummaryReport.objects.get(session=session, version=2)
    assert (report.status, report.queued_at) == (SummaryStatus.QUEUED, None)
    # Signing out and in again works (the sign-in throttle counts nothing).
    assert within(2, as_delegate.post, reverse("logout")).status_code == 302
    again = within(2, signed_in, delegate.user)
    assert within(2, again.get, reverse("home")).status_code == 200
    # The health check says what is down.
    health = within(2, Client().get, "/healthz")
    assert health.status_code == 503
    assert health.json() == {
        "status": "error",
        "database": {"ok": True, "vendor": health.json()["database"]["vendor"]},
        "broker": {"ok": False, "mode": "worker", "error": "OperationalError"},
    }


def test_with_redis_frozen_requests_wait_one_timeout_and_a_sign_out_holds(
    production_cache, redis_server, workshop, session, monkeypatch
):
    """A frozen Redis accepts connections and never answers: only the socket
    timeouts bound a request. A session signed out meanwhile must not come
    back from the cache when Redis does."""
    monkeypatch.setattr(OutageTolerantClient, "RETRY_SECONDS", 1.0)
    delegate = make_participant(workshop, code="US", user=UserFactory(username="us"))
    rapporteur = make_participant(workshop, role=Role.RAPPORTEUR)
    as_delegate = signed_in(delegate.user)
    as_rapporteur = signed_in(rapporteur.user)
    second_tab = Client()
    second_tab.cookies["sessionid"] = as_delegate.cookies["sessionid"].value
    assert len(production_cache.keys(SESSION_KEYS)) == 2

    redis_server.pause()

    page = url("session_detail", session)
    assert within(2, as_delegate.get, page).status_code == 200
    assert within(2, as_delegate.get, url("item_detail", session, 2)).status_code == 200
    health = within(2, Client().get, "/healthz")
    assert (health.status_code, health.json()["broker"]["ok"]) == (503, False)
    # Publishing waits for the broker's socket timeouts, then gives up:
    # recorded, sent later (before, it waited for ever).
    requested = within(5, as_rapporteur.post, url("summary_request", session))
    assert requested.status_code == 302
    assert SummaryReport.objects.get(session=session).queued_at is None
    assert within(2, as_delegate.post, reverse("logout")).status_code == 302

    redis_server.resume()
    time.sleep(1.1)  # past RETRY_SECONDS: the cache is asked again

    # The cache still held the signed-in session; it was dropped first.
    response = within(2, second_tab.get, page)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert production_cache.keys(SESSION_KEYS) == []
