"""Reading responses: what each delegation answers, how far each has got,
and what one viewer may see of them. Computed once here for every page and
the summary alike; the secrecy rule is `permissions.sees_response_drafts` /
`sees_revealed_responses`, and nothing below hands out a revision a viewer
may not see."""

from dataclasses import dataclass, field

from dialogue import permissions
from dialogue.measure_rules import endorsement_mode
from dialogue.models import (
    AgendaItem,
    AgendaPoint,
    Delegation,
    Participant,
    Phase,
    Response,
    ResponseAdoption,
    ResponseReply,
    ResponseRevision,
    ResponseRound,
    Role,
    Workshop,
)


@dataclass(frozen=True)
class Ask:
    """One thing a delegation answers: an item, or a point of one."""

    delegation: Delegation
    item: AgendaItem
    point: AgendaPoint | None = None

    @property
    def ref(self) -> str:
        ref = f"{self.item.session.number}.{self.item.number}"
        return f"{ref}.{self.point.position}" if self.point else ref

    @property
    def key(self) -> tuple:
        return (self.delegation.pk, self.item.pk, self.point.pk if self.point else None)


@dataclass
class SideProgress:
    delegation: Delegation
    required: int = 0
    answered: int = 0
    missing: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.answered == self.required


def response_round(*, workshop: Workshop) -> ResponseRound | None:
    return ResponseRound.objects.filter(workshop=workshop).first()


def adoption_mode(*, workshop: Workshop, delegation_id: int) -> str:
    """How this delegation adopts its responses: EndorsementVia.HEAD or
    .MAJORITY (the workshop's endorsement rule, as for measures)."""
    has_head = (
        Participant.objects.filter(delegation_id=delegation_id, role=Role.DELEGATE)
        .filter(permissions.delegation_heads())
        .exists()
    )
    return endorsement_mode(workshop=workshop, delegation_has_head=has_head)


def asks(
    *,
    workshop: Workshop,
    item: AgendaItem | None = None,
    points: list[AgendaPoint] | None = None,
) -> list[Ask]:
    """Everything the delegations answer (of `item`, or of the workshop), in
    agenda order, each delegation alike: each item by the delegation it is
    addressed to, and each point addressed to both governments by both.
    Sessions in draft do not count. A page that has read the item (with its
    session) and its `points` hands them in, and they are not read again."""
    delegations = list(Delegation.objects.filter(workshop=workshop))
    by_id = {d.pk: d for d in delegations}
    if item is not None:
        items = [item] if item.session.phase != Phase.DRAFT else []
    else:
        items = list(
            AgendaItem.objects.filter(session__workshop=workshop)
            .exclude(session__phase=Phase.DRAFT)
            .select_related("session")
            .order_by("session__number", "number")
        )
    both: dict[int, list[AgendaPoint]] = {}
    if points is None:
        points = AgendaPoint.objects.filter(
            item__in=items, addressed_to_both=True
        ).order_by("position")
    for point in points:
        if point.addressed_to_both:
            both.setdefault(point.item_id, []).append(point)
    result = []
    for one in items:
        result.append(Ask(by_id[one.addressed_to_id], one))
        for point in both.get(one.pk, ()):
            point.item = one
            result.extend(Ask(d, one, point) for d in delegations)
    return result


def _responses(
    round_: ResponseRound | None, item: AgendaItem | None = None
) -> dict[tuple, Response]:
    if round_ is None:
        return {}
    rows = Response.objects.filter(round=round_).select_related("adopted__asks_measure")
    if item is not None:
        rows = rows.filter(item=item)
    found = {}
    for r in rows:
        r.round = round_  # one row for all: no query per response
        found[(r.delegation_id, r.item_id, r.point_id)] = r
    return found


def response_progress(
    *, workshop: Workshop, round_: ResponseRound | None = None
) -> list[SideProgress]:
    """Per delegation (by code): how many of its asks have an adopted
    response, and which have none. Shown to everyone: it tells no stance."""
    round_ = round_ or response_round(workshop=workshop)
    found = _responses(round_)
    sides: dict[int, SideProgress] = {}
    for d in Delegation.objects.filter(workshop=workshop):
        sides[d.pk] = SideProgress(d)
    for ask in asks(workshop=workshop):
        side = sides[ask.delegation.pk]
        side.required += 1
        response = found.get(ask.key)
        if response is not None and response.adopted_id:
            side.answered += 1
        else:
            side.missing.append(ask.ref)
    return list(sides.values())


@dataclass
class ResponseView:
    """One ask as one viewer sees it."""

    ask: Ask
    response: Response | None
    # What the viewer may read: the adopted revision after the reveal; for
    # the answering delegation, also its latest draft. None: sealed or none.
    shown: ResponseRevision | None = None
    latest: ResponseRevision | None = None  # own delegation only
    own: bool = False
    sealed: bool = False
    revealed: bool = False
    replies: list = field(default_factory=list)
    history: list = field(default_factory=list)  # own delegation only
    previous: ResponseRevision | None = None  # the one adopted before `shown`

    @property
    def adopted_is_latest(self) -> bool:
        r = self.response
        return bool(
            r and r.adopted_id and self.latest and self.latest.pk == r.adopted_id
        )


def responses_for(
    *,
    participant: Participant,
    workshop: Workshop,
    item: AgendaItem | None = None,
    points: list[AgendaPoint] | None = None,
    round_: ResponseRound | None = None,
) -> list[ResponseView]:
    """Every ask (of `item`, or of the workshop) as `participant` may see it.
    Queries do not grow with the number of items."""
    round_ = round_ or response_round(workshop=workshop)
    found = _responses(round_, item)
    revealed = permissions.sees_revealed_responses(participant, round_)
    wanted = asks(workshop=workshop, item=item, points=points)
    own_ids = [
        r.pk
        for a in wanted
        if (r := found.get(a.key)) is not None
        and permissions.sees_response_drafts(participant, r)
    ]
    history: dict[int, list[ResponseRevision]] = {}
    if own_ids:
        for rev in (
            ResponseRevision.objects.filter(response_id__in=own_ids)
            .select_related("author", "asks_measure")
            .order_by("number")
        ):
            history.setdefault(rev.response_id, []).append(rev)
    adopted_before: dict[int, list[ResponseRevision]] = {}
    if revealed and found:
        # Revisions once adopted: "what changed" compares the shown one with
        # the one adopted before it (a draft never adopted stays unseen).
        for rev in ResponseRevision.objects.filter(
            response_id__in=[r.pk for r in found.values()], adopted_at__isnull=False
        ).order_by("number"):
            adopted_before.setdefault(rev.response_id, []).append(rev)
    replies: dict[int, list] = {}
    if revealed and found:
        for reply in (
            ResponseReply.objects.filter(response_id__in=[r.pk for r in found.values()])
            .select_related("author__user", "author__delegation")
            .order_by("created_at", "id")
        ):
            replies.setdefault(reply.response_id, []).append(reply)
    views = []
    for a in wanted:
        response = found.get(a.key)
        own = permissions.is_delegate(participant) and (
            participant.delegation_id == a.delegation.pk
        )
        view = ResponseView(ask=a, response=response, own=own, revealed=revealed)
        if response is not None and own:
            view.history = history.get(response.pk, [])
            view.latest = view.history[-1] if view.history else None
        if response is not None and response.adopted_id and (revealed or own):
            view.shown = response.adopted
        view.sealed = not revealed and not own
        if response is not None and revealed:
            view.replies = replies.get(response.pk, [])
            earlier = [
                r
                for r in adopted_before.get(response.pk, [])
                if view.shown is not None and r.number < view.shown.number
            ]
            view.previous = earlier[-1] if earlier else None
        views.append(view)
    return views


def revealed_stances(*, session) -> dict[int, list[Response]]:
    """Per item of `session`, the item-level responses everyone may read
    (adopted, after the reveal), for the agenda's stance badges. Empty
    before the reveal, for every viewer alike."""
    found: dict[int, list[Response]] = {}
    for response in (
        Response.objects.filter(
            round__workshop_id=session.workshop_id,
            round__revealed_at__isnull=False,
            item__session=session,
            point=None,
            adopted__isnull=False,
        )
        .select_related("adopted", "delegation")
        .order_by("delegation__code")
    ):
        found.setdefault(response.item_id, []).append(response)
    return found


@dataclass
class PublishedResponses:
    """What anyone in the workshop may read of the responses, with no viewer
    in particular (the summary): before the reveal only the progress, after
    it each ask's adopted revision."""

    round: ResponseRound | None
    progress: list[SideProgress]
    asks: list[Ask]
    adopted: dict[tuple, ResponseRevision] = field(default_factory=dict)

    @property
    def revealed(self) -> bool:
        return self.round is not None and self.round.revealed


def published_responses(*, workshop: Workshop) -> PublishedResponses:
    """The responses as everybody sees them (`sees_revealed_responses` for a
    viewer of the workshop): sealed, nothing but `response_progress`; once
    revealed, the adopted revision of every ask that has one. Queries do not
    grow with the number of items or responses."""
    round_ = response_round(workshop=workshop)
    progress = response_progress(workshop=workshop, round_=round_)
    wanted = asks(workshop=workshop)
    published = PublishedResponses(round=round_, progress=progress, asks=wanted)
    if not published.revealed:
        return published
    found = _responses(round_)
    for ask in wanted:
        response = found.get(ask.key)
        if response is not None and response.adopted_id:
            published.adopted[ask.key] = response.adopted
    return published


def adopted_by(*, participant: Participant, revisions) -> set[int]:
    """The ids among `revisions` that `participant` has adopted (their vote,
    under a majority rule), for the page not to offer it twice."""
    ids = [r.pk for r in revisions if r is not None]
    if not ids:
        return set()
    return set(
        ResponseAdoption.objects.filter(
            participant=participant, revision_id__in=ids
        ).values_list("revision_id", flat=True)
    )
