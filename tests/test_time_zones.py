"""Times say their zone: the workshop's, or the one a person chose
(remembered like the language), the same from each side."""

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from dialogue import times
from dialogue.models import Comment, Phase, Profile
from dialogue.services.sessions import session_set_phase
from dialogue.summary.build import build_summary_document
from tests.builders import admin_organiser, count_get_queries, login, page_text

START = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)  # 09:00 in Beijing


@pytest.fixture
def shanghai(d):
    d.workshop.time_zone = "Asia/Shanghai"
    d.workshop.save()
    session = d.sessions[1]
    session.starts_at = START
    session.save()
    return d


def test_zone_label_is_an_offset_from_utc():
    at = dt.datetime(2026, 1, 15, 12, 0, tzinfo=dt.UTC)

    labels = [
        times.zone_label(at, zoneinfo.ZoneInfo(name))
        for name in ("UTC", "Asia/Shanghai", "America/New_York", "Asia/Kolkata")
    ]

    assert labels == ["UTC", "UTC+8", "UTC\u22125", "UTC+5:30"]


def test_only_iana_area_city_zones_are_offered():
    assert times.is_zone("Asia/Shanghai")
    assert times.is_zone("UTC")
    assert not times.is_zone("EST5EDT")
    assert not times.is_zone("Mars/Olympus")
    assert not times.is_zone("")


@pytest.mark.parametrize("code", ["CN", "US"])
def test_pages_show_times_in_the_workshops_zone(client, shanghai, code):
    login(client, shanghai.delegates[code][1])

    text = page_text(
        client.get(reverse("session_detail", args=[shanghai.workshop.slug, 1]))
    )
    workshop = page_text(
        client.get(reverse("workshop_detail", args=[shanghai.workshop.slug]))
    )

    assert '<time datetime="2026-03-02T09:00:00+08:00">' in text
    assert "UTC+8" in text
    assert (
        '<time datetime="2026-03-02T09:00:00+08:00">March 2, 2026, 9 a.m. UTC+8</time>'
        in (workshop)
    )
    assert "Times in UTC+8" in workshop


@pytest.mark.parametrize("code", ["CN", "US"])
def test_a_chosen_zone_is_remembered_and_shown(client, shanghai, code):
    delegate = login(client, shanghai.delegates[code][1])
    session_url = reverse("session_detail", args=[shanghai.workshop.slug, 1])

    response = client.post(
        reverse("time_zone_set"), {"time_zone": "America/New_York", "next": session_url}
    )
    text = page_text(client.get(session_url))

    assert response.status_code == 302
    assert response["Location"] == session_url
    assert client.cookies[times.COOKIE_NAME].value == "America/New_York"
    assert Profile.objects.get(user=delegate.user).time_zone == "America/New_York"
    assert '<time datetime="2026-03-01T20:00:00-05:00">' in text
    assert "Times in UTC\u22125" in text


def test_the_choice_comes_back_at_the_next_sign_in(client, shanghai):
    delegate = shanghai.delegates["US"][1]
    Profile.objects.create(user=delegate.user, time_zone="America/Chicago")

    client.post(
        reverse("login"),
        {"username": delegate.user.username, "password": "pw-for-tests-only"},
    )

    assert client.cookies[times.COOKIE_NAME].value == "America/Chicago"


def test_no_choice_goes_back_to_the_workshops_zone(client, shanghai):
    delegate = login(client, shanghai.delegates["CN"][1])
    client.post(reverse("time_zone_set"), {"time_zone": "Europe/London"})

    response = client.post(reverse("time_zone_set"), {"time_zone": ""})
    text = page_text(
        client.get(reverse("workshop_detail", args=[shanghai.workshop.slug]))
    )

    assert response.status_code == 302
    assert client.cookies[times.COOKIE_NAME].value == ""
    assert Profile.objects.get(user=delegate.user).time_zone == ""
    assert "Times in UTC+8" in text


def test_an_unknown_zone_is_refused_and_nothing_changes(client, shanghai):
    delegate = login(client, shanghai.delegates["CN"][1])

    response = client.post(reverse("time_zone_set"), {"time_zone": "Mars/Olympus"})

    assert response.status_code == 400
    assert "Select a valid choice." in page_text(response)
    assert not Profile.objects.filter(user=delegate.user).exists()
    assert times.COOKIE_NAME not in client.cookies


def test_a_forged_cookie_is_ignored(client, shanghai):
    login(client, shanghai.delegates["US"][1])
    client.cookies[times.COOKIE_NAME] = "Not/A_Zone"

    text = page_text(
        client.get(reverse("workshop_detail", args=[shanghai.workshop.slug]))
    )

    assert "Times in UTC+8" in text


def test_the_time_zone_page_is_for_anyone_and_refuses_an_offsite_next(client, db):
    response = client.post(
        reverse("time_zone_set"),
        {"time_zone": "Asia/Tokyo", "next": "https://evil.example/"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("time_zone_set")).status_code == 200


def test_a_comments_time_says_its_zone(client, shanghai):
    item = shanghai.item_of("US")
    session_set_phase(session=item.session, phase=Phase.OPEN, by=admin_organiser())
    comment = Comment.objects.create(
        item=item, author=shanghai.delegates["US"][1], body="A remark."
    )
    Comment.objects.filter(pk=comment.pk).update(created_at=START)
    login(client, shanghai.delegates["CN"][1])

    text = page_text(client.get(item.get_absolute_url()))

    assert (
        '<time datetime="2026-03-02T09:00:00+08:00">March 2, 2026, 9 a.m. UTC+8</time>'
        in (text)
    )


def test_a_new_choice_is_not_answered_with_the_old_page(client, shanghai):
    login(client, shanghai.delegates["CN"][1])
    live = reverse("session_live", args=[shanghai.workshop.slug, 1])
    etag = client.get(live)["ETag"]

    client.post(reverse("time_zone_set"), {"time_zone": "America/New_York"})
    again = client.get(live, headers={"If-None-Match": etag})

    assert client.get(live, headers={"If-None-Match": again["ETag"]}).status_code == 304
    assert again.status_code == 200


def test_the_zone_costs_no_query(client, shanghai):
    login(client, shanghai.delegates["CN"][1])
    page = reverse("session_detail", args=[shanghai.workshop.slug, 1])
    count_get_queries(client, page)  # warm the session
    workshop_zone = count_get_queries(client, page)

    client.post(reverse("time_zone_set"), {"time_zone": "America/New_York"})
    count_get_queries(client, page)
    own_zone = count_get_queries(client, page)

    assert own_zone == workshop_zone


def test_the_summary_prints_times_in_the_workshops_zone(shanghai):
    document = build_summary_document(
        session=shanghai.sessions[1], compiled_at=START + dt.timedelta(hours=3)
    )

    assert document.header.compiled_at == "2026-03-02 12:00 UTC+8"
    assert document.header.dates == "2026-03-02 09:00 UTC+8"
    assert timezone.get_current_timezone_name() == "UTC"  # nothing leaks out
