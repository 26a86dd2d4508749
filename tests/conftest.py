"""Shared fixtures, and the rule for tests that need real services.

The functions that build test data live in tests/builders/.

Tests marked `postgres`, `redis`, `celery_worker` or `browser` need a part the
project does not fake. Where the part is missing they are skipped on a bare
machine (so `make test` passes anywhere), but with REQUIRE_REAL_SERVICES=1 (as
.ci/run sets) a missing part fails the test instead of skipping it.
"""

import io
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.utils import translation

from dialogue.models import Participant, Phase, Role, SummaryStatus, Workshop
from dialogue.services import summaries as service
from dialogue.services.accounts import organisers_group
from dialogue.services.sessions import session_set_phase
from tests.builders import (
    Dialogue,
    admin_organiser,
    build_dialogue,
    make_participant,
    make_ranking_session,
)
from tests.factories import DelegationFactory, UserFactory, WorkshopFactory

SEED_SLUG = "what-should-the-other-side-do"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _redis_reachable() -> str | None:
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis://"):
        return "CELERY_BROKER_URL is not a redis:// URL"
    parts = urlsplit(url)
    try:
        socket.create_connection((parts.hostname, parts.port or 6379), 2).close()
    except OSError as exc:
        return f"Redis at {parts.hostname}:{parts.port} is unreachable: {exc}"
    return None


def _missing(marker: str) -> str | None:
    """Why the part a marker needs is missing, or None when it is there."""
    if marker == "postgres":
        if connection.vendor != "postgresql":
            return "DATABASE_URL is not a PostgreSQL URL"
    elif marker in ("redis", "celery_worker"):
        return _redis_reachable()
    elif marker == "browser":
        if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
            return f"Chromium is not installed at {CHROMIUM}"
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            return "Playwright for Python is not installed"
    return None


def pytest_runtest_setup(item):
    for marker in ("postgres", "redis", "celery_worker", "browser"):
        if item.get_closest_marker(marker) is None:
            continue
        reason = _missing(marker)
        if reason is None:
            continue
        if os.environ.get("REQUIRE_REAL_SERVICES") == "1":
            pytest.fail(f"needs {marker}, and REQUIRE_REAL_SERVICES=1: {reason}")
        pytest.skip(f"needs {marker}: {reason}")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The cache holds sessions and the sign-in throttle: no test inherits them."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """A request activates its language for the thread (LocaleMiddleware does
    not switch back): no test inherits the language of the one before."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def seeded(db) -> Workshop:
    """The shipped workshop, loaded the way `make run` loads it."""
    call_command("seed_workshop", verbosity=0, stdout=io.StringIO())
    return Workshop.objects.get(slug=SEED_SLUG)


@pytest.fixture
def workshop(db) -> Workshop:
    workshop = WorkshopFactory()
    DelegationFactory(workshop=workshop, code="CN", name="Chinese scholars")
    DelegationFactory(workshop=workshop, code="US", name="American scholars")
    return workshop


@pytest.fixture
def stranger(db):
    """A signed-up user who belongs to no workshop."""
    return UserFactory(username="stranger")


@pytest.fixture
def organiser(db):
    user = UserFactory(username="org", is_staff=True)
    user.groups.add(organisers_group())
    return user


@pytest.fixture
def other_workshop_member(db) -> Participant:
    """A delegate of another workshop: must see nothing of ours."""
    other = WorkshopFactory(slug="another-dialogue")
    DelegationFactory(workshop=other, code="CN")
    DelegationFactory(workshop=other, code="US")
    return make_participant(other, code="CN")


@pytest.fixture
def broker_url() -> str:
    return os.environ["CELERY_BROKER_URL"]


@pytest.fixture
def pg_url() -> str:
    """A DATABASE_URL for the test database, for processes the test starts."""
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture(scope="session")
def production_static(tmp_path_factory) -> Path:
    """A STATIC_ROOT collected as a deploy collects it (DEBUG off: hashed names,
    a manifest, compressed copies), for processes that serve the app as
    production does. Collected once: compressing every file takes seconds, and
    the processes only read it."""
    root = tmp_path_factory.mktemp("static")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=REPO,
        env={
            "PATH": f"{BIN}:{os.environ['PATH']}",
            "HOME": os.environ.get("HOME", "/tmp"),
            "DEBUG": "0",
            "SECRET_KEY": "static-test-key-8c2e4a6f1b3d5e7a9c0b2d4f6e8a1c3b5d7f9e0a",
            "STATIC_ROOT": str(root),
        },
        check=True,
        timeout=300,
        stdout=subprocess.DEVNULL,
    )
    return root


CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (the browser is not downloaded)."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own
    # ORM calls are still synchronous, so Django's async guard is relaxed.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_FLAGS
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser):
    """Open a fresh browser context (own cookies) per user, closed afterwards."""
    contexts = []

    def open_page(locale: str = "en-GB"):
        context = browser.new_context(
            locale=locale, viewport={"width": 1200, "height": 900}
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def audit_page(browser):
    """A page whose context lets axe-core in past the CSP."""
    context = browser.new_context(bypass_csp=True, locale="en-GB")
    yield context.new_page()
    context.close()


@pytest.fixture
def audited(browser):
    """Pages that let axe-core in past the CSP, one context per call."""
    contexts = []

    def open_page(**options):
        context = browser.new_context(
            bypass_csp=True,
            locale="en-GB",
            viewport={"width": 1200, "height": 900},
            **options,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


# --- sessions and comments ---------------------------------------------------
#
# `session` is the plain session most modules mean; a module about another
# session (the shipped workshop's, a closed one) defines its own `session`,
# which then takes the place of this one for that module's tests.


@pytest.fixture
def session(workshop):
    """A draft session of `workshop` with four items."""
    return make_ranking_session(workshop, items=4)


@pytest.fixture
def open_session(session):
    """`session`, open for ranking."""
    session_set_phase(session=session, phase=Phase.RANKING, by=admin_organiser())
    return session


@pytest.fixture
def discussion(seeded):
    """Session 2 of the shipped workshop, open for comments."""
    session = seeded.sessions.get(number=2)
    session_set_phase(session=session, phase=Phase.OPEN, by=admin_organiser())
    return session


@pytest.fixture
def item(discussion):
    """Item 2.3 of the shipped workshop, open for comments."""
    return discussion.items.get(number=3)


@pytest.fixture
def cn(seeded):
    """A CN delegate of the shipped workshop."""
    return make_participant(seeded, code="CN", user=UserFactory(username="cn1"))


@pytest.fixture
def us(seeded):
    """A US delegate of the shipped workshop."""
    return make_participant(seeded, code="US", user=UserFactory(username="us1"))


# --- measures ----------------------------------------------------------------


@pytest.fixture
def d(workshop) -> Dialogue:
    return build_dialogue(workshop)


# --- summaries ---------------------------------------------------------------
#
# The summary modules compile from a closed session of two items: each of them
# defines that `session` itself, and these fixtures use it.


@pytest.fixture
def in_process(settings, tmp_path):
    """Jobs run in-process (as `make run` does), files under a temporary root."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings


@pytest.fixture
def rapporteur(workshop):
    """The user of a rapporteur of `workshop`."""
    return make_participant(workshop, role=Role.RAPPORTEUR).user


@pytest.fixture
def done(in_process, session, django_capture_on_commit_callbacks):
    """Version 1 of `session`'s summary, compiled."""
    with django_capture_on_commit_callbacks(execute=True):
        report = service.summary_request(session=session, by=admin_organiser())
    report.refresh_from_db()
    assert report.status == SummaryStatus.DONE
    return report


# --- real Celery workers -----------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def worker_env(pg_url, broker_url, media):
    assert not settings.CELERY_TASK_ALWAYS_EAGER  # the test publishes for real
    return {
        "PATH": f"{BIN}:{os.environ['PATH']}",
        "HOME": os.environ.get("HOME", "/tmp"),
        "DEBUG": "1",
        "SECRET_KEY": "summary-worker-test-key",
        "DATABASE_URL": pg_url,
        "CELERY_BROKER_URL": broker_url,
        "MEDIA_ROOT": str(media),
        # The shortest the settings allow: a message whose worker died is
        # handed out again after this many seconds.
        "CELERY_VISIBILITY_TIMEOUT": "60",
    }


@pytest.fixture
def workers(transactional_db, worker_env, broker_url, tmp_path):
    """start(name, **extra_env) -> Popen; every worker is stopped afterwards."""
    from workshop.celery import app

    with app.connection_for_write(broker_url) as connection:
        app.control.purge(connection=connection)  # no stale jobs from other runs
    started = []

    def start(name, **extra):
        log = open(tmp_path / f"{name}.log", "wb")  # noqa: SIM115
        process = subprocess.Popen(
            [
                str(BIN / "celery"),
                "-A",
                "workshop",
                "worker",
                "--pool",
                "solo",
                "--hostname",
                f"{name}-{os.getpid()}@localhost",
                "--loglevel",
                "INFO",
            ],
            cwd=REPO,
            env={**worker_env, **extra},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.terminate()
    for process in started:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
