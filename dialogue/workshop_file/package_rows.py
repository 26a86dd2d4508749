"""The packages of measures in the workshop file, both ways: `export_packages`
reads them into the file's "packages" key, and `import_packages` makes the
database say what a validated file says.

Packages are keyed "p<number>", numbered in the order they were created
(created_at, then id), so an export imports back onto the same rows.
Members are named by their measure keys (`measure_keys`), in the history's
detail too, where a measure that has no key any more (deleted) is null.
Rows are matched by key and only what differs is written; a package the
file does not list is deleted, and a package's history that differs from
the file's is replaced as a whole, so importing the same file twice changes
nothing. A timestamp left out of a hand-written file matches any.
"""

from django.db.models import Prefetch
from django.utils import timezone

from dialogue.models import (
    MeasurePackage,
    PackageEndorsement,
    PackageEvent,
    Participant,
    Workshop,
)
from dialogue.workshop_file.measure_keys import measure_keys, published_measures
from dialogue.workshop_file.spec import PackageSpec, WorkshopFileError, WorkshopSpec


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _username(participant) -> str | None:
    return participant.user.get_username() if participant is not None else None


def _packages(workshop: Workshop) -> list[MeasurePackage]:
    """The workshop's packages in key order (p1, p2, ...)."""
    return list(
        MeasurePackage.objects.filter(workshop=workshop)
        .select_related("created_by__user")
        .prefetch_related(
            "members",
            Prefetch(
                "endorsements",
                queryset=PackageEndorsement.objects.select_related(
                    "delegation", "endorsed_by__user"
                ).order_by("delegation__code"),
            ),
            Prefetch(
                "events",
                queryset=PackageEvent.objects.select_related("actor__user").order_by(
                    "at", "id"
                ),
            ),
        )
        .order_by("created_at", "id")
    )


def _key_order(key: str) -> tuple[int, int]:
    chain, revision = key.split("-r")
    return int(chain), int(revision)


def _detail_out(detail: dict, keys: dict[int, str]) -> dict:
    """The stored detail with measure ids as measure keys, keys sorted."""
    out = {}
    for name in sorted(detail):
        value = detail[name]
        if name in ("measure", "replaces"):
            value = keys.get(value)
        elif name == "members":
            value = [_detail_out(m, keys) for m in value]
        out[name] = value
    return out


def _detail_in(detail: dict, ids: dict[str, int]) -> dict:
    """The file's detail with measure keys as measure ids."""
    out = {}
    for name, value in detail.items():
        if name in ("measure", "replaces"):
            value = ids.get(value) if value else None
        elif name == "members":
            value = [_detail_in(m, ids) for m in value]
        out[name] = value
    return out


def export_packages(workshop: Workshop) -> dict:
    """{"packages": [...]}, or {} when the workshop has none, so a workshop
    without packages exports exactly as before."""
    packages = _packages(workshop)
    if not packages:
        return {}
    keys = measure_keys(list(published_measures(workshop)))
    return {
        "packages": [
            _export_package(number, package, keys)
            for number, package in enumerate(packages, start=1)
        ]
    }


def _export_package(number: int, package: MeasurePackage, keys) -> dict:
    # A draft has no key; a package never holds one (its members are on the
    # table when they join), so nothing is left out here in practice.
    members = sorted(
        (keys[m.pk] for m in package.members.all() if m.pk in keys), key=_key_order
    )
    return {
        "key": f"p{number}",
        "title": package.title,
        "note": package.note,
        "creator": _username(package.created_by),
        "members": members,
        "status": package.status,
        "created_at": _iso(package.created_at),
        "endorsements": [
            {
                "delegation": e.delegation.code,
                "via": e.via,
                "by": _username(e.endorsed_by),
                "at": _iso(e.endorsed_at),
                "suspended_at": _iso(e.suspended_at),
            }
            for e in package.endorsements.all()
        ],
        "history": [
            {
                "kind": event.kind,
                "actor": _username(event.actor),
                "detail": _detail_out(event.detail or {}, keys),
                "at": _iso(event.at),
            }
            for event in package.events.all()
        ],
    }


class _Any:
    """A timestamp the file leaves out: it matches whatever is stored."""

    def __eq__(self, other):
        return True

    __hash__ = None


def _when(value):
    return _Any() if value is None else value


def _check(spec: WorkshopSpec, participants: dict, ids: dict[str, int]) -> None:
    """Every name is a participant and every member a (non-draft) measure of
    the workshop; else a WorkshopFileError naming each field."""
    errors = []

    def person(path: str, name: str | None) -> None:
        if name and name not in participants:
            errors.append((path, f"{name!r} is not a participant of this workshop"))

    for index, package in enumerate(spec.packages):
        path = f"packages[{index}]"
        person(f"{path}.creator", package.creator)
        for m_index, key in enumerate(package.members):
            if key not in ids:
                errors.append(
                    (
                        f"{path}.members[{m_index}]",
                        f"{key!r} is not a measure of this workshop that both "
                        "sides can see",
                    )
                )
        for e_index, endorsement in enumerate(package.endorsements):
            person(f"{path}.endorsements[{e_index}].by", endorsement.by)
        for h_index, event in enumerate(package.history):
            person(f"{path}.history[{h_index}].actor", event.actor)
    if errors:
        raise WorkshopFileError(errors)


def import_packages(workshop: Workshop, spec: WorkshopSpec, result) -> None:
    """Make the workshop's packages the file's (`spec.packages` is not None).
    Runs inside the import's transaction, after the measures: a
    WorkshopFileError here undoes the whole import."""
    for action in ("created", "updated", "deleted"):
        result.changes.setdefault(f"packages {action}", 0)
    participants = {
        p.user.get_username(): p
        for p in Participant.objects.filter(workshop=workshop).select_related("user")
    }
    # Drafts have no key, so a draft can never become a member here.
    keys = measure_keys(list(published_measures(workshop)))
    ids = {key: pk for pk, key in keys.items()}
    _check(spec, participants, ids)
    existing = {f"p{n}": p for n, p in enumerate(_packages(workshop), start=1)}
    wanted = {p.key for p in spec.packages}
    stale = [p.pk for key, p in existing.items() if key not in wanted]
    if stale:
        MeasurePackage.objects.filter(pk__in=stale).delete()
        result.changes["packages deleted"] += len(stale)
    delegations = {d.code: d for d in workshop.delegations.all()}
    for package_spec in spec.packages:
        package = existing.get(package_spec.key)
        values = {
            "title": package_spec.title,
            "note": package_spec.note,
            "created_by": participants[package_spec.creator],
            "status": package_spec.status,
            "created_at": package_spec.created_at
            or (package.created_at if package else timezone.now()),
        }
        if package is None:
            package = MeasurePackage.objects.create(workshop=workshop, **values)
            result.changes["packages created"] += 1
            dirty = False
        else:
            names = [k for k, v in values.items() if getattr(package, k) != v]
            for name in names:
                setattr(package, name, values[name])
            if names:
                package.save()
            dirty = bool(names)
        member_ids = {ids[key] for key in package_spec.members}
        if {m.pk for m in package.members.all()} != member_ids:
            package.members.set(member_ids)
            dirty = True
        dirty |= _import_endorsements(package, package_spec, participants, delegations)
        dirty |= _import_history(package, package_spec, participants, ids)
        if dirty and package_spec.key in existing:
            result.changes["packages updated"] += 1


def _import_endorsements(package, spec: PackageSpec, participants, delegations):
    current = {e.delegation.code: e for e in package.endorsements.all()}
    wanted = {e.delegation for e in spec.endorsements}
    stale = [e.pk for code, e in current.items() if code not in wanted]
    PackageEndorsement.objects.filter(pk__in=stale).delete()
    changed = bool(stale)
    for e in spec.endorsements:
        row = current.get(e.delegation)
        values = {
            "via": e.via,
            "endorsed_by": participants[e.by] if e.by else None,
            "endorsed_at": e.at or (row.endorsed_at if row else timezone.now()),
            "suspended_at": e.suspended_at,
        }
        if row is None:
            PackageEndorsement.objects.create(
                package=package, delegation=delegations[e.delegation], **values
            )
            changed = True
        elif any(getattr(row, k) != v for k, v in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            row.save()
            changed = True
    return changed


def _import_history(package, spec: PackageSpec, participants, ids) -> bool:
    """The file's history, written as a whole when it differs from the stored."""
    stored = [
        (e.kind, _username(e.actor), e.detail or {}, e.at) for e in package.events.all()
    ]
    wanted = [
        (e.kind, e.actor, _detail_in(e.detail, ids), _when(e.at)) for e in spec.history
    ]
    if wanted == stored:
        return False
    package.events.all().delete()
    now = timezone.now()
    PackageEvent.objects.bulk_create(
        PackageEvent(
            package=package,
            kind=e.kind,
            actor=participants.get(e.actor) if e.actor else None,
            detail=_detail_in(e.detail, ids),
            at=e.at or now,
        )
        for e in spec.history
    )
    return True
