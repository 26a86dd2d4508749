from django.contrib import admin
from django.urls import include, path

from dialogue.views import health as views_health

urlpatterns = [
    path("healthz", views_health.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("dialogue.urls")),
]
