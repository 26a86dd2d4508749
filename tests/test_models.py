"""Integrity lives in the database, not only in forms."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from dialogue.models import AgendaItem, Participant, Role
from tests.builders import make_participant
from tests.factories import (
    AgendaItemFactory,
    DelegationFactory,
    SessionFactory,
    UserFactory,
    WorkshopFactory,
)


def test_item_numbers_are_unique_per_session(workshop):
    session = SessionFactory(workshop=workshop)
    cn, us = workshop.delegations.all()
    AgendaItemFactory(session=session, number=1, proposed_by=cn, addressed_to=us)

    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItemFactory(session=session, number=1, proposed_by=us, addressed_to=cn)


def test_same_item_number_in_another_session_is_fine(workshop):
    cn, us = workshop.delegations.all()
    for number in (1, 2):
        session = SessionFactory(workshop=workshop, number=number)
        AgendaItemFactory(session=session, number=1, proposed_by=cn, addressed_to=us)

    assert AgendaItem.objects.filter(number=1).count() == 2


def test_item_cannot_be_addressed_to_its_proposer(workshop):
    session = SessionFactory(workshop=workshop)
    cn = workshop.delegations.get(code="CN")

    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItemFactory(session=session, proposed_by=cn, addressed_to=cn)


def test_participant_once_per_workshop(workshop):
    user = UserFactory()
    make_participant(workshop, user=user, code="CN")

    with pytest.raises(IntegrityError), transaction.atomic():
        make_participant(workshop, user=user, role=Role.OBSERVER)


def test_delegate_must_have_a_delegation(workshop):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_participant(workshop, role=Role.DELEGATE)


@pytest.mark.parametrize("code", ["CN", "US"])
def test_delegate_cannot_join_a_delegation_of_another_workshop(workshop, code):
    """Enforced by a composite foreign key (PostgreSQL) or a trigger (SQLite)."""
    other = WorkshopFactory()
    foreign = DelegationFactory(workshop=other, code=code)

    with pytest.raises(IntegrityError), transaction.atomic():
        Participant.objects.create(
            user=UserFactory(),
            workshop=workshop,
            role=Role.DELEGATE,
            delegation=foreign,
        )
    assert Participant.objects.count() == 0


def test_moving_a_participant_to_a_foreign_delegation_is_refused(workshop):
    participant = make_participant(workshop, code="CN")
    foreign = DelegationFactory(workshop=WorkshopFactory(), code="CN")

    participant.delegation = foreign
    with pytest.raises(IntegrityError), transaction.atomic():
        participant.save()

    participant.refresh_from_db()
    assert participant.delegation.workshop == workshop


def test_only_one_head_per_delegation(workshop):
    make_participant(workshop, code="US", is_head=True)

    with pytest.raises(IntegrityError), transaction.atomic():
        make_participant(workshop, code="US", is_head=True)


def test_observer_cannot_head_a_delegation(workshop):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_participant(workshop, role=Role.OBSERVER, code="CN", is_head=True)


def test_participant_clean_explains_a_foreign_delegation(workshop):
    foreign = DelegationFactory(workshop=WorkshopFactory(), code="CN")
    participant = Participant(
        user=UserFactory(), workshop=workshop, role=Role.DELEGATE, delegation=foreign
    )

    with pytest.raises(ValidationError) as excinfo:
        participant.full_clean()

    assert excinfo.value.message_dict["delegation"] == [
        "The delegation must belong to the participant's workshop."
    ]


def test_item_clean_explains_a_foreign_delegation(workshop):
    session = SessionFactory(workshop=workshop)
    foreign = DelegationFactory(workshop=WorkshopFactory(), code="US")
    item = AgendaItem(
        session=session,
        number=1,
        title="t",
        proposed_by=workshop.delegations.get(code="CN"),
        addressed_to=foreign,
    )

    with pytest.raises(ValidationError) as excinfo:
        item.full_clean()

    assert excinfo.value.message_dict == {
        "addressed_to": ["The delegation must belong to this workshop."]
    }


def test_str_is_readable(seeded):
    item = AgendaItem.objects.get(session__number=2, number=3)
    point = item.points.first()

    assert str(item) == "3. Address American concerns seriously"
    assert str(item.session).startswith("2. Suggestions for the Chinese Government")
    assert str(point).startswith("3.1 Chinese government should stop cyberattacks")
    assert str(seeded.delegations.get(code="US")) == "American scholars (US)"


def test_deleting_a_workshop_removes_everything_in_it(seeded):
    make_participant(seeded, code="CN")

    seeded.delete()

    assert AgendaItem.objects.count() == 0
    assert Participant.objects.count() == 0
