from django.contrib.auth import views as auth_views
from django.urls import path

from dialogue.urls_measures import urlpatterns as measure_urls
from dialogue.urls_rankings import urlpatterns as ranking_urls
from dialogue.urls_summaries import urlpatterns as summary_urls
from dialogue.views import accounts, comments, pages

SESSION = "w/<slug:slug>/sessions/<int:number>/"
ITEM = SESSION + "items/<int:item_number>/"
COMMENT = "w/<slug:slug>/comments/<int:comment_id>/"

urlpatterns = [
    path("", pages.home, name="home"),
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", accounts.password_set, name="password_set"),
    path("accounts/language/", accounts.language_set, name="language_set"),
    path("invite/<str:token>/", accounts.invitation_accept, name="invitation_accept"),
    path("w/<slug:slug>/", pages.workshop_detail, name="workshop_detail"),
    path(SESSION, pages.session_detail, name="session_detail"),
    path(SESSION + "live/", pages.session_live, name="session_live"),
    path(SESSION + "phase/", pages.session_phase, name="session_phase"),
    path(SESSION + "focus/", pages.session_focus, name="session_focus"),
    path(ITEM, comments.item_detail, name="item_detail"),
    path(ITEM + "discussion/", comments.item_discussion, name="item_discussion"),
    path(ITEM + "comments/", comments.comment_create, name="comment_create"),
    path(COMMENT + "edit/", comments.comment_edit, name="comment_edit"),
    path(COMMENT + "endorse/", comments.comment_endorse, name="comment_endorse"),
    path(COMMENT + "withdraw/", comments.comment_withdraw, name="comment_withdraw"),
    path(COMMENT + "hide/", comments.comment_hide, name="comment_hide"),
    path(COMMENT + "unhide/", comments.comment_unhide, name="comment_unhide"),
]

urlpatterns += ranking_urls + measure_urls + summary_urls
