"""The item links in the workshop file, written by the import: `link_people`
checks, before anything is written, that the names the links give are users
and participants, and `import_links` makes the workshop's links the file's,
matched by their pair of ends, writing only what differs. (The export of
links is in `exporter`.)
"""

from django.contrib.auth import get_user_model
from django.utils import timezone

from dialogue.models import (
    AgendaItem,
    ItemLink,
    LinkDecision,
    LinkVerdict,
    Participant,
    Workshop,
)
from dialogue.workshop_file.rows import ImportResult, delete_missing, save_if_changed
from dialogue.workshop_file.spec import LinkSpec, WorkshopFileError


def link_people(workshop: Workshop | None, links: tuple[LinkSpec, ...]) -> dict:
    """{"users": by username, "participants": by username} for the names the
    links give; WorkshopFileError naming each field whose name is unknown.
    A suggester is any user (organisers need not be participants); a
    delegation's verdict is given by one of the workshop's participants."""
    participants = {}
    if workshop is not None:
        participants = {
            p.user.get_username(): p
            for p in Participant.objects.filter(workshop=workshop).select_related(
                "user"
            )
        }
    wanted = {link.suggested_by for link in links if link.suggested_by}
    users = {
        u.get_username(): u
        for u in get_user_model().objects.filter(username__in=sorted(wanted))
    }
    errors = []
    for index, link in enumerate(links):
        if link.suggested_by and link.suggested_by not in users:
            errors.append(
                (f"links[{index}].suggested_by", f"{link.suggested_by!r} is not a user")
            )
        for v_index, verdict in enumerate(link.verdicts):
            if verdict.by not in participants:
                errors.append(
                    (
                        f"links[{index}].verdicts[{v_index}].by",
                        f"{verdict.by!r} is not a participant of this workshop",
                    )
                )
    if errors:
        raise WorkshopFileError(errors)
    return {"users": users, "participants": participants}


def import_links(
    workshop: Workshop, specs: tuple[LinkSpec, ...], people: dict, result: ImportResult
) -> None:
    """Make the workshop's links those of the file, matched by their pair of
    ends, writing only what differs."""
    items = {
        (item.session.number, item.number): item
        for item in AgendaItem.objects.filter(session__workshop=workshop)
        .select_related("session")
        .prefetch_related("points")
    }
    points = {
        (key, point.position): point
        for key, item in items.items()
        for point in item.points.all()
    }
    delegations = {d.code: d for d in workshop.delegations.all()}

    def end(spec_end):
        return items[spec_end.item], points.get((spec_end.item, spec_end.point))

    rows = []
    for spec in specs:
        (item_a, point_a), (item_b, point_b) = end(spec.a), end(spec.b)
        values = {
            "kind": spec.kind,
            "item_a": item_a,
            "point_a": point_a,
            "quote_a": spec.a.quote,
            "item_b": item_b,
            "point_b": point_b,
            "quote_b": spec.b.quote,
            "note": spec.note,
            "suggested_by": people["users"].get(spec.suggested_by),
            "suggested_for": delegations.get(spec.suggested_for),
        }
        pair = ItemLink.pair_of(
            item_a.pk,
            point_a.pk if point_a else None,
            item_b.pk,
            point_b.pk if point_b else None,
        )
        rows.append((spec, pair, values))
    delete_missing(
        ItemLink.objects.filter(workshop=workshop).exclude(
            pair__in=[pair for _spec, pair, _values in rows]
        ),
        result,
        "links",
    )
    for spec, pair, values in rows:
        before = dict(result.changes)
        link = save_if_changed(
            ItemLink, {"workshop": workshop, "pair": pair}, values, result, "links"
        )
        verdicts_changed = _import_verdicts(
            link, spec, people["participants"], delegations
        )
        if verdicts_changed and result.changes == before:
            result.changes["links updated"] += 1


def _import_verdicts(link: ItemLink, spec: LinkSpec, participants, delegations):
    """One verdict per delegation: the file's decision, or pending."""
    current = {v.delegation_id: v for v in link.verdicts.all()}
    given = {v.delegation: v for v in spec.verdicts}
    changed = False
    for code, delegation in delegations.items():
        verdict = given.get(code)
        row = current.get(delegation.pk)
        if verdict is None:
            values = {"decision": LinkDecision.PENDING, "decided_by": None}
            values["decided_at"] = None
        else:
            at = verdict.at or (row.decided_at if row else None) or timezone.now()
            values = {
                "decision": verdict.decision,
                "decided_by": participants[verdict.by],
                "decided_at": at,
            }
        if row is None:
            LinkVerdict.objects.create(link=link, delegation=delegation, **values)
            changed = True
        elif any(getattr(row, k) != v for k, v in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            row.save()
            changed = True
    return changed
