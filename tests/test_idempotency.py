"""A create action sent twice creates one thing: the form carries a key, and
the same submission sent again (a retry, a second tab, a reload after a
dropped answer) answers as the first did and writes nothing new."""

import threading
import uuid

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from dialogue.models import Comment, Phase, ReciprocalMeasure, Role
from dialogue.services.comments import comment_post
from dialogue.services.sessions import session_set_phase
from tests.builders import (
    admin_organiser,
    build_dialogue,
    make_participant,
    make_ranking_session,
)
from tests.factories import ParticipantFactory


def post_twice_at_once(user, url, form) -> list[int]:
    """The same form posted by two clients released together (one database
    connection each); the two status codes."""
    barrier = threading.Barrier(2)
    statuses = []

    def send():
        client = Client()
        client.force_login(user)
        try:
            barrier.wait(timeout=10)
            statuses.append(client.post(url, form).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return statuses


@pytest.fixture
def open_item(seeded):
    session = seeded.sessions.get(number=1)
    session_set_phase(session=session, phase=Phase.OPEN, by=admin_organiser())
    return seeded, session.items.get(number=2)


def _delegate(workshop, code):
    return ParticipantFactory(
        workshop=workshop,
        role=Role.DELEGATE,
        delegation=workshop.delegations.get(code=code),
    )


def _comment_url(item):
    return reverse(
        "comment_create",
        args=[item.session.workshop.slug, item.session.number, item.number],
    )


@pytest.mark.parametrize("code", ["CN", "US"])
@pytest.mark.parametrize("htmx", [False, True])
def test_a_comment_posted_twice_is_stored_once(client, open_item, code, htmx):
    workshop, item = open_item
    delegate = _delegate(workshop, code)
    client.force_login(delegate.user)
    form = {"body": "Once only.", "submission": str(uuid.uuid4())}
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}

    first = client.post(_comment_url(item), form, **headers)
    second = client.post(_comment_url(item), form, **headers)

    assert Comment.objects.filter(author=delegate).count() == 1
    assert (first.status_code, second.status_code) == (
        (200, 200) if htmx else (302, 302)
    )
    if not htmx:
        assert first["Location"] == second["Location"]


def test_a_reply_posted_twice_is_stored_once(client, open_item):
    workshop, item = open_item
    author, replier = _delegate(workshop, "CN"), _delegate(workshop, "US")
    parent = comment_post(participant=author, item=item, body="A first remark.")
    client.force_login(replier.user)
    form = {"body": "A reply.", "parent": parent.pk, "submission": str(uuid.uuid4())}

    client.post(_comment_url(item), form)
    client.post(_comment_url(item), form)

    assert list(parent.replies.values_list("body", flat=True)) == ["A reply."]


def test_two_forms_post_two_comments(client, open_item):
    workshop, item = open_item
    delegate = _delegate(workshop, "US")
    client.force_login(delegate.user)

    for _ in range(2):
        client.post(
            _comment_url(item), {"body": "Same words.", "submission": str(uuid.uuid4())}
        )

    assert Comment.objects.filter(author=delegate).count() == 2


def test_the_form_carries_a_new_key_each_time(client, open_item):
    workshop, item = open_item
    client.force_login(_delegate(workshop, "CN").user)
    url = item.get_absolute_url()

    keys = [client.get(url).context["form"]["submission"].value() for _ in range(2)]

    assert keys[0] != keys[1]
    assert [uuid.UUID(str(key)).version for key in keys] == [4, 4]


@pytest.fixture
def fresh_pool():
    """A new PostgreSQL connection pool for a test whose threads each need a
    connection: earlier tests in this process (the browser tests' session-wide
    live server serves from threads) can leave the shared pool short. Closing
    it returns its connections; the next query opens a new pool."""
    for conn in connections.all(initialized_only=True):
        if conn.vendor == "postgresql":
            conn.close_pool()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_comment_sent_twice_at_once_is_stored_once(fresh_pool, seeded):
    session = seeded.sessions.get(number=1)
    session_set_phase(session=session, phase=Phase.OPEN, by=admin_organiser())
    item = session.items.get(number=2)
    delegate = _delegate(seeded, "CN")
    form = {"body": "Sent twice at once.", "submission": str(uuid.uuid4())}
    statuses = post_twice_at_once(delegate.user, _comment_url(item), form)

    assert statuses == [302, 302]
    assert Comment.objects.filter(author=delegate).count() == 1


def _measure_form(d, key):
    return {
        "title": "Hotlines at every level",
        "our_action": "Open a hotline.",
        "sequencing": "simultaneous",
        "reversibility": "reversible",
        "measure_type": "communication",
        "items": [d.items[(1, 1)].pk],
        "action": "propose",
        "submission": key,
    }


@pytest.mark.parametrize("code", ["CN", "US"])
def test_a_measure_proposed_twice_is_stored_once(client, d, code):
    delegate = d.delegates[code][1]
    client.force_login(delegate.user)
    url = reverse("measure_create", args=[d.workshop.slug])
    form = _measure_form(d, str(uuid.uuid4()))

    first = client.post(url, form)
    second = client.post(url, form)

    measure = ReciprocalMeasure.objects.get(proposer=delegate)
    assert (first.status_code, second.status_code) == (302, 302)
    assert (
        first["Location"]
        == second["Location"]
        == reverse("measure_detail", args=[d.workshop.slug, measure.pk])
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_measure_sent_twice_at_once_is_stored_once(workshop):
    d = build_dialogue(workshop)
    delegate = d.delegates["US"][1]
    form = _measure_form(d, str(uuid.uuid4()))
    url = reverse("measure_create", args=[d.workshop.slug])
    statuses = post_twice_at_once(delegate.user, url, form)

    assert statuses == [302, 302]
    assert ReciprocalMeasure.objects.filter(proposer=delegate).count() == 1


def test_a_summary_request_sent_twice_records_one_version(
    client, workshop, settings, tmp_path
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.MEDIA_ROOT = tmp_path / "media"
    session = make_ranking_session(workshop, items=2)
    rapporteur = make_participant(workshop, role=Role.RAPPORTEUR)
    client.force_login(rapporteur.user)
    url = reverse("summary_request", args=[workshop.slug, session.number])
    page = client.get(reverse("summary_list", args=[workshop.slug, session.number]))
    key = page.context["request_form"]["submission"].value()

    first = client.post(url, {"submission": key})
    second = client.post(url, {"submission": key})
    third = client.post(url, {"submission": str(uuid.uuid4())})

    assert [r.status_code for r in (first, second, third)] == [302, 302, 302]
    assert first["Location"] == second["Location"]
    assert list(
        session.summaries.order_by("version").values_list("version", flat=True)
    ) == [
        1,
        2,
    ]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_summary_request_sent_twice_at_once_records_one_version(
    workshop, settings, tmp_path
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.MEDIA_ROOT = tmp_path / "media"
    session = make_ranking_session(workshop, items=2)
    rapporteur = make_participant(workshop, role=Role.RAPPORTEUR)
    url = reverse("summary_request", args=[workshop.slug, session.number])
    form = {"submission": str(uuid.uuid4())}
    statuses = post_twice_at_once(rapporteur.user, url, form)

    assert statuses == [302, 302]
    assert session.summaries.count() == 1
