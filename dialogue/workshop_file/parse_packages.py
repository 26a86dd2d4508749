"""Validate the optional "packages" key of a workshop file.

Each entry is a package of measures (dialogue.models.packages): its key
"p<number>" (numbered 1, 2, ... in the order the packages were created, and
listed in that order), title, note, creator, its members by their measure
keys, each delegation's endorsement of it as a whole, and its history.
Beyond the fields: every member is a measure of the file, not a draft
(a package holds only measures both sides can see), at least two of them;
a delegation endorses once; and the status is the one the endorsements
imply (`package_members.settle`), or "withdrawn". Pure: no database, no
models.

The allowed values are the models' own vocabularies, from dialogue.vocabulary.
"""

import re
from typing import Any

from dialogue.vocabulary import EndorsementVia, PackageEventKind, PackageStatus
from dialogue.workshop_file.collector import Collector, join_path, kind_of
from dialogue.workshop_file.spec import (
    MeasureSpec,
    PackageEndorsementSpec,
    PackageEventSpec,
    PackageSpec,
)

PACKAGE_KEY_RE = re.compile(r"^p([1-9][0-9]{0,5})\Z")
PACKAGE_STATUSES = tuple(PackageStatus.values)
EVENT_KINDS = tuple(PackageEventKind.values)
VIAS = tuple(EndorsementVia.values)
MIN_MEMBERS = 2  # dialogue.services.packages.MIN_MEMBERS

# What a history line's detail may hold (dialogue.services.package_events).
DETAIL_MEASURES = ("measure", "replaces")  # measure keys, or null
DETAIL_TEXTS = ("title", "change", "delegation", "via", "reason")
DETAIL_NUMBERS = ("revision", "previous_revision")
DETAIL_FIELDS = {*DETAIL_MEASURES, *DETAIL_TEXTS, *DETAIL_NUMBERS}
DETAIL_FIELDS |= {"delegations", "members"}


def validate_packages(
    c: Collector,
    data: dict,
    codes: set[str],
    measures: tuple[MeasureSpec, ...] | None,
) -> tuple[PackageSpec, ...]:
    statuses = {m.key: m.status for m in measures or ()}
    result, last_created = [], None
    for index, entry in enumerate(c.list(data, "packages", "")):
        path = f"packages[{index}]"
        required = {"key", "title", "creator", "members", "status", "created_at"}
        optional = {"note", "endorsements", "history"}
        if not c.object(entry, path, required, optional):
            continue
        key = c.string(
            entry,
            "key",
            path,
            max_length=20,
            pattern=PACKAGE_KEY_RE,
            hint="use p<number>, e.g. p2",
        )
        match = PACKAGE_KEY_RE.match(key)
        if match and int(match[1]) != index + 1:
            c.error(
                f"{path}.key",
                f"must be 'p{index + 1}': packages are numbered p1, p2, … in the "
                "order they were created, and listed in that order",
            )
        title = c.string(entry, "title", path, max_length=200, multiline=False)
        note = c.string(entry, "note", path, blank=True, max_length=2000)
        creator = c.string(entry, "creator", path, max_length=150)
        members = _members(c, entry, path, statuses)
        created_at = c.datetime(entry, "created_at", path)
        if created_at and last_created and created_at < last_created:
            c.error(
                f"{path}.created_at",
                "is before the package listed before it: packages are listed "
                "in the order they were created",
            )
        last_created = created_at or last_created
        endorsements = _endorsements(c, entry, path, codes)
        status = c.choice(entry, "status", path, PACKAGE_STATUSES, "")
        if status and status != PackageStatus.WITHDRAWN:
            implied = implied_status(endorsements, codes)
            if status != implied:
                c.error(
                    f"{path}.status",
                    f"must be {implied!r} (or 'withdrawn'): that is what its "
                    "endorsements say",
                )
        history = _history(c, entry, path, statuses)
        result.append(
            PackageSpec(
                key=key,
                number=int(match[1]) if match else 0,
                title=title,
                creator=creator,
                members=members,
                status=status,
                created_at=created_at,
                note=note,
                endorsements=endorsements,
                history=history,
            )
        )
    return tuple(result)


def implied_status(endorsements, codes: set[str]) -> str:
    """The status a package on the table has with these endorsements: the
    rule of `dialogue.services.package_members.settle`."""
    active = sum(1 for e in endorsements if e.suspended_at is None)
    if active and active >= len(codes):
        status = PackageStatus.AGREED
    elif any(e.suspended_at is not None for e in endorsements):
        status = PackageStatus.SUSPENDED
    else:
        status = PackageStatus.ENDORSED_ONE if active else PackageStatus.OPEN
    return status.value


def _measure_key(
    c: Collector, value: Any, here: str, statuses: dict[str, str]
) -> str | None:
    """A member's measure key, or None (reported) when it is not a usable one."""
    if not isinstance(value, str):
        c.error(here, f"must be a measure key like '3-r2', not {kind_of(value)}")
        return None
    if value not in statuses:
        c.error(here, f"{value!r} is not a measure key of this file")
        return None
    if statuses[value] == "draft":
        c.error(
            here,
            f"{value!r} is a draft: a package holds only measures both sides can see",
        )
        return None
    return value


def _members(c: Collector, entry: dict, path: str, statuses) -> tuple[str, ...]:
    raw = c.list(entry, "members", path)
    members = []
    for index, value in enumerate(raw):
        here = f"{path}.members[{index}]"
        key = _measure_key(c, value, here, statuses)
        if key is None:
            continue
        if key in members:
            c.error(here, f"{key!r} is listed twice")
        else:
            members.append(key)
    if isinstance(entry.get("members"), list) and len(raw) < MIN_MEMBERS:
        c.error(f"{path}.members", "a package needs at least two measures")
    return tuple(members)


def _endorsements(c: Collector, entry: dict, path: str, codes: set[str]):
    result, seen = [], set()
    for index, raw in enumerate(c.list(entry, "endorsements", path)):
        here = f"{path}.endorsements[{index}]"
        if not c.object(raw, here, {"delegation", "via"}, {"by", "at", "suspended_at"}):
            continue
        code = c.string(raw, "delegation", here)
        if code and code not in codes:
            c.error(
                f"{here}.delegation",
                f"{code!r} is not a delegation code of this workshop",
            )
        elif code in seen:
            c.error(f"{here}.delegation", f"{code!r} endorses twice")
        seen.add(code)
        via = c.choice(raw, "via", here, VIAS, "")
        by = raw.get("by")
        if via == EndorsementVia.HEAD and "by" in raw and by is None:
            by = ""  # the head has left the workshop since; the endorsement stands
        elif via == EndorsementVia.HEAD:
            by = c.string(raw, "by", here, max_length=150) if "by" in raw else ""
            if not by:
                c.error(f"{here}.by", "a head's endorsement names the head")
        elif by is not None:
            c.error(f"{here}.by", "must be null: a majority endorsement has no head")
        result.append(
            PackageEndorsementSpec(
                delegation=code,
                via=via,
                by=by if isinstance(by, str) else "",
                at=c.datetime(raw, "at", here),
                suspended_at=c.datetime(raw, "suspended_at", here),
            )
        )
    return tuple(result)


def _history(c: Collector, entry: dict, path: str, statuses) -> tuple:
    result = []
    for index, raw in enumerate(c.list(entry, "history", path)):
        here = f"{path}.history[{index}]"
        if not c.object(raw, here, {"kind"}, {"actor", "detail", "at"}):
            continue
        kind = c.choice(raw, "kind", here, EVENT_KINDS, "")
        actor = None
        if raw.get("actor") is not None:
            actor = c.string(raw, "actor", here, max_length=150) or None
        detail = _detail(c, raw.get("detail", {}), f"{here}.detail", statuses)
        result.append(
            PackageEventSpec(kind, actor, detail, c.datetime(raw, "at", here))
        )
    return tuple(result)


def _detail(c: Collector, value: Any, here: str, statuses) -> dict:
    if not c.object(value, here, set(), DETAIL_FIELDS):
        return {}
    detail = {}
    for name in sorted(value.keys() & DETAIL_FIELDS):
        item = value[name]
        there = join_path(here, name)
        if name in DETAIL_MEASURES:
            detail[name] = _detail_measure(c, item, there, statuses)
        elif name in DETAIL_TEXTS:
            detail[name] = c.string(
                value, name, here, blank=True, max_length=300, multiline=False
            )
        elif name in DETAIL_NUMBERS:
            detail[name] = c.integer(value, name, here)
        elif name == "delegations":
            detail[name] = []
            for i, code in enumerate(c.list(value, name, here)):
                if not isinstance(code, str) or not code:
                    c.error(f"{there}[{i}]", "must be a delegation code")
                else:
                    detail[name].append(code)
        else:  # members
            detail[name] = [
                _detail_member(c, member, f"{there}[{i}]", statuses)
                for i, member in enumerate(c.list(value, name, here))
            ]
    return detail


def _detail_measure(c: Collector, value: Any, here: str, statuses) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or value not in statuses:
        c.error(here, f"{value!r} is not a measure key of this file, nor null")
        return None
    return value


def _detail_member(c: Collector, value: Any, here: str, statuses) -> dict:
    if not c.object(value, here, {"measure", "title", "revision"}, set()):
        return {}
    return {
        "measure": _detail_measure(
            c, value.get("measure"), f"{here}.measure", statuses
        ),
        "revision": c.integer(value, "revision", here),
        "title": c.string(
            value, "title", here, blank=True, max_length=300, multiline=False
        ),
    }
