"""The response round in the workshop file, both ways: `export_responses`
reads it into the file's "response_round" and "responses" keys, and
`import_responses` makes the database say what a validated file says.

This is the organiser's full backup: it holds every revision, drafts of a
sealed round included. It is reached only from the admin's export (staff
with the view permission) and `manage.py export_workshop`; no page a
participant can open serves it.

Rows are matched by (delegation, item, point). A response whose history in
the file differs from the database's is replaced as a whole (its revisions,
adoptions and replies), and one the file does not list is deleted, so an
export imports back onto the same rows, and importing the same file twice
changes nothing. A timestamp left out of a hand-written file matches any.
"""

from django.contrib.auth import get_user_model
from django.db.models import F, Prefetch

from dialogue.live import workshop_touch
from dialogue.models import (
    AgendaItem,
    AgendaPoint,
    Participant,
    Response,
    ResponseAdoption,
    ResponseReply,
    ResponseRevision,
    ResponseRound,
    Workshop,
)
from dialogue.workshop_file.measure_keys import measure_keys, published_measures
from dialogue.workshop_file.spec import AnswerSpec, WorkshopFileError, WorkshopSpec


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _username(user) -> str | None:
    return user.get_username() if user is not None else None


def _responses(round_: ResponseRound):
    return (
        Response.objects.filter(round=round_)
        .select_related("delegation", "item__session", "point", "adopted")
        .prefetch_related(
            Prefetch(
                "revisions",
                queryset=ResponseRevision.objects.select_related("author").order_by(
                    "number"
                ),
            ),
            Prefetch(
                "revisions__adoptions",
                queryset=ResponseAdoption.objects.select_related(
                    "participant__user"
                ).order_by("created_at", "id"),
            ),
            Prefetch(
                "replies",
                queryset=ResponseReply.objects.select_related("author__user").order_by(
                    "created_at", "id"
                ),
            ),
        )
    )


def _order(response: Response) -> tuple:
    return (
        response.item.session.number,
        response.item.number,
        response.point.position if response.point_id else 0,
        response.delegation.code,
    )


def export_responses(workshop: Workshop) -> dict:
    """{"response_round": ..., "responses": [...]}, or {} when the workshop
    has no round, so a workshop without one exports exactly as before."""
    round_ = (
        ResponseRound.objects.filter(workshop=workshop)
        .select_related("opened_by", "revealed_by")
        .first()
    )
    if round_ is None:
        return {}
    keys = measure_keys(list(published_measures(workshop)))
    responses = sorted(_responses(round_), key=_order)
    return {
        "response_round": {
            "opened_by": _username(round_.opened_by),
            "opened_at": _iso(round_.opened_at),
            "revealed_by": _username(round_.revealed_by),
            "revealed_at": _iso(round_.revealed_at),
            "unanswered": [
                {"delegation": u["delegation"], "ref": u["ref"]}
                for u in round_.unanswered
            ],
        },
        "responses": [_export_response(r, keys) for r in responses],
    }


def _export_response(response: Response, keys: dict[int, str]) -> dict:
    item = response.item
    return {
        "delegation": response.delegation.code,
        "item": f"{item.session.number}.{item.number}",
        "point": response.point.position if response.point_id else None,
        "revisions": [
            {
                "number": rev.number,
                "stance": rev.stance,
                "reasoning": rev.reasoning,
                "conditions": rev.conditions,
                # A measure still in its proposer's draft has no key.
                "asks_measure": keys.get(rev.asks_measure_id),
                "author": _username(rev.author),
                "at": _iso(rev.created_at),
                "after_reveal": rev.after_reveal,
                "adoptions": [
                    {
                        "by": a.participant.user.get_username(),
                        "via": a.via,
                        "at": _iso(a.created_at),
                    }
                    for a in rev.adoptions.all()
                ],
            }
            for rev in response.revisions.all()
        ],
        "adopted": response.adopted.number if response.adopted_id else None,
        "replies": [
            {
                "author": reply.author.user.get_username(),
                "kind": reply.kind,
                "body": reply.body,
                "at": _iso(reply.created_at),
            }
            for reply in response.replies.all()
        ],
    }


class _Any:
    """A timestamp the file leaves out: it matches whatever is stored."""

    def __eq__(self, other):
        return True

    __hash__ = None


def _when(value):
    return _Any() if value is None else value


def _spec_shape(spec: AnswerSpec) -> tuple:
    return (
        spec.adopted,
        tuple(
            (
                r.number,
                r.stance,
                r.reasoning,
                r.conditions,
                r.asks_measure,
                r.author,
                _when(r.at),
                r.after_reveal,
                tuple((a.by, a.via, _when(a.at)) for a in r.adoptions),
            )
            for r in spec.revisions
        ),
        tuple((p.author, p.kind, p.body, _when(p.at)) for p in spec.replies),
    )


def _db_shape(response: Response, keys: dict[int, str]) -> tuple:
    return (
        response.adopted.number if response.adopted_id else None,
        tuple(
            (
                r.number,
                r.stance,
                r.reasoning,
                r.conditions,
                keys.get(r.asks_measure_id),
                _username(r.author),
                r.created_at,
                r.after_reveal,
                tuple(
                    (a.participant.user.get_username(), a.via, a.created_at)
                    for a in r.adoptions.all()
                ),
            )
            for r in response.revisions.all()
        ),
        tuple(
            (p.author.user.get_username(), p.kind, p.body, p.created_at)
            for p in response.replies.all()
        ),
    )


def _people(workshop: Workshop, spec: WorkshopSpec):
    """The users and participants the file names, by username; a
    WorkshopFileError naming each field whose username is unknown."""
    participants = {
        p.user.get_username(): p
        for p in Participant.objects.filter(workshop=workshop).select_related("user")
    }
    User = get_user_model()
    named = set()
    if spec.response_round is not None:
        named |= {spec.response_round.opened_by, spec.response_round.revealed_by}
    for answer in spec.responses:
        named |= {r.author for r in answer.revisions}
    named.discard(None)
    users = {
        u.get_username(): u
        for u in User.objects.filter(**{f"{User.USERNAME_FIELD}__in": named})
    }
    errors = []
    if spec.response_round is not None:
        for key in ("opened_by", "revealed_by"):
            name = getattr(spec.response_round, key)
            if name and name not in users:
                errors.append((f"response_round.{key}", f"{name!r} is not a user"))
    for index, answer in enumerate(spec.responses):
        path = f"responses[{index}]"
        for r_index, rev in enumerate(answer.revisions):
            here = f"{path}.revisions[{r_index}]"
            if rev.author and rev.author not in users:
                errors.append((f"{here}.author", f"{rev.author!r} is not a user"))
            for a_index, adoption in enumerate(rev.adoptions):
                if adoption.by not in participants:
                    errors.append(
                        (
                            f"{here}.adoptions[{a_index}].by",
                            f"{adoption.by!r} is not a participant of this workshop",
                        )
                    )
        for p_index, reply in enumerate(answer.replies):
            if reply.author not in participants:
                errors.append(
                    (
                        f"{path}.replies[{p_index}].author",
                        f"{reply.author!r} is not a participant of this workshop",
                    )
                )
    if errors:
        raise WorkshopFileError(errors)
    return users, participants


def import_responses(workshop: Workshop, spec: WorkshopSpec, result) -> None:
    """Make the workshop's response round the file's (`spec.responses` is
    not None). Runs inside the import's transaction, after the agenda and
    the measures: a WorkshopFileError here undoes the whole import."""
    for action in ("created", "updated", "deleted"):
        result.changes.setdefault(f"responses {action}", 0)
    existing = ResponseRound.objects.filter(workshop=workshop).first()
    if spec.response_round is None:
        if existing is not None:
            result.changes["responses deleted"] += existing.responses.count()
            existing.delete()
            workshop_touch(workshop_id=workshop.pk)
        return
    users, participants = _people(workshop, spec)
    keys = measure_keys(list(published_measures(workshop)))
    measures = {key: pk for pk, key in keys.items()}
    _check_measures(spec, measures)
    changed = _import_round(workshop, spec, existing, users)
    round_ = ResponseRound.objects.get(workshop=workshop)
    items = {
        (i.session.number, i.number): i
        for i in AgendaItem.objects.filter(session__workshop=workshop).select_related(
            "session"
        )
    }
    points = {
        (p.item_id, p.position): p
        for p in AgendaPoint.objects.filter(item__session__workshop=workshop)
    }
    delegations = {d.code: d for d in workshop.delegations.all()}
    current = {
        (r.delegation.code, _order(r)[:2], r.point.position if r.point_id else None): r
        for r in _responses(round_)
    }
    wanted = {(a.delegation, a.item, a.point) for a in spec.responses}
    stale = [r.pk for key, r in current.items() if key not in wanted]
    if stale:
        Response.objects.filter(pk__in=stale).delete()
        result.changes["responses deleted"] += len(stale)
        changed = True
    for answer in spec.responses:
        key = (answer.delegation, answer.item, answer.point)
        response = current.get(key)
        if response is not None and _db_shape(response, keys) == _spec_shape(answer):
            continue
        if response is not None:
            response.delete()
        item = items[answer.item]
        _create(
            round_=round_,
            answer=answer,
            delegation=delegations[answer.delegation],
            item=item,
            point=points[(item.pk, answer.point)] if answer.point else None,
            users=users,
            participants=participants,
            measures=measures,
        )
        result.changes[f"responses {'updated' if response else 'created'}"] += 1
        changed = True
    if changed:
        ResponseRound.objects.filter(pk=round_.pk).update(version=F("version") + 1)
        workshop_touch(workshop_id=workshop.pk)


def _check_measures(spec: WorkshopSpec, measures: dict[str, int]) -> None:
    errors = [
        (
            f"responses[{index}].revisions[{r_index}].asks_measure",
            f"{rev.asks_measure!r} is not a measure of this workshop",
        )
        for index, answer in enumerate(spec.responses)
        for r_index, rev in enumerate(answer.revisions)
        if rev.asks_measure and rev.asks_measure not in measures
    ]
    if errors:
        raise WorkshopFileError(errors)


def _import_round(workshop, spec: WorkshopSpec, existing, users) -> bool:
    """Create or update the round's own row; True if it changed."""
    r = spec.response_round

    def user_id(name):
        return users[name].pk if name else None

    values = {
        "opened_by_id": user_id(r.opened_by),
        "revealed_by_id": user_id(r.revealed_by),
        "revealed_at": r.revealed_at,
        "unanswered": [{"delegation": d, "ref": ref} for d, ref in r.unanswered],
    }
    if r.opened_at is not None:  # auto_now_add: set after the insert
        values["opened_at"] = r.opened_at
    if existing is None:
        existing = ResponseRound.objects.create(workshop=workshop)
        dirty = values
    else:
        dirty = {k: v for k, v in values.items() if getattr(existing, k) != v}
    if dirty:
        ResponseRound.objects.filter(pk=existing.pk).update(**dirty)
    return bool(dirty)


def _create(
    *,
    round_,
    answer: AnswerSpec,
    delegation,
    item,
    point,
    users,
    participants,
    measures,
) -> None:
    response = Response.objects.create(
        round=round_,
        delegation=delegation,
        item=item,
        point=point,
        revision=len(answer.revisions),
    )
    adopted = None
    for rev in answer.revisions:
        row = ResponseRevision.objects.create(
            response=response,
            number=rev.number,
            stance=rev.stance,
            reasoning=rev.reasoning,
            conditions=rev.conditions,
            asks_measure_id=measures.get(rev.asks_measure)
            if rev.asks_measure
            else None,
            author=users.get(rev.author) if rev.author else None,
            after_reveal=rev.after_reveal,
        )
        if rev.at is not None:
            ResponseRevision.objects.filter(pk=row.pk).update(created_at=rev.at)
        for adoption in rev.adoptions:
            vote = ResponseAdoption.objects.create(
                revision=row, participant=participants[adoption.by], via=adoption.via
            )
            if adoption.at is not None:
                ResponseAdoption.objects.filter(pk=vote.pk).update(
                    created_at=adoption.at
                )
        if rev.number == answer.adopted:
            adopted = row
    if adopted is not None:
        Response.objects.filter(pk=response.pk).update(adopted=adopted)
    for reply in answer.replies:
        row = ResponseReply.objects.create(
            response=response,
            author=participants[reply.author],
            kind=reply.kind,
            body=reply.body,
        )
        if reply.at is not None:
            ResponseReply.objects.filter(pk=row.pk).update(created_at=reply.at)
