"""Business rules for workshops: import/export, session phases, live versions."""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F, Model

from dialogue.models import (
    AgendaItem,
    AgendaPoint,
    Delegation,
    Phase,
    PhaseChange,
    Session,
    Workshop,
)
from dialogue.workshop_file import (
    FORMAT_VERSION,
    WorkshopFileError,
    WorkshopSpec,
)


@dataclass
class ImportResult:
    workshop: Workshop
    created: bool
    changes: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(self.changes.values())

    def summary(self) -> str:
        counts = ", ".join(f"{n} {what}" for what, n in self.changes.items() if n)
        return counts or "no changes"


def _save_if_changed(
    model: type[Model], lookup: dict, values: dict, result: ImportResult, label: str
) -> Model:
    """Create or update one row, writing only when a value differs.

    Re-importing an unchanged file must change nothing, not even timestamps.
    """
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **values)
        result.changes[f"{label} created"] += 1
        return obj
    dirty = [name for name, value in values.items() if getattr(obj, name) != value]
    if dirty:
        for name in dirty:
            setattr(obj, name, values[name])
        obj.save()
        result.changes[f"{label} updated"] += 1
    return obj


def _delete_missing(queryset, result: ImportResult, label: str) -> None:
    count = queryset.count()
    if count:
        queryset.delete()
        result.changes[f"{label} deleted"] += count


def workshop_import(*, spec: WorkshopSpec) -> ImportResult:
    """Create or update a workshop from a validated file, all in one transaction.

    Rows are matched by their keys in the file (workshop slug, delegation code,
    session number, item number, point position), so importing the same file
    twice changes nothing and importing an edited file updates in place. Rows
    that the file no longer lists are deleted, except delegations that still
    have participants (that would orphan people): the import is refused.
    """
    changes = {}
    for label in ("workshop", "delegations", "sessions", "items", "points"):
        for action in ("created", "updated", "deleted"):
            changes[f"{label} {action}"] = 0
    with transaction.atomic():
        existing = Workshop.objects.select_for_update().filter(slug=spec.slug).first()
        result = ImportResult(workshop=existing, created=existing is None)
        result.changes = changes
        workshop = _save_if_changed(
            Workshop,
            {"slug": spec.slug},
            {
                "title": spec.title,
                "description": spec.description,
                "confidentiality": spec.confidentiality,
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
            d.code: _save_if_changed(
                Delegation,
                {"workshop": workshop, "code": d.code},
                {"name": d.name},
                result,
                "delegations",
            )
            for d in spec.delegations
        }

        numbers = [s.number for s in spec.sessions]
        _delete_missing(
            workshop.sessions.exclude(number__in=numbers), result, "sessions"
        )
        for session_spec in spec.sessions:
            _import_session(workshop, session_spec, delegations, result)

        # Items may reference a delegation that is about to go; they were
        # replaced above, so the delegation is free to delete now.
        _delete_missing(
            workshop.delegations.exclude(code__in=codes), result, "delegations"
        )
    return result


def _import_session(workshop, spec, delegations, result) -> None:
    session = _save_if_changed(
        Session,
        {"workshop": workshop, "number": spec.number},
        {
            "title": spec.title,
            "description": spec.description,
            "starts_at": spec.starts_at,
            "ends_at": spec.ends_at,
        },
        result,
        "sessions",
    )
    numbers = [i.number for i in spec.items]
    _delete_missing(session.items.exclude(number__in=numbers), result, "items")
    for item_spec in spec.items:
        item = _save_if_changed(
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
        _delete_missing(
            item.points.filter(position__gt=len(item_spec.points)), result, "points"
        )
        for position, text in enumerate(item_spec.points, start=1):
            _save_if_changed(
                AgendaPoint,
                {"item": item, "position": position},
                {"text": text},
                result,
                "points",
            )


def workshop_export(*, workshop: Workshop) -> dict:
    """The workshop as a workshop file (the format `workshop_import` reads)."""
    sessions = workshop.sessions.prefetch_related(
        "items__points", "items__proposed_by", "items__addressed_to"
    )
    return {
        "version": FORMAT_VERSION,
        "slug": workshop.slug,
        "title": workshop.title,
        "description": workshop.description,
        "source": {
            "title": workshop.source_title,
            "authors": list(workshop.source_authors),
            "date": workshop.source_date.isoformat() if workshop.source_date else "",
            "publisher": workshop.source_publisher,
            "url": workshop.source_url,
        },
        "confidentiality": workshop.confidentiality,
        "delegations": [
            {"code": d.code, "name": d.name} for d in workshop.delegations.all()
        ],
        "sessions": [_export_session(session) for session in sessions],
    }


def _export_session(session: Session) -> dict:
    data = {
        "number": session.number,
        "title": session.title,
        "description": session.description,
    }
    if session.starts_at:
        data["starts_at"] = session.starts_at.isoformat()
    if session.ends_at:
        data["ends_at"] = session.ends_at.isoformat()
    data["items"] = [
        {
            "number": item.number,
            "title": item.title,
            "body": item.body,
            "proposed_by": item.proposed_by.code,
            "addressed_to": item.addressed_to.code,
            "points": [point.text for point in item.points.all()],
        }
        for item in session.items.all()
    ]
    return data


class PhaseError(ValueError):
    pass


def session_set_phase(*, session: Session, phase: str, by=None) -> bool:
    """Move a session to `phase`, recording who did it. False if already there."""
    if phase not in Phase.values:
        raise PhaseError(f"{phase!r} is not a session phase")
    with transaction.atomic():
        locked = Session.objects.select_for_update().get(pk=session.pk)
        if locked.phase == phase:
            session.phase = phase
            return False
        old = locked.phase
        PhaseChange.objects.create(
            session=locked, from_phase=old, to_phase=phase, changed_by=by
        )
        locked.phase = phase
        locked.save(update_fields=["phase"])
        session_touch(session_id=locked.pk)
        # Each area reacts to the move in the same transaction: ranking opens
        # or closes its round, closing compiles the summary.
        from dialogue.services import rankings, summaries

        rankings.on_session_phase_change(session=locked, old=old, new=phase, by=by)
        summaries.on_session_phase_change(session=locked, old=old, new=phase, by=by)
    session.phase = phase
    return True


def session_touch(*, session_id: int) -> None:
    """Bump the session's version: live pages see the change on their next poll."""
    Session.objects.filter(pk=session_id).update(version=F("version") + 1)
