"""Signing in: passwords (throttled), personal invitation links, the
interface language and the time zone remembered per user."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language

from dialogue import permissions, times
from dialogue.forms.accounts import ThrottledAuthenticationForm
from dialogue.forms.preferences import TimeZoneForm
from dialogue.models import Participant, Workshop
from dialogue.services import accounts


def _remember_preferences(response, user):
    """The user's language and time zone, from their profile, in cookies."""
    time_zone = accounts.profile_time_zone(user=user)
    if time_zone:
        times.set_cookie(response, time_zone)
    language = accounts.profile_language(user=user)
    if language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


class LoginView(auth_views.LoginView):
    """Django's sign-in (which starts a new session), with the throttle."""

    template_name = "login.html"
    authentication_form = ThrottledAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        return _remember_preferences(super().form_valid(form), form.get_user())

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.has_error("__all__", "throttled"):
            response.status_code = 429
        return response


@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    """GET shows who the link is for; POST (a button) signs them in, once."""
    try:
        invitation = accounts.invitation_check(token=token)
    except accounts.InvitationError as exc:
        return render(
            request, "invitation_invalid.html", {"message": str(exc)}, status=exc.status
        )
    if request.method == "GET":
        return render(request, "invitation.html", {"invitation": invitation})
    try:
        invitation = accounts.invitation_accept(token=token)
    except accounts.InvitationError as exc:
        return render(
            request, "invitation_invalid.html", {"message": str(exc)}, status=410
        )
    user = invitation.participant.user
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    # Set after login() (which starts a new session): only this session may
    # choose a password without giving the old one.
    request.session["invited_to"] = invitation.participant.workshop.slug
    return _remember_preferences(redirect("password_set"), user)


@require_http_methods(["GET", "POST"])
@login_required
def password_set(request):
    """Choose a password: right after an invitation without the old one (there
    is none), otherwise as a change that needs the current password."""
    invited = "invited_to" in request.session and not request.user.has_usable_password()
    form_class = SetPasswordForm if invited else PasswordChangeForm
    form = form_class(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        update_session_auth_hash(request, form.user)
        messages.success(
            request,
            _("Your password is saved. Next time, sign in as %(name)s with it.")
            % {"name": form.user.get_username()},
        )
        slug = request.session.pop("invited_to", None)
        if slug:
            return redirect("workshop_detail", slug)
        return redirect("home")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "password_set.html", {"form": form, "invited": invited}, status=status
    )


@require_POST
def language_set(request):
    """Switch the interface language; remember it for a signed-in user."""
    language = request.POST.get("language", "")
    if language not in {code for code, _name in settings.LANGUAGES}:
        return HttpResponseBadRequest(_("Unknown language."))
    # Django's set_language refuses an off-site "next" by itself.
    if request.user.is_authenticated:
        accounts.profile_set_language(user=request.user, language=language)
    return set_language(request)


@require_http_methods(["GET", "POST"])
def time_zone_set(request):
    """Choose the zone times are shown in; remembered for a signed-in user
    (their profile, then a cookie at each sign-in) and on this browser."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    initial = {"time_zone": times.chosen_zone(request) or ""}
    form = TimeZoneForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        time_zone = form.cleaned_data["time_zone"]
        if request.user.is_authenticated:
            accounts.profile_set_time_zone(user=request.user, time_zone=time_zone)
        return times.set_cookie(redirect(next_url or "home"), time_zone or None)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "time_zone.html",
        {"form": form, "next": next_url, "chosen": initial["time_zone"]},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
def invitation_sheet(request, slug):
    """The organisers' printable sheet of a workshop's invitation links.

    GET says who would get a link; POST creates the links (earlier unused
    ones stop working) and shows them once, a card per person, ready to
    print or copy. Staff organisers only: anyone else gets 404.
    """
    if not permissions.staff_issues_invitations(request.user):
        raise Http404
    workshop = get_object_or_404(Workshop, slug=slug)
    if request.method == "GET":
        people = Participant.objects.filter(workshop=workshop).select_related(
            "user", "delegation"
        )
        eligible = [
            p for p in people if accounts.invitation_refusal(user=p.user) is None
        ]
        context = {"workshop": workshop, "eligible": eligible, "sheet": None}
        return render(request, "invitation_sheet.html", context)
    issued, refused = accounts.invitations_issue_for_workshop(
        workshop=workshop, by=request.user
    )
    sheet = [
        (
            participant,
            invitation.invitation,
            request.build_absolute_uri(
                reverse("invitation_accept", args=[invitation.token])
            ),
        )
        for participant, invitation in issued
    ]
    context = {"workshop": workshop, "sheet": sheet, "refused": refused}
    return render(request, "invitation_sheet.html", context)
