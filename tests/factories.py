import factory
from django.contrib.auth import get_user_model

from dialogue.models import (
    AgendaItem,
    Delegation,
    Participant,
    Role,
    Session,
    Workshop,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("pw-for-tests-only")


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workshop

    slug = factory.Sequence(lambda n: f"workshop-{n}")
    title = factory.Sequence(lambda n: f"Workshop {n}")


class DelegationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delegation

    workshop = factory.SubFactory(WorkshopFactory)
    code = factory.Sequence(lambda n: f"D{n}")
    name = factory.LazyAttribute(lambda d: f"Delegation {d.code}")


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    user = factory.SubFactory(UserFactory)
    workshop = factory.SubFactory(WorkshopFactory)
    role = Role.DELEGATE


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    workshop = factory.SubFactory(WorkshopFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Session {n}")


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    session = factory.SubFactory(SessionFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Item {n}")
    body = "Body text."
