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
from django.utils import timezone

from dialogue.management.simulation import (
    BASE_TIME,
    MARKER,
    STANCE_WEIGHTS,
    WORDS,
    body,
    report_draft,
    sentence,
)
from dialogue.measure_rules import endorsement_mode, majority_reached, settled_status
from dialogue.models import (
    AgendaItem,
    Comment,
    CommentState,
    Endorsement,
    EndorsementVia,
    ItemLink,
    LinkDecision,
    LinkKind,
    LinkVerdict,
    MeasureEndorsement,
    MeasureResponse,
    MeasureStatus,
    MeasureType,
    Participant,
    Ranking,
    RankingEntry,
    RankingRound,
    ReciprocalMeasure,
    Response,
    ResponseAdoption,
    ResponseRevision,
    ResponseRound,
    ResponseStance,
    Role,
    Sequencing,
    Stance,
    Workshop,
)
from dialogue.models.rankings import MAX_ROUNDS
from dialogue.permissions import delegation_heads
from dialogue.selectors.responses import asks, response_progress
from dialogue.services.packages import PackageError, package_create
from dialogue.services.responses import CONDITIONAL


class Command(BaseCommand):
    help = (
        "Add synthetic delegates (with 'Zqx' in every name, username, email and "
        "affiliation), comments with replies and endorsements, a closed ranking "
        "round, reciprocal measures with answers and the delegations' "
        "responses (drafts and adopted ones, in the workshop's response round, "
        "sealed unless --reveal-responses), and the rapporteur's report draft "
        "citing the new remarks (sent for review with corrections from both "
        "sides if --review-report) to one session of a workshop. "
        "Deterministic for a given --seed."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--session", type=int, default=1, help="session number")
        parser.add_argument("--delegates", type=int, default=10)
        parser.add_argument("--comments", type=int, default=100)
        parser.add_argument("--measures", type=int, default=None)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--reveal-responses",
            action="store_true",
            help="reveal the response round afterwards (it stays sealed otherwise)",
        )
        parser.add_argument(
            "--citations",
            type=int,
            default=None,
            help="remarks the report's last revision cites (default: one per item)",
        )
        parser.add_argument(
            "--review-report",
            action="store_true",
            help="send the session's report draft for review, with corrections",
        )

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
            n_links = self._links(rng, workshop, items, people)
            n_responses = self._responses(
                rng, workshop, items, people, reveal=o.get("reveal_responses", False)
            )
            report = report_draft(
                rng,
                target,
                items,
                people,
                review=o.get("review_report", False),
                citations=o.get("citations"),
            )
        self.stdout.write(
            f"Session {target.number} of “{workshop.title}”: {len(people)} "
            f"delegates, {n_comments} comments, {n_ballots} rankings, "
            f"{len(made)} measures, packages: {n_packages}, "
            f"{n_links} link{'' if n_links == 1 else 's'} with verdicts, "
            f"{n_responses} response{'' if n_responses == 1 else 's'}, {report} "
            f"(seed {seed})."
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
                    body=body(rng),
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
        """`count` measures, one in five of each planned status. Writes the
        rows directly (measures may link items of a draft session, which the
        services refuse a delegate), so they must be rows the services could
        have written: a proposed measure has no answers, an endorsement comes
        from the head or from a majority of supporters under the workshop's
        rule, and the status is the one the answers and endorsements imply."""
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
                    our_action=sentence(rng),
                    their_action=sentence(rng),
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
        sides = self._endorsers(workshop, delegations)
        for measure in measures:
            planned = measure.status
            if planned in (MeasureStatus.DRAFT, MeasureStatus.PROPOSED):
                continue  # a draft is private; a proposed measure has no answer yet
            endorsing = set()
            if planned == MeasureStatus.ENDORSED_BOTH:
                endorsing = {d.pk for d in delegations}
            elif planned == MeasureStatus.ENDORSED_ONE:
                endorsing = {measure.proposing_delegation_id}
            answers = self._answers(rng, measure, people, sides, endorsing)
            responses += answers
            given = self._endorsements(measure, answers, sides, endorsing)
            endorsements += given
            measure.status = settled_status(
                endorsed=len(given),
                delegations=len(delegations),
                answered=bool(answers),
            )
        ReciprocalMeasure.objects.bulk_update(measures, ["status"])
        MeasureResponse.objects.bulk_create(responses, batch_size=5000)
        MeasureEndorsement.objects.bulk_create(endorsements)
        return measures

    @staticmethod
    def _endorsers(workshop, delegations):
        """Each delegation's way of endorsing under the workshop's rule: its
        mode, its head (or None) and how many delegates it has."""
        sides = {}
        for delegation in delegations:
            delegates = Participant.objects.filter(
                delegation=delegation, role=Role.DELEGATE
            )
            head = delegates.filter(delegation_heads()).order_by("id").first()
            mode = endorsement_mode(workshop=workshop, delegation_has_head=bool(head))
            sides[delegation.pk] = (mode, head, delegates.count())
        return sides

    @staticmethod
    def _answers(rng, measure, people, sides, endorsing):
        """About three in five delegates other than the proposer answer;
        where a delegation is to endorse by majority, all of its delegates
        (its proposer too) answer in support, and where it is not, its
        support stops short of a majority."""
        stances, weights = zip(*STANCE_WEIGHTS.items(), strict=True)
        answers, support = [], dict.fromkeys(sides, 0)
        for participant in people:
            side = participant.delegation_id
            backing = side in endorsing and sides[side][0] == EndorsementVia.MAJORITY
            if participant.pk == measure.proposer_id and not backing:
                continue
            if rng.random() < 0.4 and not backing:
                continue
            stance = rng.choices(stances, weights)[0]
            mode, _head, delegates = sides[side]
            if backing:
                stance = Stance.SUPPORT
            elif (
                stance == Stance.SUPPORT
                and mode == EndorsementVia.MAJORITY
                and majority_reached(supporters=support[side] + 1, delegates=delegates)
            ):
                stance = Stance.SUPPORT_WITH_CHANGES  # no endorsement unplanned
            support[side] += stance == Stance.SUPPORT
            answers.append(
                MeasureResponse(
                    measure=measure,
                    participant=participant,
                    stance=stance,
                    reason=sentence(rng),
                )
            )
        return answers

    @staticmethod
    def _endorsements(measure, answers, sides, endorsing):
        """The endorsements the services would have recorded: a head's where
        its delegation was to endorse and endorses through its head, and a
        majority's wherever the answers reach one (as `measure_answer`
        records it, planned or not)."""
        result = []
        for side, (mode, head, delegates) in sides.items():
            if mode == EndorsementVia.MAJORITY:
                supporters = sum(
                    1
                    for a in answers
                    if a.participant.delegation_id == side
                    and a.stance == Stance.SUPPORT
                )
                if majority_reached(supporters=supporters, delegates=delegates):
                    result.append(
                        MeasureEndorsement(
                            measure=measure,
                            delegation_id=side,
                            via=EndorsementVia.MAJORITY,
                        )
                    )
            elif side in endorsing and head is not None:
                result.append(
                    MeasureEndorsement(
                        measure=measure,
                        delegation_id=side,
                        via=EndorsementVia.HEAD,
                        endorsed_by=head,
                    )
                )
        return result

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
                    note=sentence(rng),
                )
            except PackageError:
                break
            made += 1
        return made

    def _links(self, rng, workshop, items, people) -> int:
        """A mirror link from the session's first item to an item of another
        delegation when the session has none, then the delegations' verdicts
        on up to three of the workshop's links (by their new delegates: these
        workshops decide by majority where a delegation has no head)."""
        first = items[0]
        touching = ItemLink.objects.filter(workshop=workshop).filter(
            item_a__session=first.session
        ) | ItemLink.objects.filter(workshop=workshop, item_b__session=first.session)
        other = (
            AgendaItem.objects.filter(session__workshop=workshop)
            .exclude(proposed_by=first.proposed_by)
            .order_by("session__number", "number")
            .first()
        )
        if not touching.exists() and other is not None:
            link = ItemLink.objects.create(
                workshop=workshop,
                kind=LinkKind.MIRROR,
                item_a=first,
                quote_a=first.title,
                item_b=other,
                quote_b=other.title,
                pair=ItemLink.pair_of(first.pk, None, other.pk, None),
                suggested_by=people[0].user,
                suggested_for=people[0].delegation,
            )
            LinkVerdict.objects.bulk_create(
                LinkVerdict(link=link, delegation=d) for d in workshop.delegations.all()
            )
        links = list(ItemLink.objects.filter(workshop=workshop).order_by("pk")[:3])
        by_delegation = {}
        for person in people:
            by_delegation.setdefault(person.delegation_id, person)
        now = datetime.now(UTC)
        for verdict in LinkVerdict.objects.filter(link__in=links):
            decision = rng.choice(
                [LinkDecision.CONFIRMED, LinkDecision.CONFIRMED, LinkDecision.REJECTED]
            )
            verdict.decision = decision
            verdict.decided_by = by_delegation.get(verdict.delegation_id)
            verdict.decided_at = now
            verdict.save(update_fields=["decision", "decided_by", "decided_at"])
        return len(links)

    def _responses(self, rng, workshop, items, people, *, reveal: bool) -> int:
        """Open the workshop's response round (if it is not) and answer about
        three in four of the session's asks, each side alike: one or two
        revisions by the side's synthetic delegates, about two in three
        adopted under the workshop's endorsement rule, the others left as
        drafts. Revealed only when asked to."""
        round_, _created = ResponseRound.objects.get_or_create(workshop=workshop)
        if round_.revealed:
            return 0
        item_ids = {item.pk for item in items}
        taken = set(
            Response.objects.filter(round=round_).values_list(
                "delegation_id", "item_id", "point_id"
            )
        )
        stances = list(ResponseStance.values)
        count = 0
        for ask in asks(workshop=workshop):
            writers = [p for p in people if p.delegation_id == ask.delegation.pk]
            if ask.item.pk not in item_ids or ask.key in taken or not writers:
                continue
            if rng.random() < 0.25:
                continue  # not answered yet
            response = Response.objects.create(
                round=round_, delegation=ask.delegation, item=ask.item, point=ask.point
            )
            latest = None
            for number in range(1, rng.randint(1, 2) + 1):
                stance = rng.choice(stances)
                latest = ResponseRevision.objects.create(
                    response=response,
                    number=number,
                    stance=stance,
                    reasoning=body(rng),
                    conditions=sentence(rng) if stance in CONDITIONAL else "",
                    author=rng.choice(writers).user,
                )
            response.revision = latest.number
            if rng.random() < 0.67:
                response.adopted = self._adopt(workshop, ask.delegation, latest)
            response.save(update_fields=["revision", "adopted"])
            count += 1
        if reveal:
            round_.revealed_at = timezone.now()
            round_.unanswered = [
                {"delegation": side.delegation.code, "ref": ref}
                for side in response_progress(workshop=workshop, round_=round_)
                for ref in side.missing
            ]
            round_.save(update_fields=["revealed_at", "unanswered"])
        return count

    @staticmethod
    def _adopt(workshop, delegation, revision):
        """The adoptions the endorsement rule needs: the head's, or a
        majority of the delegation's delegates. None if it has no head
        where only a head adopts."""
        delegates = list(
            Participant.objects.filter(
                delegation=delegation, role=Role.DELEGATE
            ).order_by("id")
        )
        heads = list(
            Participant.objects.filter(
                delegation_heads(), delegation=delegation
            ).order_by("id")
        )
        mode = endorsement_mode(workshop=workshop, delegation_has_head=bool(heads))
        if mode == EndorsementVia.HEAD:
            voters = heads[:1]
        else:
            voters = delegates[: len(delegates) // 2 + 1]
        if not voters:
            return None
        ResponseAdoption.objects.bulk_create(
            [
                ResponseAdoption(revision=revision, participant=p, via=mode)
                for p in voters
            ]
        )
        return revision
