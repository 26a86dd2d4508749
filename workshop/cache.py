"""The Redis cache, for which an outage of Redis is an empty cache.

The cache holds sessions (``cached_db``: the database keeps every session, the
cache only spares a query) and the sign-in throttle. Neither is worth a failed
page, so while Redis cannot be reached every read is a miss and every write is
skipped: sessions are read from the database, the throttle counts nothing.
Each command waits at most the socket timeouts of CACHE_URL (see
``workshop.env.parse_cache_url``), and after a failure this process leaves
Redis alone for ``RETRY_SECONDS``, so a dead or frozen Redis costs a request
at most one timeout. A warning is logged at most once per ``WARN_SECONDS``.

A write that was skipped would leave Redis holding an older value of that key
once it is back (a session that has since signed out, say). So the keys of
skipped writes and deletes are remembered, and deleted before anything else is
read or written when Redis answers again.
"""

import logging
import threading
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from workshop.env import redact_url

logger = logging.getLogger(__name__)

# Refused, reset, timed out, still loading its data after a restart
# (BusyLoadingError is a ConnectionError), or out of connections.
UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


class _Outage:
    """What this process knows about one Redis server, shared by its threads."""

    def __init__(self, location: str):
        self.location = redact_url(location)
        self.lock = threading.RLock()
        self.retry_at = 0.0
        self.warned_at: float | None = None
        self.stale: set[str] = set()
        self.stale_overflow = False

    def skipping(self) -> bool:
        return time.monotonic() < self.retry_at

    def remember(self, keys) -> None:
        """Keys whose write was skipped: Redis may hold an older value."""
        if not keys:
            return
        with self.lock:
            room = OutageTolerantClient.MAX_STALE_KEYS - len(self.stale)
            keys = list(keys)
            self.stale.update(keys[:room])
            if len(keys) > room:
                self.stale_overflow = True

    def failed(self, exc: Exception, keys) -> None:
        now = time.monotonic()
        with self.lock:
            self.retry_at = now + OutageTolerantClient.RETRY_SECONDS
            warn = (
                self.warned_at is None
                or now - self.warned_at >= OutageTolerantClient.WARN_SECONDS
            )
            if warn:
                self.warned_at = now
        self.remember(keys)
        if warn:
            logger.warning(
                "Redis cache at %s cannot be reached (%s: %s); working without "
                "it, sessions are read from the database",
                self.location,
                type(exc).__name__,
                exc,
            )


_outages: dict[str, _Outage] = {}
_outages_lock = threading.Lock()


def _outage_for(location: str) -> _Outage:
    with _outages_lock:
        return _outages.setdefault(location, _Outage(location))


class OutageTolerantClient(RedisCacheClient):
    """Django's Redis client, with every command guarded (keys are final)."""

    RETRY_SECONDS = 5.0
    WARN_SECONDS = 60.0
    MAX_STALE_KEYS = 10_000

    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        self._outage = _outage_for(",".join(servers))

    def _run(self, command, *args, miss, stale=()):
        """``command(*args)``, or ``miss`` if Redis cannot be reached."""
        outage = self._outage
        if outage.skipping():
            outage.remember(stale)
            return miss() if callable(miss) else miss
        try:
            if outage.stale or outage.stale_overflow:
                self._forget_stale()
            return command(*args)
        except UNREACHABLE as exc:
            outage.failed(exc, stale)
            return miss() if callable(miss) else miss

    def _forget_stale(self) -> None:
        outage = self._outage
        with outage.lock:
            keys = sorted(outage.stale)
            if keys:
                super().delete_many(keys)
            if outage.stale_overflow:
                logger.error(
                    "Redis cache at %s is back; more than %d writes were skipped "
                    "while it was away, so some entries may be stale until they "
                    "expire",
                    outage.location,
                    self.MAX_STALE_KEYS,
                )
            else:
                logger.info(
                    "Redis cache at %s is back; %d entries written while it was "
                    "away were dropped",
                    outage.location,
                    len(keys),
                )
            outage.stale.clear()
            outage.stale_overflow = False

    # Reads: a miss.

    def get(self, key, default):
        return self._run(super().get, key, default, miss=default)

    def get_many(self, keys):
        return self._run(super().get_many, keys, miss=dict)

    def has_key(self, key):
        return self._run(super().has_key, key, miss=False)

    def incr(self, key, delta):
        # As for a key that is not there (the contract of cache.incr).
        def missing():
            raise ValueError(f"Key '{key}' not found.")

        return self._run(super().incr, key, delta, miss=missing)

    # Writes: skipped; the key is remembered where Redis may now hold an
    # older value than the one the app meant to leave there.

    def add(self, key, value, timeout):
        return self._run(super().add, key, value, timeout, miss=False)

    def set(self, key, value, timeout):
        self._run(super().set, key, value, timeout, miss=None, stale=[key])

    def set_many(self, data, timeout):
        self._run(super().set_many, data, timeout, miss=None, stale=list(data))

    def touch(self, key, timeout):
        return self._run(super().touch, key, timeout, miss=False)

    def delete(self, key):
        return self._run(super().delete, key, miss=False, stale=[key])

    def delete_many(self, keys):
        self._run(super().delete_many, keys, miss=None, stale=list(keys))

    def clear(self):
        return self._run(super().clear, miss=False)


class OutageTolerantRedisCache(RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` over the guarded client."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = OutageTolerantClient
