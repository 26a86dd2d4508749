from django.contrib.auth import views as auth_views
from django.urls import path

from dialogue.urls_measures import urlpatterns as measure_urls
from dialogue.urls_rankings import urlpatterns as ranking_urls
from dialogue.urls_summaries import urlpatterns as summary_urls
from dialogue.views import pages as views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("w/<slug:slug>/", views.workshop_detail, name="workshop_detail"),
    path(
        "w/<slug:slug>/sessions/<int:number>/",
        views.session_detail,
        name="session_detail",
    ),
]

urlpatterns += ranking_urls + measure_urls + summary_urls
