"""Pages through Django's test client: signing in, reading a page, counting
its queries."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


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
