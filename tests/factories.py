"""factory_boy factories, one per model. The functions that put them together
into a scene (a ranking session, a dialogue of measures) are in
tests/builders/."""

import factory
from django.contrib.auth import get_user_model

from dialogue.models import (
    AgendaItem,
    Delegation,
    Participant,
    Phase,
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
    # Running: a draft is seen only by organisers and facilitators, so a
    # test that needs one says so.
    phase = Phase.OPEN


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    session = factory.SubFactory(SessionFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Item {n}")
    body = "Body text."


# --- rankings -------------------------------------------------------------


class RankingRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "dialogue.RankingRound"

    session = factory.SubFactory(SessionFactory)
    number = 1


# --- measures ----------------------------------------------------------------


def _now():
    from django.utils import timezone

    return timezone.now()


class ReciprocalMeasureFactory(factory.django.DjangoModelFactory):
    """A proposed measure. Pass `proposer` (a delegate) and `items=[...]`."""

    class Meta:
        model = "dialogue.ReciprocalMeasure"
        skip_postgeneration_save = True  # the items hook saves what it changes

    proposer = factory.SubFactory(ParticipantFactory)
    workshop = factory.SelfAttribute("proposer.workshop")
    proposing_delegation = factory.SelfAttribute("proposer.delegation")
    title = factory.Sequence(lambda n: f"Measure {n}")
    our_action = "Our side would open a hotline."
    their_action = "Your side would staff it around the clock."
    status = "proposed"
    proposed_at = factory.LazyFunction(_now)

    @factory.post_generation
    def items(self, create, extracted, **kwargs):
        if create:
            if self.root_id is None:
                self.root = self
                self.save(update_fields=["root"])
            if extracted:
                self.items.set(extracted)


# --- summaries -----------------------------------------------------------------


class SummaryCommentFactory(factory.django.DjangoModelFactory):
    """A visible comment. Pass `item` and `author`; `endorsement_count` is the
    denormalised count, so set it together with any Endorsement rows."""

    class Meta:
        model = "dialogue.Comment"

    item = factory.SubFactory(AgendaItemFactory)
    author = factory.SubFactory(ParticipantFactory)
    body = factory.Sequence(lambda n: f"Remark number {n}.")


class SummaryMeasureResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "dialogue.MeasureResponse"

    measure = factory.SubFactory(ReciprocalMeasureFactory)
    participant = factory.SubFactory(ParticipantFactory)
    stance = "support"
    reason = "Because it lowers risk."
