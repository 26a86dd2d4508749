"""The sign-in forms: Django's, with the throttle in front of the password
check (the site's sign-in page and the admin's)."""

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from dialogue.services import accounts


def client_address(request) -> str:
    """The client's address for the throttle.

    REMOTE_ADDR, unless TRUSTED_PROXY_COUNT proxies stand in front of the app:
    then the address the outermost trusted proxy saw, which a client cannot
    forge (it can only prepend entries to X-Forwarded-For).
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        hops = [
            h.strip() for h in request.headers.get("X-Forwarded-For", "").split(",")
        ]
        hops = [h for h in hops if h]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")


class ThrottleMixin:
    """Refuse sign-in attempts over the limit before checking the password."""

    def clean(self):
        username = self.data.get("username") or ""
        address = client_address(self.request)
        if not accounts.signin_attempt(username=username, address=address):
            raise ValidationError(
                gettext_lazy(
                    "Too many failed sign-ins. Wait %(minutes)d minutes, then try again."
                ),
                code="throttled",
                params={"minutes": max(1, settings.LOGIN_FAILURE_WINDOW // 60)},
            )
        cleaned = super().clean()
        accounts.signin_succeeded(username=username, address=address)
        return cleaned


class ThrottledAuthenticationForm(ThrottleMixin, AuthenticationForm):
    pass


class ThrottledAdminAuthenticationForm(ThrottleMixin, AdminAuthenticationForm):
    pass
