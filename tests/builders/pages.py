"""Pages through Django's test client: a session's URLs, signing in, reading
a page, counting its queries."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse


def session_url(name, session, *extra):
    """The URL `name` of `session` (workshop slug, session number, `extra`)."""
    return reverse(name, args=[session.workshop.slug, session.number, *extra])


def login(client, participant):
    """Sign the test client in as `participant`."""
    client.force_login(participant.user)
    return participant


def page_text(response) -> str:
    return response.content.decode()


def count_get_queries(client, path, **headers) -> int:
    """Queries of one GET of `path` (which must answer 200)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, headers=headers)
    assert response.status_code == 200
    return len(queries)
