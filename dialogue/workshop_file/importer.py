"""Write a validated workshop file into the database, all in one transaction.

`workshop_import` takes the `WorkshopSpec` that `parse_workshop_file` returns
and creates or updates the workshop, its delegations, sessions, items, points
and (when the file has the key) its published measures with their answers and
endorsements, its item links with their verdicts (`link_rows`), its response
round (`response_rows`), its packages of measures (`package_rows`) and the
rapporteur's report drafts (`report_rows`),
matching rows by their keys in the file so that importing the same file twice
changes nothing (`rows` holds the write-only-what-differs helpers). It
refuses, with a `WorkshopFileError`, to orphan participants or to erase the
discussion (comments, rankings, measures) of rows the file no longer lists.
"""

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from dialogue.live import session_touch
from dialogue.models import (
    AgendaItem,
    AgendaPoint,
    Comment,
    Delegation,
    MeasureEndorsement,
    MeasureEvent,
    MeasureResponse,
    Participant,
    RankingEntry,
    ReciprocalMeasure,
    Response,
    Session,
    Workshop,
)
from dialogue.workshop_file.link_rows import import_links, link_people
from dialogue.workshop_file.measure_keys import measure_keys, published_measures
from dialogue.workshop_file.package_rows import import_packages
from dialogue.workshop_file.report_rows import import_report_drafts
from dialogue.workshop_file.response_rows import import_responses
from dialogue.workshop_file.rows import (  # ImportResult: for callers
    ImportResult,
    delete_missing,
    save_if_changed,
)
from dialogue.workshop_file.spec import (
    MeasureSpec,
    SessionSpec,
    WorkshopFileError,
    WorkshopSpec,
)


def workshop_import(*, spec: WorkshopSpec) -> ImportResult:
    """Create or update a workshop from a validated file, all in one transaction.

    See _workshop_import; this turns a lost race (two first imports of the same
    new slug at once) into a clear refusal instead of a database error.
    """
    try:
        return _workshop_import(spec=spec)
    except IntegrityError:
        raise WorkshopFileError(
            [
                (
                    "slug",
                    "another import of this workshop ran at the same time; try again",
                )
            ]
        ) from None


def _workshop_import(*, spec: WorkshopSpec) -> ImportResult:
    """Create or update a workshop from a validated file, all in one transaction.

    Rows are matched by their keys in the file (workshop slug, delegation code,
    session number, item number, point position), so importing the same file
    twice changes nothing and importing an edited file updates in place. Rows
    that the file no longer lists are deleted, except delegations that still
    have participants (that would orphan people): the import is refused.
    """
    changes = {}
    labels = ("workshop", "delegations", "sessions", "items", "points", "measures")
    labels += ("links",)
    for label in labels:
        for action in ("created", "updated", "deleted"):
            changes[f"{label} {action}"] = 0
    with transaction.atomic():
        existing = Workshop.objects.select_for_update().filter(slug=spec.slug).first()
        result = ImportResult(workshop=existing, created=existing is None)
        result.changes = changes
        if spec.measures is not None:
            participants = _measure_participants(existing, spec.measures)
        if spec.links is not None:
            links_people = link_people(existing, spec.links)
        workshop = save_if_changed(
            Workshop,
            {"slug": spec.slug},
            {
                "title": spec.title,
                "title_zh": spec.title_zh,
                "description": spec.description,
                "confidentiality": spec.confidentiality,
                "time_zone": spec.time_zone,
                "venue": spec.venue,
                "paper_size": spec.paper_size,
                "source_title": spec.source.title,
                "source_authors": list(spec.source.authors),
                "source_date": spec.source.date,
                "source_publisher": spec.source.publisher,
                "source_url": spec.source.url,
            },
            result,
            "workshop",
        )
        result.workshop = workshop

        codes = [d.code for d in spec.delegations]
        orphaned = (
            Delegation.objects.filter(workshop=workshop, participants__isnull=False)
            .exclude(code__in=codes)
            .values_list("code", flat=True)
            .distinct()
        )
        if orphaned:
            raise WorkshopFileError(
                [
                    (
                        "delegations",
                        f"{code!r} is missing from the file but still has "
                        "participants; move them to another delegation first",
                    )
                    for code in sorted(orphaned)
                ]
            )
        delegations = {
            d.code: save_if_changed(
                Delegation,
                {"workshop": workshop, "code": d.code},
                {"name": d.name, "name_zh": d.name_zh},
                result,
                "delegations",
            )
            for d in spec.delegations
        }

        numbers = [s.number for s in spec.sessions]
        gone = workshop.sessions.exclude(number__in=numbers)
        _refuse_losing_discussion(
            "sessions",
            [f"session {n}" for n in gone.values_list("number", flat=True)],
            AgendaItem.objects.filter(session__in=gone),
        )
        delete_missing(gone, result, "sessions")
        for index, session_spec in enumerate(spec.sessions):
            _import_session(workshop, session_spec, delegations, result, index)

        # Items may reference a delegation that is about to go; they were
        # replaced above, so the delegation is free to delete now.
        delete_missing(
            workshop.delegations.exclude(code__in=codes), result, "delegations"
        )
        if spec.measures is not None:
            _import_measures(workshop, spec.measures, participants, result)
        if spec.links is not None:
            import_links(workshop, spec.links, links_people, result)
        if spec.responses is not None:
            import_responses(workshop, spec, result)
        if spec.packages is not None:
            import_packages(workshop, spec, result)
        if spec.report_drafts is not None:
            import_report_drafts(workshop, spec, result)
        if result.changed:
            for session_id in workshop.sessions.values_list("pk", flat=True):
                # Live pages refresh, item pages too (texts, points).
                session_touch(session_id=session_id, items=True)
    return result


def _refuse_losing_discussion(
    path: str, labels: list[str], items: QuerySet[AgendaItem]
) -> None:
    """Refuse to delete agenda rows that the discussion refers to.

    `items` are the agenda items that would go (with everything on them).
    Comments, rankings and measures are the workshop's record: a file that
    drops their item is refused rather than silently erasing them.
    """
    if not labels:
        return
    used = (
        Comment.objects.filter(item__in=items).exists()
        or RankingEntry.objects.filter(item__in=items).exists()
        or ReciprocalMeasure.objects.filter(items__in=items).exists()
    )
    if used:
        raise WorkshopFileError(
            [
                (
                    path,
                    f"{', '.join(labels)} would be removed, but comments, "
                    "rankings or measures refer to them; keep them in the file",
                )
            ]
        )
    if Response.objects.filter(item__in=items).exists():
        raise WorkshopFileError(
            [
                (
                    path,
                    f"{', '.join(labels)} would be removed, but the delegations' "
                    "responses refer to them; keep them in the file",
                )
            ]
        )


def _import_session(
    workshop: Workshop,
    spec: SessionSpec,
    delegations: dict[str, Delegation],
    result: ImportResult,
    index: int,
) -> None:
    session = save_if_changed(
        Session,
        {"workshop": workshop, "number": spec.number},
        {
            "title": spec.title,
            "title_zh": spec.title_zh,
            "description": spec.description,
            "starts_at": spec.starts_at,
            "ends_at": spec.ends_at,
        },
        result,
        "sessions",
    )
    numbers = [i.number for i in spec.items]
    gone = session.items.exclude(number__in=numbers)
    _refuse_losing_discussion(
        f"sessions[{index}].items",
        [f"item {n}" for n in gone.values_list("number", flat=True)],
        gone,
    )
    delete_missing(gone, result, "items")
    for item_index, item_spec in enumerate(spec.items):
        item = save_if_changed(
            AgendaItem,
            {"session": session, "number": item_spec.number},
            {
                "title": item_spec.title,
                "body": item_spec.body,
                "proposed_by": delegations[item_spec.proposed_by],
                "addressed_to": delegations[item_spec.addressed_to],
            },
            result,
            "items",
        )
        _import_points(
            item, item_spec, f"sessions[{index}].items[{item_index}]", result
        )


def _import_points(item: AgendaItem, item_spec, path: str, result: ImportResult):
    """The item's points as the file lists them: one read of the existing
    ones, the new ones created together (a new item's, all at once)."""
    existing = {p.position: p for p in item.points.all()}
    if any(position > len(item_spec.points) for position in existing):
        dropped = item.points.filter(position__gt=len(item_spec.points))
        for what, kept in (
            ("comments", dropped.filter(comments__isnull=False).exists()),
            ("responses", Response.objects.filter(point__in=dropped).exists()),
        ):
            if kept:
                raise WorkshopFileError(
                    [
                        (
                            f"{path}.points",
                            f"item {item.number} would lose points that have "
                            f"{what}; keep them in the file",
                        )
                    ]
                )
        delete_missing(dropped, result, "points")
    new = []
    for position, text in enumerate(item_spec.points, start=1):
        values = {"text": text, "addressed_to_both": position in item_spec.both}
        point = existing.get(position)
        if point is None:
            new.append(AgendaPoint(item=item, position=position, **values))
        elif any(getattr(point, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(point, name, value)
            point.save()
            result.changes["points updated"] += 1
    if new:
        AgendaPoint.objects.bulk_create(new)
        result.changes["points created"] += len(new)


def _measure_participants(
    workshop: Workshop | None, measures: tuple[MeasureSpec, ...]
) -> dict[str, Participant]:
    """The participants the measures name, by username; WorkshopFileError
    naming each field whose username is not a participant of the workshop.

    Participants are not part of the file: they must exist before the import.
    """
    participants = {}
    if workshop is not None:
        participants = {
            p.user.get_username(): p
            for p in Participant.objects.filter(workshop=workshop).select_related(
                "user"
            )
        }
    errors = []

    def check(path: str, username: str) -> None:
        if username not in participants:
            errors.append((path, f"{username!r} is not a participant of this workshop"))

    for index, m in enumerate(measures):
        path = f"measures[{index}]"
        check(f"{path}.proposer", m.proposer)
        for r_index, response in enumerate(m.responses):
            check(f"{path}.responses[{r_index}].username", response.username)
        for e_index, endorsement in enumerate(m.endorsements):
            if endorsement.by:
                check(f"{path}.endorsements[{e_index}].by", endorsement.by)
    if errors:
        raise WorkshopFileError(errors)
    return participants


MEASURE_FIELDS = (
    "title",
    "our_action",
    "their_action",
    "sequencing",
    "conditionality",
    "verification",
    "timeframe",
    "reversibility",
    "measure_type",
)


def _import_measures(
    workshop: Workshop,
    specs: tuple[MeasureSpec, ...],
    participants: dict[str, Participant],
    result: ImportResult,
) -> None:
    """Make the workshop's published measures those of the file, writing only
    what differs; drafts are left alone."""
    existing = list(published_measures(workshop))
    keys = measure_keys(existing)
    by_key = {keys[m.pk]: m for m in existing if m.pk in keys}
    wanted = {spec.key for spec in specs}
    delete_missing(
        ReciprocalMeasure.objects.filter(
            pk__in=[m.pk for key, m in by_key.items() if key not in wanted]
        ),
        result,
        "measures",
    )
    items = {
        (item.session.number, item.number): item.pk
        for item in AgendaItem.objects.filter(
            session__workshop=workshop
        ).select_related("session")
    }
    delegations = {d.code: d for d in workshop.delegations.all()}
    saved: dict[str, ReciprocalMeasure] = {}
    now = timezone.now()
    for spec in specs:
        measure = by_key.get(spec.key)
        previous = saved.get(spec.revision_of) if spec.revision_of else None
        values = {name: getattr(spec, name) for name in MEASURE_FIELDS} | {
            "proposer": participants[spec.proposer],
            "proposing_delegation": delegations[spec.proposing_delegation],
            "status": spec.status,
            "revision": spec.revision,
            "revision_of": previous,
            "proposed_at": spec.proposed_at
            or (measure.proposed_at if measure else now),
        }
        old_status = measure.status if measure else ""
        if measure is None:
            measure = ReciprocalMeasure.objects.create(
                workshop=workshop,
                created_at=values["proposed_at"],
                root=previous.root if previous else None,
                **values,
            )
            if previous is None:
                measure.root = measure
                measure.save(update_fields=["root"])
            result.changes["measures created"] += 1
            dirty = True
        else:
            names = [k for k, v in values.items() if getattr(measure, k) != v]
            for name in names:
                setattr(measure, name, values[name])
            if names:
                measure.save()
            dirty = bool(names)
        item_ids = {items[ref] for ref in spec.items}
        if {i.pk for i in measure.items.all()} != item_ids:
            measure.items.set(item_ids)
            dirty = True
        dirty |= _import_responses(measure, spec, participants)
        dirty |= _import_endorsements(measure, spec, participants, delegations)
        if old_status != measure.status:
            MeasureEvent.objects.create(
                measure=measure,
                kind="imported",
                from_status=old_status,
                to_status=measure.status,
            )
        if dirty and old_status:
            result.changes["measures updated"] += 1
        saved[spec.key] = measure
    if (
        result.changes["measures created"]
        + result.changes["measures updated"]
        + (result.changes["measures deleted"])
    ):
        for session_id in workshop.sessions.order_by("pk").values_list("pk", flat=True):
            session_touch(session_id=session_id)


def _import_responses(
    measure: ReciprocalMeasure,
    spec: MeasureSpec,
    participants: dict[str, Participant],
) -> bool:
    current = {r.participant.user.get_username(): r for r in measure.responses.all()}
    wanted = {r.username for r in spec.responses}
    stale = [r.pk for name, r in current.items() if name not in wanted]
    changed = bool(stale)
    MeasureResponse.objects.filter(pk__in=stale).delete()
    for r in spec.responses:
        response = current.get(r.username)
        at = r.at or (response.updated_at if response else timezone.now())
        if response is None:
            MeasureResponse.objects.create(
                measure=measure,
                participant=participants[r.username],
                stance=r.stance,
                reason=r.reason,
                created_at=at,
                updated_at=at,
            )
            changed = True
        elif (response.stance, response.reason, response.updated_at) != (
            r.stance,
            r.reason,
            at,
        ):
            response.stance, response.reason, response.updated_at = (
                r.stance,
                r.reason,
                at,
            )
            response.save()
            changed = True
    return changed


def _import_endorsements(
    measure: ReciprocalMeasure,
    spec: MeasureSpec,
    participants: dict[str, Participant],
    delegations: dict[str, Delegation],
) -> bool:
    current = {e.delegation.code: e for e in measure.endorsements.all()}
    wanted = {e.delegation for e in spec.endorsements}
    stale = [e.pk for code, e in current.items() if code not in wanted]
    changed = bool(stale)
    MeasureEndorsement.objects.filter(pk__in=stale).delete()
    for e in spec.endorsements:
        endorsement = current.get(e.delegation)
        values = {
            "via": e.via,
            "endorsed_by": participants[e.by] if e.by else None,
            "endorsed_at": e.at
            or (endorsement.endorsed_at if endorsement else timezone.now()),
        }
        if endorsement is None:
            MeasureEndorsement.objects.create(
                measure=measure, delegation=delegations[e.delegation], **values
            )
            changed = True
        elif any(getattr(endorsement, k) != v for k, v in values.items()):
            for name, value in values.items():
                setattr(endorsement, name, value)
            endorsement.save()
            changed = True
    return changed
