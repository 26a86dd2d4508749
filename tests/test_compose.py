"""docker-compose.yml cannot be run here (no Docker engine); this checks that
it describes the topology that test_topology.py runs as plain processes."""

import runpy
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent


def compose() -> dict:
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())


def test_compose_has_the_five_services_with_health_checks():
    services = compose()["services"]

    assert sorted(services) == ["beat", "db", "redis", "web", "worker"]
    # beat answers nothing; its container ends with its process.
    assert all("healthcheck" in services[name] for name in services if name != "beat")
    assert services["web"]["healthcheck"]["test"][-1] == "http://127.0.0.1:8000/healthz"


def test_compose_web_and_worker_share_the_generated_files_volume():
    config = compose()

    web, worker = config["services"]["web"], config["services"]["worker"]

    assert web["volumes"] == worker["volumes"] == ["generated:/data/media"]
    assert web["environment"]["MEDIA_ROOT"] == "/data/media"
    assert "generated" in config["volumes"]


def test_compose_runs_gunicorn_and_celery_from_the_dockerfile():
    services = compose()["services"]
    dockerfile = (REPO / "Dockerfile").read_text()

    worker = services["worker"]["command"]

    assert worker[:4] == ["celery", "-A", "workshop", "worker"]
    assert (
        'CMD ["gunicorn", "workshop.wsgi", "--config", "gunicorn.conf.py"]'
        in dockerfile
    )
    assert services["web"]["command"] == [
        "gunicorn",
        "workshop.wsgi",
        "--config",
        "gunicorn.conf.py",
    ]
    assert services["web"]["environment"]["DEBUG"] == "0"
    assert services["web"]["depends_on"] == {
        "db": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
    }


def test_compose_redis_keeps_queued_tasks_across_a_restart():
    """Without persistence a Redis restart would lose every queued task."""
    config = compose()
    redis = config["services"]["redis"]

    command = redis["command"]

    assert command[command.index("--appendonly") + 1] == "yes"
    assert redis["volumes"] == ["redisdata:/data"]
    assert "redisdata" in config["volumes"]
    # The broker and the cache share it, in databases of their own.
    environment = config["services"]["web"]["environment"]
    assert environment["CELERY_BROKER_URL"] == "redis://redis:6379/0"
    assert environment["CACHE_URL"] == "redis://redis:6379/1"


def test_compose_runs_one_celery_beat_with_the_app_settings():
    services = compose()["services"]

    beat = services["beat"]

    assert beat["command"][:4] == ["celery", "-A", "workshop", "beat"]
    assert beat["environment"] == services["worker"]["environment"]
    assert beat["depends_on"] == services["worker"]["depends_on"]
    assert "deploy" not in beat and "scale" not in beat  # one, never more


def gunicorn_settings() -> dict:
    """What gunicorn.conf.py sets, read as gunicorn reads it (a Python file)."""
    names = ("worker_class", "workers", "threads", "keepalive", "bind")
    settings = runpy.run_path(str(REPO / "gunicorn.conf.py"))
    return {name: settings[name] for name in names}


def test_gunicorn_runs_threaded_workers_with_keep_alive(monkeypatch):
    """The choice measured by benchmarks/pages.py (README, "Performance"):
    sync workers close every connection and idle while a page waits on the
    database."""
    for name in ("WEB_WORKERS", "WEB_THREADS", "WEB_BIND"):
        monkeypatch.delenv(name, raising=False)

    assert gunicorn_settings() == {
        "worker_class": "gthread",
        "workers": 2,
        "threads": 4,
        "keepalive": 5,
        "bind": "0.0.0.0:8000",
    }


def test_gunicorn_counts_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("WEB_WORKERS", "3")
    monkeypatch.setenv("WEB_THREADS", "8")

    settings = gunicorn_settings()

    assert (settings["workers"], settings["threads"]) == (3, 8)
