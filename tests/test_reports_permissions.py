"""Who may do what to a report, for every role of the workshop: the rules
of dialogue.permissions.reports as one table per state."""

import pytest

from dialogue import permissions
from tests.builders import in_review, report_world, write

pytestmark = pytest.mark.django_db


def _table(world):
    people = {
        "rapporteur": world.rapporteur,
        "facilitator": world.facilitator,
        "CN head": world.d.head("CN"),
        "US head": world.d.head("US"),
        "CN delegate": world.d.delegates["CN"][1],
        "US delegate": world.d.delegates["US"][1],
        "observer": world.d.observer,
    }
    draft = world.draft
    return {
        name: (
            permissions.sees_report_drafts(who, draft),
            permissions.sees_report_review(who, draft),
            permissions.write_report_refusal(who, draft) is None,
            permissions.file_correction_refusal(who, draft) is None,
            permissions.sign_off_report_refusal(who, draft) is None,
        )
        for name, who in people.items()
    }


def test_while_drafting_only_the_rapporteur_and_facilitator_read(workshop):
    world = report_world(workshop)
    write(world)

    table = _table(world)

    assert table == {
        "rapporteur": (True, False, True, False, False),
        "facilitator": (True, False, False, False, False),
        "CN head": (False, False, False, False, True),
        "US head": (False, False, False, False, True),
        "CN delegate": (False, False, False, False, False),
        "US delegate": (False, False, False, False, False),
        "observer": (False, False, False, False, False),
    }


def test_in_review_everyone_reads_and_all_but_the_rapporteur_file(workshop):
    world = report_world(workshop)
    in_review(world)

    table = _table(world)

    assert table == {
        "rapporteur": (True, True, True, False, False),
        "facilitator": (True, True, False, True, False),
        "CN head": (False, True, False, True, True),
        "US head": (False, True, False, True, True),
        "CN delegate": (False, True, False, True, False),
        "US delegate": (False, True, False, True, False),
        "observer": (False, True, False, True, False),
    }


def test_another_workshops_people_are_refused_everything(
    workshop, other_workshop_member
):
    world = report_world(workshop)
    in_review(world)
    who = other_workshop_member

    answers = (
        permissions.sees_report(who, world.draft),
        permissions.write_report_refusal(who, world.draft),
        permissions.file_correction_refusal(who, world.draft),
        permissions.sign_off_report_refusal(who, world.draft),
    )

    assert answers == (False, *["This belongs to another workshop."] * 3)
