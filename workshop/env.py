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
    sets the pool size and ``?sslmode=...`` is passed through.
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
        try:
            pool_max = int(query.get("pool_max", "10"))
        except ValueError:
            raise ImproperlyConfigured(
                f"DATABASE_URL={url!r}: pool_max must be an integer."
            ) from None
        options: dict = {"pool": {"min_size": 1, "max_size": pool_max, "timeout": 10}}
        if "sslmode" in query:
            options["sslmode"] = query["sslmode"]
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(port or ""),
            "OPTIONS": options,
        }
    raise ImproperlyConfigured(
        f"DATABASE_URL scheme {scheme!r} is not supported; "
        "use sqlite:///file.sqlite3 or postgres://user@host:5432/dbname."
    )


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
