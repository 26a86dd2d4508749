"""The Redis cache backend when Redis cannot be reached: every read a miss,
every write skipped, one warning, and no new attempt for RETRY_SECONDS.

No redis-server is needed: the "Redis" here is a loopback port that accepts
and closes each connection at once (and counts them), or nothing at all.
tests/test_faults_redis.py kills and freezes a real one.
"""

import socket
import threading
import time

import pytest
from django.core.cache import caches
from django.test import override_settings

from tests.faults import free_port
from workshop.cache import OutageTolerantClient
from workshop.env import parse_cache_url


class SlammingDoor:
    """Accepts each connection and closes it at once, counting them."""

    def __init__(self):
        self.accepted = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                connection, _ = self._listener.accept()
            except OSError:
                return
            self.accepted += 1
            connection.close()

    def close(self):
        self._listener.close()


@pytest.fixture
def door():
    door = SlammingDoor()
    yield door
    door.close()


@pytest.fixture
def down_cache():
    """The production cache settings on a port where nothing listens."""
    with override_settings(
        CACHES={"default": parse_cache_url(f"redis://127.0.0.1:{free_port()}/1")}
    ):
        yield caches["default"]


def test_reads_miss_and_writes_are_skipped(down_cache):
    assert down_cache.get("a") is None
    assert down_cache.get("a", "fallback") == "fallback"
    assert down_cache.get_many(["a", "b"]) == {}
    assert down_cache.has_key("a") is False
    assert ("a" in down_cache) is False
    assert down_cache.add("a", 1) is False
    assert down_cache.set("a", 1) is None
    assert down_cache.set_many({"a": 1, "b": 2}) == []
    assert down_cache.touch("a") is False
    assert down_cache.delete("a") is False
    assert down_cache.delete_many(["a", "b"]) is None
    assert down_cache.get_or_set("a", lambda: "computed") == "computed"
    assert down_cache.clear() is False


def test_incr_and_decr_behave_as_for_a_missing_key(down_cache):
    """The sign-in throttle catches exactly this ValueError."""
    with pytest.raises(ValueError, match="not found"):
        down_cache.incr("signin:user:x")
    with pytest.raises(ValueError, match="not found"):
        down_cache.decr("signin:user:x")


def test_one_warning_and_no_new_attempt_until_retry_seconds(door, caplog, monkeypatch):
    monkeypatch.setattr(OutageTolerantClient, "RETRY_SECONDS", 0.3)
    location = f"redis://127.0.0.1:{door.port}/1"

    with override_settings(CACHES={"default": parse_cache_url(location)}):
        cache = caches["default"]
        for _ in range(20):
            cache.get("a")
        attempts_at_once = door.accepted
        time.sleep(0.35)
        cache.get("a")

    warnings = [r for r in caplog.records if r.name == "workshop.cache"]
    assert attempts_at_once == 1
    assert door.accepted == 2
    assert len(warnings) == 1
    assert (
        warnings[0]
        .getMessage()
        .startswith(f"Redis cache at {location} cannot be reached (ConnectionError: ")
    )


def test_a_refused_connection_costs_next_to_nothing(down_cache):
    start = time.monotonic()
    for _ in range(100):
        down_cache.get("session")
        down_cache.set("session", {"a": 1})

    assert time.monotonic() - start < 0.5


def test_the_password_is_not_logged(caplog):
    location = f"redis://:hunter2@127.0.0.1:{free_port()}/1"

    with override_settings(CACHES={"default": parse_cache_url(location)}):
        caches["default"].get("a")

    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "hunter2" not in logged
    assert ":***@127.0.0.1" in logged


def test_cache_url_query_overrides_the_timeouts():
    location = f"redis://127.0.0.1:{free_port()}/1?socket_timeout=2"

    with override_settings(CACHES={"default": parse_cache_url(location)}):
        client = caches["default"]._cache
        options = client._get_connection_pool(write=True).connection_kwargs

    assert (options["socket_timeout"], options["socket_connect_timeout"]) == (2, 0.25)
