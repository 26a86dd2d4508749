"""Test settings: the project's one settings module, with test-only defaults.

The environment still decides the database and broker (CI points them at the
real PostgreSQL and Redis); only values a test run must not depend on are
defaulted here.
"""

import os

os.environ.setdefault("DEBUG", "1")
# Without a broker, a summary compiles inside the request, in the test's own
# transaction (tests/test_summary_thread.py runs the background thread).
os.environ.setdefault("SUMMARY_IN_PROCESS", "inline")
os.environ.setdefault(
    "SECRET_KEY", "test-only-secret-key-not-used-anywhere-else-0123456789"
)

from workshop.settings import *  # noqa: E402,F403

# Fast hashing: the suite creates many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
