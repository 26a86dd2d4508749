from django.contrib.auth import views as auth_views
from django.urls import path

from dialogue import views

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
