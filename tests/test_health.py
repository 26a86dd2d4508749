import time

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.faults import free_port


@override_settings(CELERY_TASK_ALWAYS_EAGER=True, CELERY_BROKER_URL="memory://")
def test_healthz_reports_database_and_in_process_jobs(client, db):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["database"]["ok"] is True
    assert response.json()["broker"] == {"ok": True, "mode": "in-process"}
    assert "no-cache" in response["Cache-Control"]


@override_settings(
    CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL="redis://:pw@127.0.0.1:1/0"
)
def test_healthz_reports_an_unreachable_broker_as_503(client, db):
    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json()["status"] == "error"
    assert response.json()["broker"]["ok"] is False
    assert response.json()["broker"] == {
        "ok": False,
        "mode": "worker",
        "error": "OperationalError",
    }


@pytest.mark.redis
def test_healthz_reports_a_reachable_redis_broker(client, db, broker_url):
    with override_settings(
        CELERY_TASK_ALWAYS_EAGER=False, CELERY_BROKER_URL=broker_url
    ):
        response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json()["broker"] == {"ok": True, "mode": "worker"}


def test_healthz_refuses_post(client, db):
    assert client.post(reverse("healthz")).status_code == 405


def test_healthz_answers_any_host_header(client, db):
    """Container health checks call it by address, not by the site's name."""
    response = client.get("/healthz", HTTP_HOST="10.1.2.3:8000")

    assert response.status_code == 200
    assert client.get("/", HTTP_HOST="10.1.2.3:8000").status_code == 400


def test_healthz_answers_within_a_second_when_the_broker_refuses(client, db):
    """One attempt, no retry after a pause: a load balancer's check is short."""
    with override_settings(
        CELERY_TASK_ALWAYS_EAGER=False,
        CELERY_BROKER_URL=f"redis://127.0.0.1:{free_port()}/0",
    ):
        start = time.monotonic()
        response = client.get(reverse("healthz"))
        elapsed = time.monotonic() - start

    assert response.status_code == 503
    assert response.json()["broker"]["ok"] is False
    assert elapsed < 1, f"{elapsed:.2f} s"
