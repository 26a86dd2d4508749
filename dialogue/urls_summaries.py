from django.urls import path

from dialogue.views import summaries as views

PREFIX = "w/<slug:slug>/sessions/<int:number>/summaries/"

urlpatterns = [
    path(PREFIX, views.summary_list, name="summary_list"),
    path(f"{PREFIX}request/", views.summary_request, name="summary_request"),
    path(
        f"{PREFIX}v<int:version>/status/", views.summary_status, name="summary_status"
    ),
    path(f"{PREFIX}v<int:version>/retry/", views.summary_retry, name="summary_retry"),
    path(
        f"{PREFIX}v<int:version>/preview/",
        views.summary_preview,
        name="summary_preview",
    ),
    path(
        f"{PREFIX}v<int:version>/<str:fmt>/",
        views.summary_download,
        name="summary_download",
    ),
]
