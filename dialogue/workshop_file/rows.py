"""Writing an import's rows only where they differ, and counting what changed.

Shared by the importer and its parts (`link_rows`, `package_rows`): a row is
created, updated only when a value differs, or deleted, and each is counted
in the `ImportResult` under its label ("links created", ...).
"""

from dataclasses import dataclass, field

from django.db.models import Model, QuerySet

from dialogue.models import Workshop


@dataclass
class ImportResult:
    """What one import did: the workshop, whether it is new, counts by change."""

    workshop: Workshop
    created: bool
    changes: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(self.changes.values())

    def summary(self) -> str:
        counts = ", ".join(f"{what}: {n}" for what, n in self.changes.items() if n)
        return counts or "no changes"


def save_if_changed(
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


def delete_missing(queryset: QuerySet, result: ImportResult, label: str) -> None:
    count = queryset.count()
    if count:
        queryset.delete()
        result.changes[f"{label} deleted"] += count
