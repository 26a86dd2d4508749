"""One small, fully known session that the summary test modules share.

`make_activity` builds it. Every person in it has "Zqx" in their name,
username, email and affiliation, so a leak into any format is easy to detect.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from dialogue.models import AgendaPoint, CommentState, MeasureStatus, Role, Session
from tests.builders.people import make_participant
from tests.builders.rankings import cast_ballot, make_ranking_session
from tests.factories import (
    RankingRoundFactory,
    ReciprocalMeasureFactory,
    SummaryCommentFactory,
    SummaryMeasureResponseFactory,
    UserFactory,
)


@dataclass
class Activity:
    session: Session
    people: dict  # key -> Participant
    secrets: list  # every identifying string of every participant


def _person(workshop, key, *, role=Role.DELEGATE, code=None):
    user = UserFactory(
        username=f"zqx-{key}",
        first_name=f"Zqxfirst{key.replace('-', '')}",
        last_name=f"Zqxlast{key.replace('-', '')}",
        email=f"zqxmail-{key}@zqx-mail.example",
    )
    return make_participant(
        workshop,
        role=role,
        code=code,
        user=user,
        affiliation=f"Zqx Institute of {key}",
    )


def make_activity(workshop) -> Activity:
    session = make_ranking_session(workshop, items=3, phase="closed")
    i1, i2, i3 = session.items.order_by("number")
    AgendaPoint.objects.create(item=i1, position=1, text="Open a hotline.")
    point = i1.points.get()
    people = {
        "cn-1": _person(workshop, "cn-1", code="CN"),
        "cn-2": _person(workshop, "cn-2", code="CN"),
        "us-1": _person(workshop, "us-1", code="US"),
        "us-2": _person(workshop, "us-2", code="US"),
        "org": _person(workshop, "org", role=Role.ORGANISER),
        "fac": _person(workshop, "fac", role=Role.FACILITATOR),
        "rap": _person(workshop, "rap", role=Role.RAPPORTEUR),
    }
    p = people
    start = timezone.now() - timedelta(hours=2)
    SummaryCommentFactory(
        item=i1,
        author=p["cn-1"],
        body="Trust needs a hotline.",
        endorsement_count=3,
        point=point,
        created_at=start,
    )
    tariffs = SummaryCommentFactory(
        item=i1,
        author=p["cn-2"],
        body="Tariffs come first.",
        endorsement_count=5,
        created_at=start + timedelta(minutes=1),
    )
    SummaryCommentFactory(
        item=i1,
        author=p["us-1"],
        parent=tariffs,
        body="Agreed on tariffs.",
        created_at=start + timedelta(minutes=2),
    )
    SummaryCommentFactory(
        item=i1,
        author=p["us-1"],
        body="What would verification look like?",
        endorsement_count=1,
        created_at=start + timedelta(minutes=3),
    )
    SummaryCommentFactory(
        item=i1,
        author=p["us-2"],
        body="A hidden insult.",
        state=CommentState.HIDDEN,
        hidden_reason="Abusive.",
        created_at=start + timedelta(minutes=4),
    )
    SummaryCommentFactory(
        item=i1,
        author=p["cn-1"],
        body="A withdrawn thought.",
        state=CommentState.WITHDRAWN,
        created_at=start + timedelta(minutes=5),
    )
    SummaryCommentFactory(
        item=i3,
        author=p["fac"],
        body="Let us keep to time.",
        created_at=start + timedelta(minutes=6),
    )
    closed = RankingRoundFactory(session=session, number=1, closed_at=timezone.now())
    for key in ("cn-1", "cn-2"):
        cast_ballot(closed, p[key], [i1, i2, i3])
    for key in ("us-1", "us-2"):
        cast_ballot(closed, p[key], [i1, i3, i2])
    still_open = RankingRoundFactory(session=session, number=2)
    for key in ("cn-1", "cn-2", "us-1", "us-2"):
        cast_ballot(still_open, p[key], [i3, i2, i1])
    hotline = ReciprocalMeasureFactory(
        proposer=p["cn-1"], title="Joint hotline", items=[i1]
    )
    for key in ("cn-2", "us-1", "us-2"):
        SummaryMeasureResponseFactory(measure=hotline, participant=p[key])
    ReciprocalMeasureFactory(
        proposer=p["us-1"],
        title="Secret draft",
        status=MeasureStatus.DRAFT,
        proposed_at=None,
        items=[i1],
    )
    visas = ReciprocalMeasureFactory(
        proposer=p["us-1"],
        title="Visa easing",
        status=MeasureStatus.UNDER_DISCUSSION,
        items=[i2],
    )
    SummaryMeasureResponseFactory(measure=visas, participant=p["cn-1"], stance="oppose")
    SummaryMeasureResponseFactory(
        measure=visas, participant=p["cn-2"], stance="clarify"
    )
    SummaryMeasureResponseFactory(measure=visas, participant=p["us-2"])
    secrets = []
    for participant in people.values():
        user = participant.user
        secrets += [
            user.first_name,
            user.last_name,
            user.username,
            user.email,
            participant.affiliation,
        ]
    return Activity(session=session, people=people, secrets=secrets)
