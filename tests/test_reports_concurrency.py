"""The report written and signed off at once (PostgreSQL: each thread has
its own connection; the draft's row lock serialises them): two saves on the
same revision make one revision and one refusal; both heads signing at once
both count."""

import pytest

from dialogue.models import ReportRevision, ReportSignOff
from dialogue.services.reports import report_save, report_sign_off
from tests.builders import in_review, report_world, texts
from tests.builders.concurrency import at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_saves_on_the_same_base_make_one_revision_and_one_refusal(workshop):
    world = report_world(workshop)

    results = at_once(
        *(
            lambda words=words: report_save(
                draft=world.draft, by=world.rapporteur, base=0, **texts(takeaways=words)
            )
            for words in ("One text.", "Another text.")
        )
    )

    assert sorted(kind for kind, _value in results) == ["ok", "refused"], results
    refused = next(value for kind, value in results if kind == "refused")
    assert "A newer revision (1) was saved" in refused[0]
    assert list(ReportRevision.objects.values_list("number", flat=True)) == [1]


def test_both_heads_signing_at_once_both_count(workshop):
    world = report_world(workshop)
    in_review(world)

    results = at_once(
        *(
            lambda code=code: report_sign_off(draft=world.draft, by=world.d.head(code))
            for code in ("CN", "US")
        )
    )

    assert [kind for kind, _value in results] == ["ok", "ok"], results
    assert sorted(ReportSignOff.objects.values_list("delegation__code", flat=True)) == [
        "CN",
        "US",
    ]
