"""The workshop's admin page: the endorsement rule the README names, the
source authors edited one per line instead of as a JSON list, and the venue
and paper size its reports print."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from dialogue.forms.admin import WorkshopAdminForm
from dialogue.models import EndorsementRule, PaperSize, Workshop
from tests.builders import admin_organiser


def form_data(workshop, **changes):
    data = {
        "title": workshop.title,
        "slug": workshop.slug,
        "description": "",
        "confidentiality": workshop.confidentiality,
        "endorsement_rule": workshop.endorsement_rule,
        "time_zone": workshop.time_zone,
        "venue": workshop.venue,
        "paper_size": workshop.paper_size,
        "source_title": "",
        "source_authors": "",
        "source_date": "",
        "source_publisher": "",
        "source_url": "",
    }
    return {**data, **changes}


def bind(workshop, **changes):
    """The admin's own form for the workshop (its fields, its validation)."""
    request = RequestFactory().post("/")
    request.user = admin_organiser()
    form_class = admin.site._registry[Workshop].get_form(request, workshop)
    assert issubclass(form_class, WorkshopAdminForm)
    return form_class(data=form_data(workshop, **changes), instance=workshop)


@pytest.fixture
def ws(workshop):
    return Workshop.objects.get(pk=workshop.pk)


def test_the_admin_page_shows_the_endorsement_rule_and_the_authors_textarea(
    client, seeded
):
    client.force_login(admin_organiser())

    response = client.get(reverse("admin:dialogue_workshop_change", args=[seeded.pk]))

    page = response.content.decode()
    assert (
        '<label class="required" for="id_endorsement_rule">Endorsement rule:</label>'
    ) in page
    assert '<label for="id_source_authors">Source authors:</label>' in page
    assert (
        '<textarea name="source_authors" cols="60" rows="4" '
        'aria-describedby="id_source_authors_helptext" id="id_source_authors">'
        "\nLIU Weidong\nSHI Peipei\nWANG Jun</textarea>"
    ) in page


def test_authors_one_per_line_are_saved_as_a_list(ws):
    form = bind(
        ws,
        source_authors="  LIU Weidong \r\n\r\nSHI Peipei\n",
        endorsement_rule=EndorsementRule.MAJORITY,
    )

    assert form.is_valid(), form.errors
    form.save()

    ws.refresh_from_db()
    assert ws.source_authors == ["LIU Weidong", "SHI Peipei"]
    assert ws.endorsement_rule == EndorsementRule.MAJORITY


def test_no_authors_is_an_empty_list(ws):
    form = bind(ws, source_authors="\n  \n")

    assert form.is_valid(), form.errors
    form.save()

    ws.refresh_from_db()
    assert ws.source_authors == []


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("Good name\nBad\x07name", "Line 2"),
        ("A" * 201, "Line 1"),
    ],
)
def test_a_bad_author_line_is_named_and_nothing_saved(ws, text, error):
    ws.source_authors = ["Kept"]
    ws.save()
    form = bind(ws, source_authors=text)

    assert not form.is_valid()

    [message] = form.errors["source_authors"]
    assert message.startswith(error)
    ws.refresh_from_db()
    assert ws.source_authors == ["Kept"]


def test_too_many_authors_are_refused(ws):
    form = bind(ws, source_authors="\n".join(f"Author {n}" for n in range(51)))

    assert not form.is_valid()
    assert form.errors["source_authors"] == ["At most 50 authors."]


def test_the_unchanged_list_is_not_a_change(ws):
    ws.source_authors = ["A", "B"]
    ws.save()
    form = bind(ws, source_authors="A\nB")

    assert form.is_valid(), form.errors
    assert "source_authors" not in form.changed_data


def test_the_venue_and_paper_size_are_saved(ws):
    form = bind(ws, venue="Geneva, Palais Wilson", paper_size=PaperSize.LETTER)

    assert form.is_valid(), form.errors
    form.save()

    ws.refresh_from_db()
    assert (ws.venue, ws.paper_size) == ("Geneva, Palais Wilson", "letter")


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"venue": "Bad\x07venue"}, "venue"), ({"paper_size": "a5"}, "paper_size")],
)
def test_a_bad_venue_or_paper_size_is_refused_and_nothing_saved(ws, changes, field):
    form = bind(ws, **changes)

    assert not form.is_valid()

    assert list(form.errors) == [field]
    ws.refresh_from_db()
    assert (ws.venue, ws.paper_size) == ("", "a4")


def test_the_admin_page_offers_the_two_paper_sizes(client, seeded):
    client.force_login(admin_organiser())

    response = client.get(reverse("admin:dialogue_workshop_change", args=[seeded.pk]))

    page = response.content.decode()
    assert '<input type="text" name="venue"' in page
    assert '<option value="a4" selected>A4</option>' in page
    assert '<option value="letter">US Letter</option>' in page
