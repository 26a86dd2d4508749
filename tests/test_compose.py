"""docker-compose.yml cannot be run here (no Docker engine); this checks that
it describes the topology that test_topology.py runs as plain processes."""

from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent


def test_compose_has_the_four_services_with_health_checks():
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())

    services = compose["services"]

    assert sorted(services) == ["db", "redis", "web", "worker"]
    assert all("healthcheck" in service for service in services.values())
    assert services["web"]["healthcheck"]["test"][-1] == "http://127.0.0.1:8000/healthz"


def test_compose_web_and_worker_share_the_generated_files_volume():
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())

    web, worker = compose["services"]["web"], compose["services"]["worker"]

    assert web["volumes"] == worker["volumes"] == ["generated:/data/media"]
    assert web["environment"]["MEDIA_ROOT"] == "/data/media"
    assert "generated" in compose["volumes"]


def test_compose_runs_gunicorn_and_celery_from_the_dockerfile():
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    dockerfile = (REPO / "Dockerfile").read_text()

    worker = compose["services"]["worker"]["command"]

    assert worker[:4] == ["celery", "-A", "workshop", "worker"]
    assert 'CMD ["gunicorn", "workshop.wsgi"' in dockerfile
    assert compose["services"]["web"]["environment"]["DEBUG"] == "0"
    assert compose["services"]["web"]["depends_on"] == {
        "db": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
    }
