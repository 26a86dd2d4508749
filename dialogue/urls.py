"""Every route of the app: accounts, then one include() per area, each under
its workshop (`w/<slug>/`) or session (`w/<slug>/sessions/<number>/`) prefix.
URL names are global (no namespaces), so templates say {% url 'item_detail' %}.
"""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from dialogue.views import (
    accounts,
    comments,
    links,
    measure_board,
    measures,
    packages,
    pages,
    rankings,
    reports,
    responses,
    summaries,
    workshop_reports,
)

WORKSHOP = "w/<slug:slug>/"
SESSION = WORKSHOP + "sessions/<int:number>/"

account_urls = [
    path("login/", accounts.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", accounts.password_set, name="password_set"),
    path("language/", accounts.language_set, name="language_set"),
    path("time-zone/", accounts.time_zone_set, name="time_zone_set"),
]

session_urls = [
    path("", pages.session_detail, name="session_detail"),
    path("live/", pages.session_live, name="session_live"),
    path("phase/", pages.session_phase, name="session_phase"),
    path("focus/", pages.session_focus, name="session_focus"),
]

item_urls = [
    path("", comments.item_detail, name="item_detail"),
    path("discussion/", comments.discussion_fragment, name="item_discussion"),
    path("comments/", comments.comment_create, name="comment_create"),
]

comment_urls = [
    path("edit/", comments.comment_edit, name="comment_edit"),
    path("reply/", comments.comment_reply, name="comment_reply"),
    path("endorse/", comments.comment_endorse, name="comment_endorse"),
    path("withdraw/", comments.comment_withdraw, name="comment_withdraw"),
    path("hide/", comments.comment_hide, name="comment_hide"),
    path("unhide/", comments.comment_unhide, name="comment_unhide"),
]

ranking_urls = [
    path("", rankings.ranking_page, name="ranking_page"),
    path("submit/", rankings.ranking_submit, name="ranking_submit"),
    path("close/", rankings.ranking_close, name="ranking_close"),
    path("open/", rankings.ranking_open, name="ranking_open"),
    path("turnout/", rankings.ranking_turnout, name="ranking_turnout"),
    path(
        "rounds/<int:round_number>/", rankings.ranking_results, name="ranking_results"
    ),
]

link_urls = [
    path("", links.link_page, name="links_page"),
    path("suggest/", links.link_suggest, name="link_suggest"),
    path("<int:pk>/confirm/", links.link_confirm, name="link_confirm"),
    path("<int:pk>/reject/", links.link_reject, name="link_reject"),
]

summary_urls = [
    path("", summaries.summary_list, name="summary_list"),
    path("request/", summaries.summary_request, name="summary_request"),
    path("v<int:version>/status/", summaries.summary_status, name="summary_status"),
    path("v<int:version>/retry/", summaries.summary_retry, name="summary_retry"),
    path("v<int:version>/preview/", summaries.summary_preview, name="summary_preview"),
    path(
        "v<int:version>/<str:fmt>/",
        summaries.summary_download,
        name="summary_download",
    ),
]

workshop_report_urls = [
    path("", workshop_reports.workshop_report_list, name="workshop_report_list"),
    path(
        "request/",
        workshop_reports.workshop_report_request,
        name="workshop_report_request",
    ),
    path(
        "v<int:version>/status/",
        workshop_reports.workshop_report_status,
        name="workshop_report_status",
    ),
    path(
        "v<int:version>/retry/",
        workshop_reports.workshop_report_retry,
        name="workshop_report_retry",
    ),
    path(
        "v<int:version>/preview/",
        workshop_reports.workshop_report_preview,
        name="workshop_report_preview",
    ),
    path(
        "v<int:version>/<str:fmt>/",
        workshop_reports.workshop_report_download,
        name="workshop_report_download",
    ),
]

measure_urls = [
    path("new/", measures.measure_create, name="measure_create"),
    path("<int:pk>/", measures.measure_detail, name="measure_detail"),
    path("<int:pk>/edit/", measures.measure_edit, name="measure_edit"),
    path("<int:pk>/counter/", measures.measure_counter, name="measure_counter"),
    path("<int:pk>/answer/", measures.measure_answer, name="measure_answer"),
    path("<int:pk>/endorse/", measures.measure_endorse, name="measure_endorse"),
    path("<int:pk>/withdraw/", measures.measure_withdraw, name="measure_withdraw"),
    path("<int:pk>/propose/", measures.measure_propose, name="measure_propose"),
    path("<int:pk>/delete/", measures.measure_delete, name="measure_delete"),
    path(
        "sessions/<int:number>/counts/",
        measure_board.measure_session_counts,
        name="measure_session_counts",
    ),
    path(
        "items/<int:number>/<int:item_number>/",
        measure_board.measure_item_list,
        name="measure_item_list",
    ),
]

response_urls = [
    path("", responses.responses_overview, name="responses"),
    path("open/", responses.response_round_open, name="response_round_open"),
    path("reveal/", responses.response_reveal, name="response_reveal"),
    path(
        "<int:number>/<int:item_number>/", responses.response_item, name="response_item"
    ),
    path(
        "<int:number>/<int:item_number>/save/",
        responses.response_save,
        name="response_save",
    ),
    path(
        "<int:number>/<int:item_number>/adopt/",
        responses.response_adopt,
        name="response_adopt",
    ),
    path(
        "<int:number>/<int:item_number>/reply/",
        responses.response_reply,
        name="response_reply",
    ),
]

report_urls = [
    path("", reports.reports_index, name="reports_index"),
    path("<str:part>/", reports.report_draft, name="report_draft"),
    path("<str:part>/save/", reports.report_save, name="report_save"),
    path("<str:part>/send/", reports.report_send, name="report_send"),
    path("<str:part>/review/", reports.report_review, name="report_review"),
    path(
        "<str:part>/corrections/",
        reports.report_correction_file,
        name="report_correction_file",
    ),
    path(
        "<str:part>/corrections/<int:pk>/resolve/",
        reports.report_correction_resolve,
        name="report_correction_resolve",
    ),
    path("<str:part>/sign-off/", reports.report_sign_off, name="report_sign_off"),
    path("<str:part>/release/", reports.report_release, name="report_release"),
]

package_urls = [
    path("new/", packages.package_create, name="package_create"),
    path("<int:pk>/", packages.package_detail, name="package_detail"),
    path("<int:pk>/endorse/", packages.package_endorse, name="package_endorse"),
    path(
        "<int:pk>/unendorse/",
        packages.package_withdraw_endorsement,
        name="package_withdraw_endorsement",
    ),
    path("<int:pk>/withdraw/", packages.package_withdraw, name="package_withdraw"),
    path("<int:pk>/add/", packages.package_add_member, name="package_add_member"),
    path(
        "<int:pk>/remove/", packages.package_remove_member, name="package_remove_member"
    ),
]

urlpatterns = [
    path("", pages.home, name="home"),
    path("accounts/", include(account_urls)),
    path("invite/<str:token>/", accounts.invitation_accept, name="invitation_accept"),
    path(WORKSHOP, pages.workshop_detail, name="workshop_detail"),
    path(
        WORKSHOP + "invitations/",
        accounts.invitation_sheet,
        name="invitation_sheet",
    ),
    path(WORKSHOP + "comments/<int:comment_id>/", include(comment_urls)),
    path(WORKSHOP + "measures/", include(measure_urls)),
    path(WORKSHOP + "responses/", include(response_urls)),
    path(WORKSHOP + "links/", include(link_urls)),
    path(WORKSHOP + "reports/", include(report_urls)),
    path(WORKSHOP + "summaries/", include(workshop_report_urls)),
    path(WORKSHOP + "packages/", include(package_urls)),
    path(SESSION, include(session_urls)),
    path(SESSION + "items/<int:item_number>/", include(item_urls)),
    path(SESSION + "ranking/", include(ranking_urls)),
    path(SESSION + "summaries/", include(summary_urls)),
    path(SESSION + "measures/", measure_board.measure_board, name="measure_board"),
]
