"""The workshop page: its description, its participants by delegation and
role (the head of each delegation marked), its sessions' times."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from dialogue.models import Confidentiality, Role
from dialogue.selectors.workshops import workshop_roster
from tests.builders import build_dialogue, count_get_queries, make_participant
from tests.factories import UserFactory


def named(d):
    """Give the dialogue's delegates full names; the observer keeps none."""
    for code in ("CN", "US"):
        for i, participant in enumerate(d.delegates[code], start=1):
            participant.user.first_name = f"{code}name{i}"
            participant.user.last_name = "Zq"
            participant.user.save()
    return d


def page_of(client, participant):
    client.force_login(participant.user)
    response = client.get(reverse("workshop_detail", args=[participant.workshop.slug]))
    assert response.status_code == 200
    return response


def roster_view(response):
    """The roster as plain data: [(heading, [(role count, [(name, head)])])]."""
    return [
        (
            group.delegation.code if group.delegation else None,
            group.head.name if group.head else None,
            [
                (label, [(p.name, p.is_head) for p in people])
                for label, people in group.by_role
            ],
        )
        for group in response.context["roster"]
    ]


EXPECTED = [
    (
        "CN",
        "CNname1 Zq",
        [
            (
                "3 delegates",
                [("CNname1 Zq", True), ("CNname2 Zq", False), ("CNname3 Zq", False)],
            )
        ],
    ),
    (
        "US",
        "USname1 Zq",
        [
            (
                "3 delegates",
                [("USname1 Zq", True), ("USname2 Zq", False), ("USname3 Zq", False)],
            )
        ],
    ),
    (None, None, [("1 observer", [("{slug}-observer", False)])]),
]


def expected(workshop):
    return [
        (
            code,
            head,
            [
                (label, [(n.format(slug=workshop.slug), h) for n, h in people])
                for label, people in groups
            ],
        )
        for code, head, groups in EXPECTED
    ]


@pytest.mark.parametrize("side", ["CN", "US"])
def test_each_side_sees_the_same_roster_by_delegation_and_role(client, workshop, side):
    d = named(build_dialogue(workshop))

    response = page_of(client, d.delegates[side][2])

    assert roster_view(response) == expected(workshop)
    page = response.content.decode()
    assert page.count('class="badge head"') == 2
    assert "Head of delegation: CNname1 Zq" in page
    assert "Head of delegation: USname1 Zq" in page


def test_the_observer_sees_the_roster_too(client, workshop):
    d = named(build_dialogue(workshop))

    response = page_of(client, d.observer)

    assert roster_view(response) == expected(workshop)


@pytest.mark.parametrize("mode", Confidentiality.values)
def test_every_mode_names_the_participants_inside_the_workshop(client, workshop, mode):
    # As the discussion does: the modes govern what leaves the room (the
    # summary), not who is in it (summary/attribution.py).
    workshop.confidentiality = mode
    workshop.save()
    d = named(build_dialogue(workshop))

    page = page_of(client, d.delegates["CN"][1]).content.decode()

    assert "USname3 Zq" in page
    assert "CNname2 Zq" in page


def test_a_roster_without_names_reads_none(workshop, django_assert_num_queries):
    d = named(build_dialogue(workshop))

    with django_assert_num_queries(2):
        roster = workshop_roster(workshop=d.workshop, names=False)

    names = {p.name for g in roster for _label, people in g.by_role for p in people}
    assert names == {""}
    assert [g.head.is_head for g in roster if g.head] == [True, True]


def test_conveners_are_listed_by_role_outside_the_delegations(client, workshop):
    d = build_dialogue(workshop)
    for role, username in (
        (Role.ORGANISER, "org-a"),
        (Role.FACILITATOR, "fac-a"),
        (Role.RAPPORTEUR, "rap-a"),
    ):
        make_participant(workshop, role=role, user=UserFactory(username=username))

    response = page_of(client, d.delegates["US"][0])

    assert roster_view(response)[-1] == (
        None,
        None,
        [
            ("1 organiser", [("org-a", False)]),
            ("1 facilitator", [("fac-a", False)]),
            ("1 observer", [(f"{workshop.slug}-observer", False)]),
            ("1 rapporteur", [("rap-a", False)]),
        ],
    )


def test_a_delegation_without_members_says_so(client, workshop):
    observer = make_participant(workshop, role=Role.OBSERVER)

    page = page_of(client, observer).content.decode()

    assert page.count("Nobody yet.") == 2


def test_the_roster_costs_the_same_queries_at_7_and_37_participants(client, workshop):
    d = build_dialogue(workshop)
    viewer = d.delegates["CN"][0]
    client.force_login(viewer.user)
    url = reverse("workshop_detail", args=[workshop.slug])
    count_get_queries(client, url)  # warm the session
    few = count_get_queries(client, url)
    for i in range(30):
        make_participant(workshop, code="US" if i % 2 else "CN")

    many = count_get_queries(client, url)

    assert many == few


def test_the_description_is_shown_as_text(client, workshop):
    workshop.description = "Meet in Geneva.\n\n<script>alert(1)</script>"
    workshop.save()
    viewer = make_participant(workshop, code="CN")

    page = page_of(client, viewer).content.decode()

    assert "<p>Meet in Geneva.</p>" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page


def test_sessions_show_start_and_end_with_their_zone(client, workshop):
    d = build_dialogue(workshop)
    session = d.sessions[1]
    session.starts_at = timezone.make_aware(dt.datetime(2026, 12, 2, 9, 0), dt.UTC)
    session.ends_at = session.starts_at + dt.timedelta(hours=2, minutes=30)
    session.save()

    page = page_of(client, d.delegates["US"][1]).content.decode()

    assert (
        '<time datetime="2026-12-02T09:00:00+00:00">Dec. 2, 2026, 9 a.m. UTC</time>'
        ' – <time datetime="2026-12-02T11:30:00+00:00">Dec. 2, 2026, 11:30 a.m. UTC'
        "</time>"
    ) in page


def test_the_roster_in_chinese(client, workshop):
    d = named(build_dialogue(workshop))
    make_participant(workshop, role=Role.ORGANISER, user=UserFactory(username="org-z"))
    client.force_login(d.delegates["CN"][0].user)
    client.cookies["django_language"] = "zh-hans"

    response = client.get(reverse("workshop_detail", args=[workshop.slug]))

    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in page
    assert "<dt>1 名组织者</dt>" in page  # a role count already in the catalogue
    assert "USname1 Zq" in page


def test_strangers_get_404_and_anonymous_visitors_sign_in(client, workshop, stranger):
    url = reverse("workshop_detail", args=[workshop.slug])

    assert client.get(url).status_code == 302
    client.force_login(stranger)
    assert client.get(url).status_code == 404


def test_only_staff_organisers_see_the_invitation_sheet_link(client, workshop):
    d = build_dialogue(workshop)
    sheet = reverse("invitation_sheet", args=[workshop.slug])

    delegate_page = page_of(client, d.delegates["CN"][0]).content.decode()
    organiser = make_participant(
        workshop, role=Role.ORGANISER, user=UserFactory(is_staff=True)
    )
    organiser.user.user_permissions.add(
        *Permission.objects.filter(codename="change_participant")
    )
    organiser_page = page_of(client, organiser).content.decode()

    assert sheet not in delegate_page
    assert sheet in organiser_page
