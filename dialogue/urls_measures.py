"""Reciprocal measures: the package board under its session, the rest under
the workshop's measures."""

from django.urls import path

from dialogue.views import measures as views

urlpatterns: list = [
    path(
        "w/<slug:slug>/sessions/<int:number>/measures/",
        views.measure_board,
        name="measure_board",
    ),
    path("w/<slug:slug>/measures/new/", views.measure_create, name="measure_create"),
    path(
        "w/<slug:slug>/measures/<int:pk>/", views.measure_detail, name="measure_detail"
    ),
    path(
        "w/<slug:slug>/measures/<int:pk>/edit/", views.measure_edit, name="measure_edit"
    ),
    path(
        "w/<slug:slug>/measures/<int:pk>/counter/",
        views.measure_counter,
        name="measure_counter",
    ),
    path(
        "w/<slug:slug>/measures/<int:pk>/answer/",
        views.measure_answer,
        name="measure_answer",
    ),
    path(
        "w/<slug:slug>/measures/<int:pk>/endorse/",
        views.measure_endorse,
        name="measure_endorse",
    ),
    path(
        "w/<slug:slug>/measures/<int:pk>/withdraw/",
        views.measure_withdraw,
        name="measure_withdraw",
    ),
    path(
        "w/<slug:slug>/measures/<int:pk>/propose/",
        views.measure_propose,
        name="measure_propose",
    ),
    path(
        "w/<slug:slug>/measures/<int:pk>/delete/",
        views.measure_delete,
        name="measure_delete",
    ),
    path(
        "w/<slug:slug>/measures/sessions/<int:number>/counts/",
        views.measure_session_counts,
        name="measure_session_counts",
    ),
    path(
        "w/<slug:slug>/measures/items/<int:number>/<int:item_number>/",
        views.measure_item_list,
        name="measure_item_list",
    ),
]
