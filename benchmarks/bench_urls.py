"""The site's URLs plus one trivial view that needs a signed-in user: the
yardstick `benchmarks/pages.py` measures every page against. Served only by
the benchmark's own settings (`benchmarks/bench_settings.py`)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_GET


@require_GET
@login_required
def trivial(request):
    """The cheapest signed-in answer: the session and the user are read (as
    for every page), nothing else."""
    return HttpResponse(f"ok {request.user.pk}", content_type="text/plain")


urlpatterns = [
    path("bench/trivial/", trivial, name="bench_trivial"),
    path("", include("workshop.urls")),
]
