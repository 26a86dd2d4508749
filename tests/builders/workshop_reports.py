"""A workshop of several sessions for the report on the whole workshop.

`make_workshop_activity` puts `make_activity`'s fully known session first
(everyone's name, username, email and affiliation hold "Zqx"), then more
sessions with remarks by the same people, a measure endorsed by both sides
and a package agreed by both, so each section of the report has something.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from dialogue.models import (
    EndorsementVia,
    MeasureEndorsement,
    MeasurePackage,
    MeasureStatus,
    PackageEndorsement,
    PackageStatus,
    RankingRound,
    Session,
)
from tests.builders.activity import make_activity
from tests.builders.rankings import make_ranking_session
from tests.factories import ReciprocalMeasureFactory, SummaryCommentFactory

START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


@dataclass
class WorkshopActivity:
    sessions: list[Session]
    people: dict  # key -> Participant, as in make_activity
    secrets: list  # every identifying string of every participant


def add_session(workshop, people, *, number: int, remarks: int = 1) -> Session:
    """Session `number`, its day after the one before, with `remarks` remarks
    on its first item by each delegation and a closed ranking round."""
    session = make_ranking_session(workshop, number=number, items=2, phase="closed")
    day = START + timedelta(days=number - 1)
    Session.objects.filter(pk=session.pk).update(
        starts_at=day, ends_at=day + timedelta(hours=3)
    )
    first = session.items.order_by("number").first()
    for n in range(remarks):
        for key in ("cn-1", "us-1"):
            SummaryCommentFactory(
                item=first, author=people[key], body=f"Session {number} remark {n}."
            )
    RankingRound.objects.create(session=session, number=1, closed_at=day)
    return session


def agree_on_both_sides(workshop, people, item) -> None:
    """A measure endorsed by both sides and a package agreed by both."""
    measure = ReciprocalMeasureFactory(
        proposer=people["cn-1"],
        title="Agreed hotline",
        status=MeasureStatus.ENDORSED_BOTH,
        items=[item],
    )
    package = MeasurePackage.objects.create(
        workshop=workshop,
        title="Agreed package",
        created_by=people["cn-1"],
        status=PackageStatus.AGREED,
    )
    package.members.add(measure)
    for delegation in workshop.delegations.all():
        MeasureEndorsement.objects.create(
            measure=measure, delegation=delegation, via=EndorsementVia.HEAD
        )
        PackageEndorsement.objects.create(
            package=package, delegation=delegation, via=EndorsementVia.HEAD
        )


def make_workshop_activity(workshop, *, sessions: int = 2) -> WorkshopActivity:
    activity = make_activity(workshop)
    first = activity.session
    Session.objects.filter(pk=first.pk).update(
        starts_at=START, ends_at=START + timedelta(hours=3)
    )
    found = [first]
    for number in range(2, sessions + 1):
        found.append(add_session(workshop, activity.people, number=number))
    agree_on_both_sides(workshop, activity.people, found[-1].items.first())
    return WorkshopActivity(
        sessions=found, people=activity.people, secrets=activity.secrets
    )
