from django.conf import settings


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
