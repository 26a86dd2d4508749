"""Configuration from the environment: loud failures, safe production defaults."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from tests.settings import broker_of_this_process
from workshop.env import (
    env_bool,
    env_int,
    env_list,
    parse_cache_url,
    parse_database_url,
    redact_url,
)

REPO = Path(__file__).resolve().parent.parent
PROD_KEY = "k3Jx9-QvZ2pL7mN4rT8wY1bC6dF0gH5jK2lP9sU4vX7zA3eR6tY8uI1oP4aS7dF0g"


def run_manage(*args, env=None, timeout=120):
    base = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env={**base, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_settings_refuse_to_start_without_secret_key_when_debug_is_off(tmp_path):
    result = run_manage(
        "check", env={"DEBUG": "0", "DATABASE_URL": f"sqlite:///{tmp_path}/a.db"}
    )

    assert result.returncode == 1
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_settings_refuse_a_bad_boolean(tmp_path):
    result = run_manage("check", env={"DEBUG": "maybe"})

    assert result.returncode == 1
    assert "DEBUG='maybe' is not a boolean" in result.stderr


def test_check_deploy_reports_nothing_with_production_settings(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "DEBUG",
        env={
            "DEBUG": "0",
            "SECRET_KEY": PROD_KEY,
            "ALLOWED_HOSTS": "dialogue.example.org",
            "DATABASE_URL": f"sqlite:///{tmp_path}/a.db",
        },
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout == "System check identified no issues (0 silenced).\n"


def test_env_bool_accepts_the_usual_spellings(monkeypatch):
    monkeypatch.setenv("FLAG", "Yes")

    assert env_bool("FLAG", False) is True
    assert env_bool("UNSET_FLAG_FOR_TEST", True) is True


def test_env_int_refuses_words_and_small_numbers(monkeypatch):
    monkeypatch.setenv("SIZE", "ten")
    with pytest.raises(ImproperlyConfigured, match="SIZE='ten' is not an integer"):
        env_int("SIZE", 1)

    monkeypatch.setenv("SIZE", "5")
    with pytest.raises(ImproperlyConfigured, match="SIZE='5' must be at least 60"):
        env_int("SIZE", 100, minimum=60)


def test_env_list_splits_on_commas(monkeypatch):
    monkeypatch.setenv("HOSTS", " a.example, b.example ,,")

    assert env_list("HOSTS", []) == ["a.example", "b.example"]


def test_database_url_sqlite_relative_and_absolute():
    relative = parse_database_url("sqlite:///db.sqlite3", base_dir=Path("/srv/app"))
    absolute = parse_database_url("sqlite:////var/data/x.db", base_dir=Path("/srv"))

    assert relative["NAME"] == "/srv/app/db.sqlite3"
    assert absolute["NAME"] == "/var/data/x.db"
    assert absolute["ENGINE"] == "django.db.backends.sqlite3"


def test_database_url_postgres_uses_psycopg_pool():
    config = parse_database_url(
        "postgres://dia:s%40cret@db.internal:6543/dialogue?pool_max=4&sslmode=require",
        base_dir=REPO,
    )

    assert config == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "dialogue",
        "USER": "dia",
        "PASSWORD": "s@cret",
        "HOST": "db.internal",
        "PORT": "6543",
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {
            "pool": {
                "min_size": 1,
                "max_size": 4,
                "timeout": 1.5,
                "reconnect_timeout": 5.0,
            },
            "connect_timeout": 2,
            "sslmode": "require",
        },
    }


def test_database_url_sets_how_long_connecting_may_take():
    """Both bounds keep a request short while the database is away."""
    config = parse_database_url(
        "postgres://db.internal/dialogue?connect_timeout=3&pool_timeout=0.5",
        base_dir=REPO,
    )

    assert config["OPTIONS"]["connect_timeout"] == 3
    assert config["OPTIONS"]["pool"]["timeout"] == 0.5


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://x/y", "scheme 'mysql' is not supported"),
        ("postgres://host:5432/", "names no database"),
        ("postgres://host:99999/db", "has an invalid port"),
        ("postgres://host/db?pool_max=lots", "pool_max must be an integer"),
        ("postgres://host/db?pool_max=0", "pool_max must be at least 1"),
        ("postgres://host/db?connect_timeout=1.5", "connect_timeout must be an int"),
        ("postgres://host/db?pool_timeout=soon", "pool_timeout must be a number"),
        ("postgres://host/db?pool_timeout=0", "pool_timeout must be at least 0.1"),
        ("postgres://host/db?pool_timeout=nan", "pool_timeout must be at least 0.1"),
        ("sqlite://", "names no file"),
    ],
)
def test_database_url_refuses_bad_urls(url, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        parse_database_url(url, base_dir=REPO)


def test_cache_url_redis_is_outage_tolerant_with_short_timeouts():
    assert parse_cache_url("redis://cache:6379/1") == {
        "BACKEND": "workshop.cache.OutageTolerantRedisCache",
        "LOCATION": "redis://cache:6379/1",
        "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
    }
    assert parse_cache_url(None) == {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache"
    }


def test_cache_url_refuses_other_schemes():
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL='memcached://x'"):
        parse_cache_url("memcached://x")


def test_language_cookie_is_secure_lax_and_http_only_in_production(tmp_path):
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; print(s.LANGUAGE_COOKIE_SECURE, "
        "s.LANGUAGE_COOKIE_SAMESITE, s.LANGUAGE_COOKIE_HTTPONLY)",
        env={
            "DEBUG": "0",
            "SECRET_KEY": PROD_KEY,
            "DATABASE_URL": f"sqlite:///{tmp_path}/a.db",
        },
    )

    assert result.stdout == "True Lax True\n", result.stderr


def test_redact_url_hides_the_password():
    assert redact_url("redis://:hunter2@cache:6379/0") == "redis://:***@cache:6379/0"
    assert redact_url("redis://127.0.0.1:6379/0") == "redis://127.0.0.1:6379/0"


def test_celery_runs_in_process_without_a_broker(tmp_path):
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; "
        "print(settings.CELERY_TASK_ALWAYS_EAGER, settings.CELERY_BROKER_URL)",
        env={"DEBUG": "1"},
    )

    assert result.stdout == "True memory://\n", result.stderr


def test_celery_uses_the_broker_when_configured():
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from workshop.celery import app; "
        "print(app.conf.task_always_eager, app.conf.broker_url, "
        "app.conf.task_acks_late)",
        env={"DEBUG": "1", "CELERY_BROKER_URL": "redis://127.0.0.1:6379/9"},
    )

    assert result.stdout == "False redis://127.0.0.1:6379/9 True\n", result.stderr


def test_each_process_of_a_parallel_run_has_a_broker_of_its_own():
    urls = [
        broker_of_this_process("redis://127.0.0.1:6379/1", "gw0"),
        broker_of_this_process("redis://127.0.0.1:6379/1", "gw1"),
        broker_of_this_process("redis://:pw@127.0.0.1:6379/10?x=1", "gw3"),
        broker_of_this_process("redis://127.0.0.1:6379", "gw2"),
        broker_of_this_process("redis://127.0.0.1:6379/1", "master"),
        broker_of_this_process("memory://", "gw1"),
    ]

    assert urls == [
        "redis://127.0.0.1:6379/1",
        "redis://127.0.0.1:6379/2",
        "redis://:pw@127.0.0.1:6379/13?x=1",
        "redis://127.0.0.1:6379/2",
        "redis://127.0.0.1:6379/1",
        "memory://",
    ]
