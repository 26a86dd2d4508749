import logging

import psycopg_pool
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

from dialogue import times

logger = logging.getLogger(__name__)


class ContentSecurityPolicyMiddleware:
    """Send the Content-Security-Policy from settings on every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


class HealthCheckMiddleware:
    """Answer GET /healthz before host validation and the HTTPS redirect.

    Load balancers and container health checks call it by the container's own
    address (127.0.0.1, a pod IP), which is not one of ALLOWED_HOSTS, over
    plain HTTP inside the network.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/healthz":
            from dialogue.views.health import healthz

            return healthz(request)
        return self.get_response(request)


# The database cannot be reached, the pool had no connection for its whole
# timeout, or SQLite is locked: worth trying again in a moment.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError, psycopg_pool.PoolTimeout)


class DatabaseUnavailableMiddleware:
    """Answer 503 with Retry-After when a view cannot reach the database.

    Instead of the 500 page, the person reads that the site will be back in a
    moment (503.html, or its message alone for htmx), and a load balancer
    sees a temporary failure. The page is rendered without the request, so it
    needs neither the session nor the user (both live in the database).
    Connecting fails fast (see workshop.env.parse_database_url) and the pool
    reconnects by itself once the database is back: no restart is needed.
    """

    RETRY_AFTER_SECONDS = 5

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DATABASE_UNAVAILABLE):
            return None
        logger.warning(
            "database unavailable for %s %s (%s: %s); answered 503",
            request.method,
            request.path,
            type(exception).__name__,
            (str(exception).strip().splitlines() or [""])[0],
        )
        fragment = getattr(request, "htmx", False)
        response = HttpResponse(
            render_to_string("503.html#message" if fragment else "503.html"),
            status=503,
        )
        response["Retry-After"] = str(self.RETRY_AFTER_SECONDS)
        add_never_cache_headers(response)
        return response


class TimeZoneMiddleware:
    """Activate the time zone a person chose (their cookie, set from their
    profile at sign-in), else the site's; a workshop's pages then switch to
    the workshop's zone when the person chose none. The rule is
    dialogue.times."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        times.activate_for_request(request)
        try:
            return self.get_response(request)
        finally:
            times.request_finished()
