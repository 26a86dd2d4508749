from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dialogue import selectors


class LoginView(auth_views.LoginView):
    template_name = "login.html"
    redirect_authenticated_user = True


@require_GET
@login_required
def home(request):
    participations = selectors.participations_for_user(user=request.user)
    return render(request, "home.html", {"participations": participations})


@require_GET
@login_required
def workshop_detail(request, slug):
    participant = selectors.participation_get(user=request.user, slug=slug)
    workshop = participant.workshop
    context = {
        "workshop": workshop,
        "participant": participant,
        "delegations": workshop.delegations.all(),
        "sessions": selectors.workshop_sessions(workshop=workshop),
    }
    return render(request, "workshop_detail.html", context)


@require_GET
@login_required
def session_detail(request, slug, number):
    participant = selectors.participation_get(user=request.user, slug=slug)
    session = selectors.session_get(workshop=participant.workshop, number=number)
    context = {
        "workshop": participant.workshop,
        "participant": participant,
        "session": session,
        "items": selectors.session_items(session=session),
    }
    return render(request, "session_detail.html", context)
