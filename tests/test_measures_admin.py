"""The measures in the organisers' admin: listed, searched, filtered, read with
their answers, endorsements and history; status only through the services."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dialogue.models import ReciprocalMeasure
from dialogue.services.measures import measure_answer, measure_endorse
from tests.builders import build_dialogue, propose

CHANGELIST = "admin:dialogue_reciprocalmeasure_changelist"


@pytest.fixture
def d(workshop):
    d = build_dialogue(workshop)
    measure = propose(d, "CN", title="Hotline")
    measure_answer(
        measure=measure, by=d.delegates["US"][1], stance="oppose", reason="No"
    )
    measure_endorse(measure=measure, delegation=d.delegations["CN"], by=d.head("CN"))
    propose(d, "US", title="Student visas", measure_type="exchange")
    return d


def test_changelist_lists_searches_and_filters(client, d, organiser):
    client.force_login(organiser)

    everything = client.get(reverse(CHANGELIST))
    searched = client.get(reverse(CHANGELIST) + "?q=visas")
    filtered = client.get(reverse(CHANGELIST) + "?status__exact=endorsed_one")

    def titles(response):
        assert response.status_code == 200
        return sorted(m.title for m in response.context["cl"].result_list)

    assert titles(everything) == ["Hotline", "Student visas"]
    assert titles(searched) == ["Student visas"]
    assert titles(filtered) == ["Hotline"]


def test_change_page_shows_answers_endorsements_and_history_read_only(
    client, d, organiser
):
    client.force_login(organiser)
    measure = ReciprocalMeasure.objects.get(title="Hotline")

    response = client.get(
        reverse("admin:dialogue_reciprocalmeasure_change", args=[measure.pk])
    )

    formsets = {
        f.formset.model.__name__: f for f in response.context["inline_admin_formsets"]
    }
    assert response.status_code == 200
    assert sorted(formsets) == [
        "MeasureEndorsement",
        "MeasureEvent",
        "MeasureResponse",
    ]
    assert formsets["MeasureResponse"].formset.queryset.count() == 1
    assert formsets["MeasureEvent"].formset.queryset.count() == 3
    assert "status" in response.context["adminform"].readonly_fields


def test_staff_cannot_add_a_measure(client, d, organiser):
    client.force_login(organiser)

    response = client.get(reverse("admin:dialogue_reciprocalmeasure_add"))

    assert response.status_code == 403


def test_changelist_query_count_does_not_grow_with_measures(client, d, organiser):
    client.force_login(organiser)
    client.get(reverse(CHANGELIST))

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(CHANGELIST)).status_code == 200
        return len(queries)

    few = count()
    for n in range(10):
        propose(d, ("CN", "US")[n % 2], title=f"More {n}")

    assert count() == few
