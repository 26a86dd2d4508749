"""Read configuration from the environment, failing loudly on a bad value.

Each helper takes the variable's name and a default; a value that is present
but cannot be understood raises ImproperlyConfigured naming the variable, so a
typo in a deployment never turns silently into a default.
"""

import os
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
# How long the database pool keeps retrying one failed connection before it
# gives up on that series (see parse_database_url).
POOL_RECONNECT_SECONDS = 5.0


def env_str(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean; use one of 1/0, true/false, yes/no, on/off."
    )


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} must be at least {minimum}.")
    return value


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value not in choices:
        raise ImproperlyConfigured(
            f"{name}={raw!r} must be one of {', '.join(choices)}."
        )
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [part.strip() for part in raw.split(",") if part.strip()]


def parse_database_url(url: str, *, base_dir) -> dict:
    """Turn a DATABASE_URL into a Django DATABASES entry.

    Supported: ``sqlite:///relative/or/absolute.sqlite3`` (``sqlite:////abs``
    for an absolute path) and ``postgres://`` / ``postgresql://``. PostgreSQL
    goes through psycopg 3 with Django's connection pool; ``?pool_max=N``
    sets the pool size, ``?connect_timeout=S`` (default 2) how long one
    connection attempt may take, ``?pool_timeout=S`` (default 1.5) how long
    a request waits for a connection, and ``?sslmode=...`` is passed through.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    if scheme == "sqlite":
        path = unquote(parts.path)
        if path in ("", "/"):
            raise ImproperlyConfigured(
                f"DATABASE_URL={url!r} names no file; use sqlite:///db.sqlite3."
            )
        # sqlite:///name -> path "/name" (relative to the project);
        # sqlite:////abs/name -> path "//abs/name" (absolute).
        name = path[1:]
        if not name.startswith("/"):
            name = str(base_dir / name)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": name,
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    if scheme in ("postgres", "postgresql"):
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ImproperlyConfigured(
                f"DATABASE_URL={url!r} names no database; add /dbname to the URL."
            )
        try:
            port = parts.port
        except ValueError:
            raise ImproperlyConfigured(
                f"DATABASE_URL={url!r} has an invalid port."
            ) from None
        pool_max = _query_number(url, query, "pool_max", int, 10, minimum=1)
        # Fail fast when the server is away: a connection attempt gives up
        # after connect_timeout seconds (libpq advises no less than 2),
        # and a request waits at most pool_timeout seconds for a connection,
        # then answers 503 (workshop.middleware). While the server stays
        # away, the pool gives up each series of reconnection attempts after
        # a few seconds, so the next request starts a fresh one: without
        # that its back-off doubles up to minutes, and so does the time the
        # site takes to notice the server is back.
        connect_timeout = _query_number(
            url, query, "connect_timeout", int, 2, minimum=1
        )
        pool_timeout = _query_number(
            url, query, "pool_timeout", float, 1.5, minimum=0.1
        )
        options: dict = {
            "pool": {
                "min_size": 1,
                "max_size": pool_max,
                "timeout": pool_timeout,
                "reconnect_timeout": POOL_RECONNECT_SECONDS,
            },
            "connect_timeout": connect_timeout,
        }
        if "sslmode" in query:
            options["sslmode"] = query["sslmode"]
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(port or ""),
            # The pool checks a connection before handing it out, so one
            # broken by a database restart is replaced, not given to a view.
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    raise ImproperlyConfigured(
        f"DATABASE_URL scheme {scheme!r} is not supported; "
        "use sqlite:///file.sqlite3 or postgres://user@host:5432/dbname."
    )


def _query_number(url: str, query: dict, name: str, kind, default, *, minimum):
    raw = query.get(name)
    if raw is None:
        return default
    noun = "an integer" if kind is int else "a number"
    try:
        value = kind(raw)
    except ValueError:
        raise ImproperlyConfigured(
            f"DATABASE_URL={url!r}: {name} must be {noun}."
        ) from None
    if not value >= minimum:  # also refuses nan
        raise ImproperlyConfigured(
            f"DATABASE_URL={url!r}: {name} must be at least {minimum}."
        )
    return value


def parse_cache_url(url: str | None) -> dict:
    """Turn a CACHE_URL into a Django CACHES entry.

    Unset: a per-process memory cache. ``redis://`` / ``rediss://``: Redis
    through ``workshop.cache.OutageTolerantRedisCache``, which treats an
    unreachable Redis as an empty cache. Each command waits at most
    ``socket_timeout`` seconds (``socket_connect_timeout`` to connect);
    both may be given in the URL's query, e.g. ``?socket_timeout=1``.
    """
    if not url:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if url.startswith(("redis://", "rediss://")):
        return {
            "BACKEND": "workshop.cache.OutageTolerantRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
    raise ImproperlyConfigured(
        f"CACHE_URL={url!r} is not supported; use redis://host:6379/2 or leave it unset."
    )


def redact_url(url: str) -> str:
    """The URL with any password replaced, safe to show in /healthz."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()
