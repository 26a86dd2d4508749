"""Fill a workshop session with synthetic activity, for demos, tests and benchmarks.

Every synthetic person's name, username, email and affiliation contains the
marker "Zqx" (a string that occurs in no real text), so a leak of identities
into a summary is easy to detect: search the output for "zqx".
"""

import random
from datetime import UTC, datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from dialogue.models import (
    Comment,
    CommentState,
    Endorsement,
    EndorsementVia,
    MeasureEndorsement,
    MeasureResponse,
    MeasureStatus,
    MeasureType,
    Participant,
    Ranking,
    RankingEntry,
    RankingRound,
    ReciprocalMeasure,
    Role,
    Sequencing,
    Stance,
    Workshop,
)
from dialogue.models.rankings import MAX_ROUNDS
from dialogue.services.packages import PackageError, package_create

MARKER = "Zqx"
_VOCABULARY = (
    "dialogue trust channel military crisis trade tariff student exchange "
    "climate health fentanyl visa journalist consulate summit hotline "
    "transparency verification restraint cooperation investment technology "
    "export control sanction alliance region stability guardrail dialogue "
    "confidence measure risk reduction communication people ties norms"
)
WORDS = tuple(_VOCABULARY.split())
STANCE_WEIGHTS = {
    Stance.SUPPORT: 5,
    Stance.SUPPORT_WITH_CHANGES: 3,
    Stance.OPPOSE: 2,
    Stance.CLARIFY: 1,
}
BASE_TIME = datetime(2026, 3, 1, 1, 0, tzinfo=UTC)


def _sentence(rng: random.Random, question: bool = False) -> str:
    words = rng.choices(WORDS, k=rng.randint(8, 24))
    text = " ".join(words).capitalize()
    return text + ("?" if question else ".")


def _body(rng: random.Random) -> str:
    sentences = [_sentence(rng) for _ in range(rng.randint(1, 3))]
    if rng.random() < 0.15:
        sentences.append(_sentence(rng, question=True))
    return " ".join(sentences)


class Command(BaseCommand):
    help = (
        "Add synthetic delegates (with 'Zqx' in every name, username, email and "
        "affiliation), comments with replies and endorsements, a closed ranking "
        "round and reciprocal measures with answers to one session of a "
        "workshop. Deterministic for a given --seed."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--session", type=int, default=1, help="session number")
        parser.add_argument("--delegates", type=int, default=10)
        parser.add_argument("--comments", type=int, default=100)
        parser.add_argument("--measures", type=int, default=None)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, slug, session, delegates, comments, measures, seed, **o):
        workshop = Workshop.objects.filter(slug=slug).first()
        if workshop is None:
            raise CommandError(f"There is no workshop {slug!r}.")
        target = workshop.sessions.filter(number=session).first()
        if target is None:
            raise CommandError(f"Workshop {slug!r} has no session {session}.")
        if delegates < 1 or comments < 0:
            raise CommandError("--delegates must be at least 1, --comments at least 0.")
        items = list(target.items.order_by("number"))
        delegations = list(workshop.delegations.all())
        if not items or len(delegations) < 2:
            raise CommandError("The session needs items and two delegations.")
        prefix = f"zqx-{workshop.pk}-s{seed}-"
        User = get_user_model()
        if User.objects.filter(username__startswith=prefix).exists():
            raise CommandError(
                f"Activity with --seed {seed} was already simulated; use another seed."
            )
        rng = random.Random(seed)  # noqa: S311 - synthetic data, not secrets
        with transaction.atomic():
            people = self._people(workshop, delegations, delegates, prefix, seed)
            n_comments = self._comments(rng, items, people, comments)
            n_ballots = self._ranking(rng, target, items, people, delegations)
            made = self._measures(rng, workshop, items, people, delegations, measures)
            n_packages = self._packages(rng, made, people)
        self.stdout.write(
            f"Session {target.number} of “{workshop.title}”: {len(people)} "
            f"delegates, {n_comments} comments, {n_ballots} rankings, "
            f"{len(made)} measures, packages: {n_packages} (seed {seed})."
        )

    def _people(self, workshop, delegations, count, prefix, seed):
        User = get_user_model()
        password = make_password(None)  # unusable: these accounts never sign in
        User.objects.bulk_create(
            [
                User(
                    username=f"{prefix}{i}",
                    first_name=f"{MARKER}first{seed}x{i}",
                    last_name=f"{MARKER}last{seed}x{i}",
                    email=f"{MARKER.lower()}mail{seed}x{i}@{MARKER.lower()}.example",
                    password=password,
                )
                for i in range(count)
            ]
        )
        users = list(User.objects.filter(username__startswith=prefix).order_by("id"))
        Participant.objects.bulk_create(
            [
                Participant(
                    user=user,
                    workshop=workshop,
                    role=Role.DELEGATE,
                    delegation=delegations[i % len(delegations)],
                    affiliation=f"{MARKER} Institute of Studies {seed}x{i}",
                )
                for i, user in enumerate(users)
            ]
        )
        return list(
            Participant.objects.filter(user__in=users)
            .select_related("delegation")
            .order_by("id")
        )

    def _comments(self, rng, items, people, count) -> int:
        top_n = count - count * 3 // 10
        plan = []  # (item index, parent plan index or None, author)
        for index in range(count):
            if index < top_n or not plan:
                plan.append((rng.randrange(len(items)), None, rng.choice(people)))
            else:
                parent = rng.randrange(min(len(plan), top_n))
                plan.append((plan[parent][0], parent, rng.choice(people)))
        endorsers = []
        for _item, _parent, author in plan:
            k = min(len(people) - 1, int(rng.expovariate(0.5)))
            chosen = (
                rng.sample([p for p in people if p.pk != author.pk], k) if k else []
            )
            endorsers.append(chosen)
        objects = []
        for index, (item_index, _parent, author) in enumerate(plan):
            roll = rng.random()
            state = CommentState.VISIBLE
            reason = ""
            if roll < 0.05:
                state = CommentState.WITHDRAWN
            elif roll < 0.08:
                state, reason = CommentState.HIDDEN, "Off topic (simulated)."
            objects.append(
                Comment(
                    item=items[item_index],
                    author=author,
                    body=_body(rng),
                    state=state,
                    hidden_reason=reason,
                    created_at=BASE_TIME + timedelta(seconds=index * 7),
                    endorsement_count=len(endorsers[index]),
                )
            )
        for comment in objects:
            comment.render_body()
        # Top-level comments first, so replies can point at their saved rows.
        Comment.objects.bulk_create(objects[:top_n], batch_size=2000)
        for index, (_item, parent, _author) in enumerate(plan):
            if parent is not None:
                objects[index].parent = objects[parent]
        Comment.objects.bulk_create(objects[top_n:], batch_size=2000)
        Endorsement.objects.bulk_create(
            [
                Endorsement(comment=objects[index], participant=participant)
                for index, chosen in enumerate(endorsers)
                for participant in chosen
            ],
            batch_size=5000,
        )
        return len(objects)

    def _ranking(self, rng, session, items, people, delegations) -> int:
        rounds = RankingRound.objects.filter(session=session)
        if rounds.count() >= MAX_ROUNDS:
            return 0
        number = (max(r.number for r in rounds) if rounds else 0) + 1
        closed = BASE_TIME + timedelta(days=1)
        ranking_round = RankingRound.objects.create(
            session=session, number=number, opened_at=BASE_TIME, closed_at=closed
        )
        # Each delegation leans towards its own order, with individual noise.
        leaning = {d.pk: rng.sample(items, len(items)) for d in delegations}
        rankings = Ranking.objects.bulk_create(
            [
                Ranking(round=ranking_round, participant=p, submitted_at=closed)
                for p in people
            ]
        )
        entries = []
        for ranking, participant in zip(rankings, people, strict=True):
            base = leaning[participant.delegation_id]
            scored = sorted(
                base, key=lambda item: base.index(item) + rng.gauss(0, len(items) / 4)
            )
            entries += [
                RankingEntry(ranking=ranking, item=item, position=position)
                for position, item in enumerate(scored, start=1)
            ]
        RankingEntry.objects.bulk_create(entries, batch_size=5000)
        return len(rankings)

    def _measures(self, rng, workshop, items, people, delegations, count) -> int:
        count = max(2, len(items) // 2) if count is None else count
        statuses = [
            MeasureStatus.PROPOSED,
            MeasureStatus.UNDER_DISCUSSION,
            MeasureStatus.ENDORSED_ONE,
            MeasureStatus.ENDORSED_BOTH,
            MeasureStatus.DRAFT,
        ]
        measures = []
        for index in range(count):
            proposer = rng.choice(people)
            measures.append(
                ReciprocalMeasure(
                    workshop=workshop,
                    proposer=proposer,
                    proposing_delegation=proposer.delegation,
                    title=" ".join(rng.choices(WORDS, k=4)).capitalize(),
                    our_action=_sentence(rng),
                    their_action=_sentence(rng),
                    sequencing=rng.choice(list(Sequencing)),
                    measure_type=rng.choice(list(MeasureType)),
                    timeframe=f"{rng.randint(1, 24)} months",
                    status=statuses[index % len(statuses)],
                    created_at=BASE_TIME + timedelta(minutes=index),
                    proposed_at=BASE_TIME + timedelta(minutes=index),
                )
            )
        ReciprocalMeasure.objects.bulk_create(measures)
        for measure in measures:
            measure.root = measure
        ReciprocalMeasure.objects.bulk_update(measures, ["root"])
        Through = ReciprocalMeasure.items.through
        Through.objects.bulk_create(
            [
                Through(reciprocalmeasure=measure, agendaitem=item)
                for measure in measures
                for item in rng.sample(items, min(len(items), rng.randint(1, 2)))
            ]
        )
        responses, endorsements = [], []
        stances, weights = zip(*STANCE_WEIGHTS.items(), strict=True)
        for measure in measures:
            if measure.status == MeasureStatus.DRAFT:
                continue
            for participant in people:
                if participant.pk == measure.proposer_id or rng.random() < 0.4:
                    continue
                responses.append(
                    MeasureResponse(
                        measure=measure,
                        participant=participant,
                        stance=rng.choices(stances, weights)[0],
                        reason=_sentence(rng),
                    )
                )
            endorsing = []
            if measure.status == MeasureStatus.ENDORSED_BOTH:
                endorsing = delegations
            elif measure.status == MeasureStatus.ENDORSED_ONE:
                endorsing = [measure.proposing_delegation]
            endorsements += [
                MeasureEndorsement(
                    measure=measure, delegation=delegation, via=EndorsementVia.HEAD
                )
                for delegation in endorsing
            ]
        MeasureResponse.objects.bulk_create(responses, batch_size=5000)
        MeasureEndorsement.objects.bulk_create(endorsements)
        return measures

    def _packages(self, rng, measures, people) -> int:
        """One or two packages, each of two measures on the table (one from
        each side where there are both), bundled through the service so that
        every rule of packages holds; none while the session is a draft."""
        on_table = [m for m in measures if m.status != MeasureStatus.DRAFT]
        made = 0
        for index in range(min(2, len(on_table) // 2)):
            pair = on_table[2 * index : 2 * index + 2]
            try:
                package_create(
                    by=rng.choice(people),
                    title=" ".join(rng.choices(WORDS, k=3)).capitalize(),
                    members=pair,
                    note=_sentence(rng),
                )
            except PackageError:
                break
            made += 1
        return made
