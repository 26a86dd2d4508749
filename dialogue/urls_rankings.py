from django.urls import path

from dialogue.views import rankings as views

PREFIX = "w/<slug:slug>/sessions/<int:number>/ranking/"

urlpatterns: list = [
    path(PREFIX, views.ranking_page, name="ranking_page"),
    path(f"{PREFIX}submit/", views.ranking_submit, name="ranking_submit"),
    path(f"{PREFIX}close/", views.ranking_close, name="ranking_close"),
    path(f"{PREFIX}open/", views.ranking_open, name="ranking_open"),
    path(f"{PREFIX}turnout/", views.ranking_turnout, name="ranking_turnout"),
    path(
        f"{PREFIX}rounds/<int:round_number>/",
        views.ranking_results,
        name="ranking_results",
    ),
]
