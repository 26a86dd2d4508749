"""The workshop file: parse and validate it completely before anything is written.

The format is documented in README.md ("Workshop files"). `parse_workshop_file`
turns the raw bytes into a `WorkshopSpec` or raises `WorkshopFileError` listing
every problem with the path of the offending field (``sessions[1].items[0].
proposed_by``). `dump_workshop_file` writes the canonical form that
`export_workshop` prints, so an export imports back and re-exports unchanged.

This module touches no database: the import itself is
`dialogue.services.workshop_import`.
"""

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any

FORMAT_VERSION = 1
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CODE_RE = re.compile(r"^[A-Z][A-Z0-9_-]{0,11}$")
CONFIDENTIALITY_MODES = ("on_record", "chatham_house", "off_record")
MAX_TITLE = 300
MAX_TEXT = 100_000


@dataclass(frozen=True)
class SourceSpec:
    title: str = ""
    authors: tuple[str, ...] = ()
    date: dt.date | None = None
    publisher: str = ""
    url: str = ""


@dataclass(frozen=True)
class DelegationSpec:
    code: str
    name: str


@dataclass(frozen=True)
class ItemSpec:
    number: int
    title: str
    body: str
    proposed_by: str
    addressed_to: str
    points: tuple[str, ...] = ()


@dataclass(frozen=True)
class SessionSpec:
    number: int
    title: str
    description: str = ""
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    items: tuple[ItemSpec, ...] = ()


@dataclass(frozen=True)
class WorkshopSpec:
    slug: str
    title: str
    description: str
    source: SourceSpec
    confidentiality: str
    delegations: tuple[DelegationSpec, ...]
    sessions: tuple[SessionSpec, ...] = field(default=())


class WorkshopFileError(Exception):
    """A workshop file that cannot be imported; `errors` is [(path, message)]."""

    def __init__(self, errors: list[tuple[str, str]]):
        self.errors = errors
        super().__init__("\n".join(f"{path}: {message}" for path, message in errors))


class _Collector:
    """Walks the decoded JSON, recording every problem instead of stopping."""

    def __init__(self):
        self.errors: list[tuple[str, str]] = []

    def error(self, path: str, message: str) -> None:
        self.errors.append((path or "(file)", message))

    def object(self, value: Any, path: str, required: set, optional: set) -> bool:
        if not isinstance(value, dict):
            self.error(path, f"must be an object, not {_kind(value)}")
            return False
        for key in sorted(required - value.keys()):
            self.error(_join(path, key), "is missing")
        for key in sorted(value.keys() - required - optional):
            self.error(_join(path, key), "is not a known field")
        return True

    def string(
        self,
        obj: dict,
        key: str,
        path: str,
        *,
        blank: bool = False,
        max_length: int = MAX_TEXT,
        pattern: re.Pattern | None = None,
        hint: str = "",
    ) -> str:
        here = _join(path, key)
        if key not in obj:
            return ""  # a missing required key is reported by object()
        value = obj[key]
        if not isinstance(value, str):
            self.error(here, f"must be a string, not {_kind(value)}")
            return ""
        if not blank and not value.strip():
            self.error(here, "must not be empty")
        elif len(value) > max_length:
            self.error(here, f"is {len(value)} characters; the limit is {max_length}")
        elif pattern is not None and not pattern.match(value):
            self.error(here, f"{value!r} is not valid: {hint}")
        return value

    def integer(self, obj: dict, key: str, path: str) -> int | None:
        value = obj.get(key)
        # bool is an int subclass in Python; true/false is not a number here.
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            self.error(_join(path, key), f"must be a whole number >= 1, not {value!r}")
            return None
        if value > 32767:
            self.error(_join(path, key), f"{value} is too large (at most 32767)")
            return None
        return value

    def list(self, obj: dict, key: str, path: str) -> list:
        value = obj.get(key, [])
        if not isinstance(value, list):
            self.error(_join(path, key), f"must be a list, not {_kind(value)}")
            return []
        return value


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _kind(value: Any) -> str:
    return {
        dict: "an object",
        list: "a list",
        str: "a string",
        bool: "true/false",
        int: "a number",
        float: "a number",
        type(None): "null",
    }.get(type(value), type(value).__name__)


def _reject_duplicate_keys(pairs):
    obj = {}
    for key, value in pairs:
        if key in obj:
            raise ValueError(f"the key {key!r} appears twice in one object")
        obj[key] = value
    return obj


def _reject_constant(name):
    raise ValueError(f"{name} is not valid JSON")


def decode(raw: bytes, *, max_bytes: int) -> Any:
    """Bytes -> JSON value, with the size, encoding and syntax checks."""
    if len(raw) > max_bytes:
        raise WorkshopFileError(
            [("(file)", f"is {len(raw):,} bytes; the limit is {max_bytes:,} bytes")]
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise WorkshopFileError(
            [
                (
                    "(file)",
                    f"is not UTF-8: byte 0x{raw[exc.start]:02x} at offset "
                    f"{exc.start} cannot be decoded",
                )
            ]
        ) from None
    try:
        return json.loads(
            text,
            object_pairs_hook=_reject_duplicate_keys,
            parse_constant=_reject_constant,
        )
    except json.JSONDecodeError as exc:
        raise WorkshopFileError(
            [
                (
                    "(file)",
                    f"is not valid JSON: {exc.msg} at line {exc.lineno} "
                    f"column {exc.colno}",
                )
            ]
        ) from None
    except ValueError as exc:
        raise WorkshopFileError([("(file)", f"is not valid JSON: {exc}")]) from None


def parse_workshop_file(raw: bytes, *, max_bytes: int) -> WorkshopSpec:
    """Validate a whole workshop file; raise WorkshopFileError with every problem."""
    return validate(decode(raw, max_bytes=max_bytes))


def validate(data: Any) -> WorkshopSpec:
    c = _Collector()
    top_required = {"slug", "title", "source", "confidentiality", "delegations"}
    top_required |= {"sessions"}
    if not c.object(data, "", top_required, {"version", "description"}):
        raise WorkshopFileError(c.errors)

    version = data.get("version", FORMAT_VERSION)
    if version != FORMAT_VERSION:
        c.error("version", f"{version!r} is not supported; this app reads version 1")
    slug = c.string(
        data,
        "slug",
        "",
        max_length=80,
        pattern=SLUG_RE,
        hint="use lower-case letters, digits and single hyphens",
    )
    title = c.string(data, "title", "", max_length=200)
    description = c.string(data, "description", "", blank=True)
    confidentiality = c.string(data, "confidentiality", "")
    if confidentiality and confidentiality not in CONFIDENTIALITY_MODES:
        c.error(
            "confidentiality",
            f"{confidentiality!r} is not one of {', '.join(CONFIDENTIALITY_MODES)}",
        )
    source = _validate_source(c, data.get("source"))
    delegations = _validate_delegations(c, data)
    codes = {d.code for d in delegations}
    sessions = _validate_sessions(c, data, codes)

    if c.errors:
        raise WorkshopFileError(c.errors)
    return WorkshopSpec(
        slug=slug,
        title=title,
        description=description,
        source=source,
        confidentiality=confidentiality,
        delegations=delegations,
        sessions=sessions,
    )


def _validate_source(c: _Collector, value: Any) -> SourceSpec:
    if value is None:
        return SourceSpec()  # "missing" is reported by the caller's object()
    if not c.object(
        value, "source", {"title", "authors", "date", "publisher"}, {"url"}
    ):
        return SourceSpec()
    title = c.string(value, "title", "source", blank=True, max_length=MAX_TITLE)
    publisher = c.string(value, "publisher", "source", blank=True, max_length=200)
    url = c.string(value, "url", "source", blank=True, max_length=200)
    if url and not re.match(r"^https?://\S+$", url):
        c.error("source.url", f"{url!r} is not an http(s) URL")
    authors = []
    for index, author in enumerate(c.list(value, "authors", "source")):
        if not isinstance(author, str) or not author.strip():
            c.error(f"source.authors[{index}]", "must be a non-empty string")
        else:
            authors.append(author)
    date = None
    raw_date = value.get("date")
    if raw_date not in (None, ""):
        if not isinstance(raw_date, str):
            c.error(
                "source.date", f"must be a YYYY-MM-DD string, not {_kind(raw_date)}"
            )
        else:
            try:
                date = dt.date.fromisoformat(raw_date)
            except ValueError:
                c.error("source.date", f"{raw_date!r} is not a date (YYYY-MM-DD)")
    return SourceSpec(
        title=title, authors=tuple(authors), date=date, publisher=publisher, url=url
    )


def _validate_delegations(c: _Collector, data: dict) -> tuple[DelegationSpec, ...]:
    raw = c.list(data, "delegations", "")
    if "delegations" in data and isinstance(data["delegations"], list) and len(raw) < 2:
        c.error("delegations", "a dialogue needs at least two delegations")
    result, seen = [], set()
    for index, entry in enumerate(raw):
        path = f"delegations[{index}]"
        if not c.object(entry, path, {"code", "name"}, set()):
            continue
        code = c.string(
            entry,
            "code",
            path,
            max_length=12,
            pattern=CODE_RE,
            hint="use 1-12 capital letters or digits, starting with a letter (CN, US)",
        )
        name = c.string(entry, "name", path, max_length=120)
        if code in seen:
            c.error(f"{path}.code", f"{code!r} is used by another delegation")
        seen.add(code)
        result.append(DelegationSpec(code=code, name=name))
    return tuple(result)


def _parse_datetime(c: _Collector, obj: dict, key: str, path: str):
    value = obj.get(key)
    if value is None:
        return None
    here = _join(path, key)
    if not isinstance(value, str):
        c.error(here, f"must be an ISO 8601 date-time string, not {_kind(value)}")
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        c.error(here, f"{value!r} is not an ISO 8601 date-time")
        return None
    if parsed.tzinfo is None:
        c.error(here, f"{value!r} needs a time zone offset, e.g. +00:00")
        return None
    return parsed


def _validate_sessions(
    c: _Collector, data: dict, codes: set[str]
) -> tuple[SessionSpec, ...]:
    raw = c.list(data, "sessions", "")
    result, seen = [], set()
    for index, entry in enumerate(raw):
        path = f"sessions[{index}]"
        if not c.object(
            entry,
            path,
            {"title", "items"},
            {"number", "description", "starts_at", "ends_at"},
        ):
            continue
        number = c.integer(entry, "number", path) if "number" in entry else index + 1
        if number is not None and number in seen:
            c.error(f"{path}.number", f"session number {number} is used twice")
        seen.add(number)
        title = c.string(entry, "title", path, max_length=MAX_TITLE)
        description = c.string(entry, "description", path, blank=True)
        starts_at = _parse_datetime(c, entry, "starts_at", path)
        ends_at = _parse_datetime(c, entry, "ends_at", path)
        if starts_at and ends_at and ends_at < starts_at:
            c.error(f"{path}.ends_at", "is before starts_at")
        items = _validate_items(c, entry, path, codes)
        result.append(
            SessionSpec(
                number=number or 0,
                title=title,
                description=description,
                starts_at=starts_at,
                ends_at=ends_at,
                items=items,
            )
        )
    return tuple(result)


def _validate_items(
    c: _Collector, session: dict, session_path: str, codes: set[str]
) -> tuple[ItemSpec, ...]:
    result, seen = [], set()
    for index, entry in enumerate(c.list(session, "items", session_path)):
        path = f"{session_path}.items[{index}]"
        required = {"number", "title", "body", "proposed_by", "addressed_to"}
        if not c.object(entry, path, required, {"points"}):
            continue
        number = c.integer(entry, "number", path) if "number" in entry else None
        if number is not None and number in seen:
            c.error(f"{path}.number", f"item number {number} is used twice")
        seen.add(number)
        title = c.string(entry, "title", path, max_length=MAX_TITLE)
        body = c.string(entry, "body", path, blank=True)
        sides = {}
        for key in ("proposed_by", "addressed_to"):
            code = c.string(entry, key, path)
            if code and code not in codes:
                c.error(
                    f"{path}.{key}",
                    f"{code!r} is not a delegation code of this workshop "
                    f"({', '.join(sorted(codes)) or 'none defined'})",
                )
            sides[key] = code
        if sides["proposed_by"] and sides["proposed_by"] == sides["addressed_to"]:
            c.error(
                f"{path}.addressed_to",
                "must differ from proposed_by: an item is addressed to the other side",
            )
        points = []
        for p_index, point in enumerate(c.list(entry, "points", path)):
            if not isinstance(point, str) or not point.strip():
                c.error(f"{path}.points[{p_index}]", "must be a non-empty string")
            elif len(point) > MAX_TEXT:
                c.error(f"{path}.points[{p_index}]", "is too long")
            else:
                points.append(point)
        result.append(
            ItemSpec(
                number=number or 0,
                title=title,
                body=body,
                proposed_by=sides["proposed_by"],
                addressed_to=sides["addressed_to"],
                points=tuple(points),
            )
        )
    return tuple(result)


def dump_workshop_file(data: dict) -> str:
    """The canonical text of a workshop file: UTF-8 JSON, 2-space indent."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
