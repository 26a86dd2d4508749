"""Test settings: the project's one settings module, with test-only defaults.

The environment still decides the database and broker (CI points them at the
real PostgreSQL and Redis); only values a test run must not depend on are
defaulted here.
"""

import os
from urllib.parse import urlsplit, urlunsplit

os.environ.setdefault("DEBUG", "1")
# Without a broker, a summary compiles inside the request, in the test's own
# transaction (tests/test_summary_thread.py runs the background thread).
os.environ.setdefault("SUMMARY_IN_PROCESS", "inline")
os.environ.setdefault(
    "SECRET_KEY", "test-only-secret-key-not-used-anywhere-else-0123456789"
)


def broker_of_this_process(url: str, worker: str) -> str:
    """The Redis broker of one pytest-xdist process (``worker`` is gw0, gw1...).

    Tests purge the broker and start Celery workers that take any job on it,
    so two test processes sharing one would take each other's jobs (and
    write them to the wrong test database). Each gets a Redis database of its
    own: the one in the URL plus its index, gw0 keeping the URL's own.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("redis", "rediss") or not worker.startswith("gw"):
        return url
    base = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{base + int(worker[2:])}"))


if os.environ.get("CELERY_BROKER_URL") and os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ["CELERY_BROKER_URL"] = broker_of_this_process(
        os.environ["CELERY_BROKER_URL"], os.environ["PYTEST_XDIST_WORKER"]
    )

from workshop.settings import *  # noqa: E402,F403

# Fast hashing: the suite creates many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
