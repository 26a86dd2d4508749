"""GET /healthz: database and broker status as JSON, for load balancers.

It answers within about two seconds whatever is down: the database check
waits at most DATABASE_SECONDS for a pooled connection (whatever the pool's
own timeout is), the broker check makes one attempt bounded by
BROKER_SECONDS.
"""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from workshop.celery import app as celery_app

DATABASE_SECONDS = 1.0
BROKER_SECONDS = 0.75


def _database_status() -> dict:
    try:
        pool = getattr(connection, "pool", None)  # PostgreSQL with a pool only
        if pool is not None:
            pool.open()  # as Django does before its first connection
            with pool.connection(timeout=DATABASE_SECONDS) as conn:
                conn.execute("SELECT 1").fetchone()
        else:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
    except Exception as exc:  # any failure here means "not healthy"
        return {"ok": False, "vendor": connection.vendor, "error": type(exc).__name__}
    return {"ok": True, "vendor": connection.vendor}


def _broker_status() -> dict:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        # No broker configured: jobs run in-process, nothing to reach.
        return {"ok": True, "mode": "in-process"}
    url = settings.CELERY_BROKER_URL
    bounded = {
        "socket_connect_timeout": BROKER_SECONDS,
        "socket_timeout": BROKER_SECONDS,
    }
    try:
        with celery_app.connection_for_write(
            url, connect_timeout=BROKER_SECONDS, transport_options=bounded
        ) as conn:
            conn.ensure_connection(max_retries=0, timeout=BROKER_SECONDS)
    except Exception as exc:  # any failure here means "not healthy"
        return {"ok": False, "mode": "worker", "error": type(exc).__name__}
    return {"ok": True, "mode": "worker"}


@never_cache
@require_GET
def healthz(request):
    database = _database_status()
    broker = _broker_status()
    healthy = database["ok"] and broker["ok"]
    return JsonResponse(
        {
            "status": "ok" if healthy else "error",
            "database": database,
            "broker": broker,
        },
        status=200 if healthy else 503,
    )
