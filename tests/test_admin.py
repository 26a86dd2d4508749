"""The organisers' admin: staff only, import/export, phase actions."""

import json

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dialogue.models import Phase, PhaseChange, Session, Workshop
from tests.builders import make_participant, page_text, small_file
from tests.factories import UserFactory

ADMIN_MODELS = [
    "workshop",
    "delegation",
    "participant",
    "session",
    "agendaitem",
    "agendapoint",
    "phasechange",
]


def test_admin_refuses_anonymous_visitors(client, db):
    response = client.get(reverse("admin:dialogue_workshop_changelist"))

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_admin_refuses_a_delegate_who_is_not_staff(client, seeded):
    delegate = make_participant(seeded, code="CN").user
    client.force_login(delegate)

    for url in (
        reverse("admin:index"),
        reverse("admin:dialogue_workshop_changelist"),
        reverse("admin:dialogue_workshop_import"),
        reverse("admin:dialogue_workshop_export", args=[seeded.pk]),
    ):
        response = client.get(url)

        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/"), url


def test_admin_refuses_staff_without_dialogue_permissions(client, seeded):
    client.force_login(UserFactory(username="clerk", is_staff=True))

    assert client.get(reverse("admin:dialogue_workshop_changelist")).status_code == 403
    assert client.get(reverse("admin:dialogue_workshop_import")).status_code == 403
    export = reverse("admin:dialogue_workshop_export", args=[seeded.pk])
    assert client.get(export).status_code == 403


@pytest.mark.parametrize(
    "url, action",
    [
        ("admin:dialogue_workshop_import", "import workshop files"),
        ("admin:dialogue_summaryreport_request", "request summaries"),
    ],
)
def test_a_refused_staff_user_is_told_which_permission_is_missing(
    client, seeded, url, action
):
    client.force_login(UserFactory(username="clerk", is_staff=True))
    response = client.get(reverse(url))
    text = page_text(response)
    assert response.status_code == 403
    assert f"does not have the permission to {action}" in text
    assert "Your role in this workshop" not in text


@pytest.mark.parametrize("model", ADMIN_MODELS)
def test_admin_changelist_and_change_pages_work_for_organisers(
    client, seeded, organiser, model
):
    make_participant(seeded, code="US", is_head=True)
    services_session = seeded.sessions.first()
    from dialogue.services.sessions import session_set_phase

    session_set_phase(session=services_session, phase=Phase.OPEN, by=organiser)
    client.force_login(organiser)

    changelist = client.get(reverse(f"admin:dialogue_{model}_changelist"))
    searched = client.get(reverse(f"admin:dialogue_{model}_changelist") + "?q=China")

    assert changelist.status_code == 200
    assert searched.status_code == 200
    first = changelist.context["cl"].result_list[0]
    change = client.get(reverse(f"admin:dialogue_{model}_change", args=[first.pk]))
    assert change.status_code == 200


def test_admin_session_page_shows_items_inline(client, seeded, organiser):
    client.force_login(organiser)
    session = seeded.sessions.get(number=2)

    response = client.get(reverse("admin:dialogue_session_change", args=[session.pk]))

    page = response.content.decode()
    assert "Address American concerns seriously" in page
    assert response.context["inline_admin_formsets"][0].formset.queryset.count() == 6


def test_admin_import_upload_creates_the_workshop(client, organiser):
    client.force_login(organiser)
    upload = SimpleUploadedFile(
        "small.json", json.dumps(small_file()).encode(), "application/json"
    )

    response = client.post(reverse("admin:dialogue_workshop_import"), {"file": upload})

    workshop = Workshop.objects.get(slug="small")
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "admin:dialogue_workshop_change", args=[workshop.pk]
    )
    assert workshop.sessions.get().items.get().points.count() == 2


def test_admin_import_bad_file_lists_the_problems_and_writes_nothing(client, organiser):
    client.force_login(organiser)
    data = small_file()
    data["sessions"][0]["items"][0]["proposed_by"] = "XX"
    upload = SimpleUploadedFile("bad.json", json.dumps(data).encode())

    response = client.post(reverse("admin:dialogue_workshop_import"), {"file": upload})

    assert response.status_code == 200
    assert response.context["file_errors"] == [
        (
            "sessions[0].items[0].proposed_by",
            "'XX' is not a delegation code of this workshop (CN, US)",
        )
    ]
    assert "Nothing was changed." in response.content.decode()
    assert Workshop.objects.count() == 0


def test_admin_import_without_a_file_shows_a_form_error(client, organiser):
    client.force_login(organiser)

    response = client.post(reverse("admin:dialogue_workshop_import"), {})

    assert response.status_code == 200
    assert response.context["form"].errors == {"file": ["This field is required."]}


def test_admin_export_downloads_the_workshop_file(client, seeded, organiser):
    client.force_login(organiser)

    response = client.get(reverse("admin:dialogue_workshop_export", args=[seeded.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="what-should-the-other-side-do.json"'
    )
    assert json.loads(response.content)["slug"] == seeded.slug


def test_admin_workshop_pages_link_import_and_export(client, seeded, organiser):
    client.force_login(organiser)

    changelist = client.get(reverse("admin:dialogue_workshop_changelist"))
    change = client.get(reverse("admin:dialogue_workshop_change", args=[seeded.pk]))

    assert reverse("admin:dialogue_workshop_import") in changelist.content.decode()
    export = reverse("admin:dialogue_workshop_export", args=[seeded.pk])
    assert export in change.content.decode()


@pytest.mark.parametrize(
    ("action", "phase"),
    [
        ("set_phase_open", Phase.OPEN),
        ("set_phase_ranking", Phase.RANKING),
        ("set_phase_closed", Phase.CLOSED),
    ],
)
def test_admin_bulk_phase_action_moves_sessions_and_records_who(
    client, seeded, organiser, action, phase
):
    client.force_login(organiser)
    sessions = list(seeded.sessions.values_list("pk", flat=True))

    response = client.post(
        reverse("admin:dialogue_session_changelist"),
        {"action": action, "_selected_action": sessions},
    )

    assert response.status_code == 302
    assert set(Session.objects.values_list("phase", flat=True)) == {phase}
    assert list(
        PhaseChange.objects.order_by("session__number").values_list(
            "from_phase", "to_phase", "changed_by__username"
        )
    ) == [("draft", phase, "org"), ("draft", phase, "org")]


def test_admin_phase_action_needs_change_permission(client, seeded):
    viewer = UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.add(
        Permission.objects.get(
            codename="view_session", content_type__app_label="dialogue"
        )
    )
    client.force_login(viewer)
    session = seeded.sessions.first()

    response = client.post(
        reverse("admin:dialogue_session_changelist"),
        {"action": "set_phase_open", "_selected_action": [session.pk]},
    )

    session.refresh_from_db()
    assert response.status_code == 200  # the admin ignores an unknown action
    assert session.phase == Phase.DRAFT
    assert PhaseChange.objects.count() == 0


def test_organiser_adds_a_participant_with_a_new_account_and_invites_them(
    client, seeded, organiser
):
    from django.contrib.auth import get_user_model

    client.force_login(organiser)
    us = seeded.delegations.get(code="US")

    response = client.post(
        reverse("admin:dialogue_participant_add"),
        {
            "workshop": seeded.pk,
            "role": "delegate",
            "delegation": us.pk,
            "new_username": "new-scholar",
            "new_first_name": "New",
            "new_email": "new@example.org",
        },
    )

    user = get_user_model().objects.get(username="new-scholar")
    participant = seeded.participants.get(user=user)
    assert response.status_code == 302
    assert (participant.role, participant.delegation) == ("delegate", us)
    assert user.has_usable_password() is False
    assert user.is_staff is False
    invite = client.post(
        reverse("admin:dialogue_participant_changelist"),
        {"action": "issue_invitations", "_selected_action": [participant.pk]},
    )
    assert "/invite/" in invite.content.decode()


def test_participant_add_form_page_loads_for_organisers(client, seeded, organiser):
    client.force_login(organiser)

    response = client.get(reverse("admin:dialogue_participant_add"))

    assert response.status_code == 200
    assert "new_username" in response.content.decode()


def test_participant_add_needs_one_account(client, seeded, organiser):
    client.force_login(organiser)

    response = client.post(
        reverse("admin:dialogue_participant_add"),
        {"workshop": seeded.pk, "role": "observer"},
    )

    assert response.status_code == 200
    assert "Choose an existing account or give a new username." in (
        response.content.decode()
    )
    assert seeded.participants.count() == 0
