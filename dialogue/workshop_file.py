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
# \Z, not $: "$" also matches before a trailing newline ("abc\n").
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")
CODE_RE = re.compile(r"^[A-Z][A-Z0-9]{0,11}\Z")
CONFIDENTIALITY_MODES = ("on_record", "chatham_house", "off_record")
MAX_TITLE = 300
MAX_TEXT = 100_000
# Reciprocal measures (the optional "measures" key). The values mirror the
# model's choices (dialogue.models.measures); a test keeps them in step.
MEASURE_KEY_RE = re.compile(r"^([1-9][0-9]{0,5})-r([1-9][0-9]{0,4})\Z")
ITEM_REF_RE = re.compile(r"^([1-9][0-9]{0,4})\.([1-9][0-9]{0,4})\Z")
MEASURE_STATUSES = (
    "proposed",
    "under_discussion",
    "endorsed_one",
    "endorsed_both",
    "withdrawn",
    "superseded",
)
SEQUENCINGS = ("simultaneous", "proposer_first", "other_first", "phased")
REVERSIBILITIES = ("reversible", "partly", "irreversible")
MEASURE_TYPES = (
    "communication",
    "transparency",
    "constraint",
    "cooperation",
    "exchange",
    "economic",
    "other",
)
STANCES = ("support", "support_with_changes", "oppose", "clarify")
ENDORSEMENT_VIAS = ("head", "majority")


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
class ResponseSpec:
    username: str
    stance: str
    reason: str
    at: dt.datetime | None = None


@dataclass(frozen=True)
class EndorsementSpec:
    delegation: str
    via: str
    by: str = ""
    at: dt.datetime | None = None


@dataclass(frozen=True)
class MeasureSpec:
    """One revision of a reciprocal measure. `key` is "<chain>-r<revision>":
    chains are numbered 1, 2, ... in the order they were first proposed."""

    key: str
    chain: int
    revision: int
    revision_of: str | None
    proposer: str
    proposing_delegation: str
    items: tuple[tuple[int, int], ...]
    title: str
    our_action: str
    their_action: str = ""
    sequencing: str = "simultaneous"
    conditionality: str = ""
    verification: str = ""
    timeframe: str = ""
    reversibility: str = "reversible"
    measure_type: str = "other"
    status: str = "proposed"
    proposed_at: dt.datetime | None = None
    responses: tuple[ResponseSpec, ...] = ()
    endorsements: tuple[EndorsementSpec, ...] = ()


@dataclass(frozen=True)
class WorkshopSpec:
    slug: str
    title: str
    description: str
    source: SourceSpec
    confidentiality: str
    delegations: tuple[DelegationSpec, ...]
    sessions: tuple[SessionSpec, ...] = field(default=())
    # None: the file has no "measures" key, and the import leaves measures be.
    measures: tuple[MeasureSpec, ...] | None = None


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
    except RecursionError:
        raise WorkshopFileError(
            [("(file)", "is nested too deeply to be a workshop file")]
        ) from None


def parse_workshop_file(raw: bytes, *, max_bytes: int) -> WorkshopSpec:
    """Validate a whole workshop file; raise WorkshopFileError with every problem."""
    return validate(decode(raw, max_bytes=max_bytes))


def validate(data: Any) -> WorkshopSpec:
    c = _Collector()
    top_required = {"slug", "title", "source", "confidentiality", "delegations"}
    top_required |= {"sessions"}
    if not c.object(data, "", top_required, {"version", "description", "measures"}):
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
    source = _validate_source(c, data["source"]) if "source" in data else SourceSpec()
    delegations = _validate_delegations(c, data)
    codes = {d.code for d in delegations if d.code}
    sessions = _validate_sessions(c, data, codes)
    measures = None
    if "measures" in data:
        measures = _validate_measures(c, data, codes, sessions)

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
        measures=measures,
    )


def _validate_source(c: _Collector, value: Any) -> SourceSpec:
    if not c.object(
        value, "source", {"title", "authors", "date", "publisher"}, {"url"}
    ):
        return SourceSpec()
    title = c.string(value, "title", "source", blank=True, max_length=MAX_TITLE)
    publisher = c.string(value, "publisher", "source", blank=True, max_length=200)
    url = c.string(value, "url", "source", blank=True, max_length=200)
    if url and not re.match(r"^https?://\S+\Z", url):
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
    if not 1900 <= parsed.year <= 9000:
        c.error(here, f"{value!r} is not a plausible date (years 1900 to 9000)")
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


MEASURE_TEXTS = ("their_action", "conditionality", "verification")
MEASURE_CHOICES = (  # field, allowed values, the value when it is left out
    ("sequencing", SEQUENCINGS, "simultaneous"),
    ("reversibility", REVERSIBILITIES, "reversible"),
    ("measure_type", MEASURE_TYPES, "other"),
)


def _choice(c: _Collector, obj: dict, key: str, path: str, allowed, default: str):
    if key not in obj:
        return default
    value = c.string(obj, key, path)
    if value and value not in allowed:
        c.error(_join(path, key), f"{value!r} is not one of {', '.join(allowed)}")
    return value


def _validate_measures(
    c: _Collector, data: dict, codes: set[str], sessions: tuple[SessionSpec, ...]
) -> tuple[MeasureSpec, ...]:
    """The measures: fields, item references, and each chain's consistency
    (a revision counters the one before it, which is then superseded)."""
    item_refs = {(s.number, i.number) for s in sessions for i in s.items}
    raw = c.list(data, "measures", "")
    result: list[MeasureSpec] = []
    keys: set[str] = set()
    for index, entry in enumerate(raw):
        path = f"measures[{index}]"
        required = {
            "key",
            "proposer",
            "proposing_delegation",
            "items",
            "title",
            "our_action",
            "status",
        }
        optional = {
            "revision_of",
            "their_action",
            "sequencing",
            "conditionality",
            "verification",
            "timeframe",
            "reversibility",
            "measure_type",
            "proposed_at",
            "responses",
            "endorsements",
        }
        if not c.object(entry, path, required, optional):
            continue
        key = c.string(
            entry,
            "key",
            path,
            max_length=20,
            pattern=MEASURE_KEY_RE,
            hint="use <measure number>-r<revision>, e.g. 3-r2",
        )
        match = MEASURE_KEY_RE.match(key)
        chain, revision = (int(match[1]), int(match[2])) if match else (0, 0)
        if key in keys:
            c.error(f"{path}.key", f"{key!r} is used by another measure")
        revision_of = entry.get("revision_of")
        if match:
            expected = f"{chain}-r{revision - 1}" if revision > 1 else None
            if revision_of != expected:
                c.error(
                    f"{path}.revision_of",
                    f"must be {expected!r}: revision {revision} counters the "
                    "revision before it"
                    if expected
                    else "must be null: revision 1 counters nothing",
                )
            elif expected and expected not in keys:
                c.error(
                    f"{path}.revision_of",
                    f"{expected!r} must be listed before the revision countering it",
                )
        keys.add(key)
        proposer = c.string(entry, "proposer", path, max_length=150)
        delegation = c.string(entry, "proposing_delegation", path)
        if delegation and delegation not in codes:
            c.error(
                f"{path}.proposing_delegation",
                f"{delegation!r} is not a delegation code of this workshop",
            )
        # May be empty: the agenda items of a measure can be removed later.
        items = []
        for i_index, ref in enumerate(c.list(entry, "items", path)):
            here = f"{path}.items[{i_index}]"
            ref_match = ITEM_REF_RE.match(ref) if isinstance(ref, str) else None
            if ref_match is None:
                c.error(here, f'{ref!r} is not an item reference like "1.3"')
                continue
            pair = (int(ref_match[1]), int(ref_match[2]))
            if pair not in item_refs:
                c.error(here, f"{ref!r}: there is no such item in the file's sessions")
            elif pair in items:
                c.error(here, f"{ref!r} is listed twice")
            else:
                items.append(pair)
        title = c.string(entry, "title", path, max_length=200)
        our_action = c.string(entry, "our_action", path)
        texts = {
            name: c.string(entry, name, path, blank=True) for name in MEASURE_TEXTS
        }
        timeframe = c.string(entry, "timeframe", path, blank=True, max_length=200)
        choices = {
            name: _choice(c, entry, name, path, allowed, default)
            for name, allowed, default in MEASURE_CHOICES
        }
        status = c.string(entry, "status", path)
        if status == "draft":
            c.error(
                f"{path}.status",
                "drafts are private to their proposer and are not part of "
                "workshop files",
            )
        elif status and status not in MEASURE_STATUSES:
            c.error(
                f"{path}.status",
                f"{status!r} is not one of {', '.join(MEASURE_STATUSES)}",
            )
        responses = _validate_responses(c, entry, path)
        endorsements = _validate_endorsements(c, entry, path, codes)
        result.append(
            MeasureSpec(
                key=key,
                chain=chain,
                revision=revision,
                revision_of=revision_of if isinstance(revision_of, str) else None,
                proposer=proposer,
                proposing_delegation=delegation,
                items=tuple(items),
                title=title,
                our_action=our_action,
                timeframe=timeframe,
                status=status,
                proposed_at=_parse_datetime(c, entry, "proposed_at", path),
                responses=responses,
                endorsements=endorsements,
                **texts,
                **choices,
            )
        )
    _check_measure_statuses(c, result, codes)
    return tuple(result)


def _validate_responses(c: _Collector, entry: dict, path: str):
    result, seen = [], set()
    for index, raw in enumerate(c.list(entry, "responses", path)):
        here = f"{path}.responses[{index}]"
        if not c.object(raw, here, {"username", "stance", "reason"}, {"at"}):
            continue
        username = c.string(raw, "username", here, max_length=150)
        if username in seen:
            c.error(f"{here}.username", f"{username!r} answers twice")
        seen.add(username)
        stance = _choice(c, raw, "stance", here, STANCES, "")
        reason = c.string(raw, "reason", here)
        at = _parse_datetime(c, raw, "at", here)
        result.append(ResponseSpec(username, stance, reason, at))
    return tuple(result)


def _validate_endorsements(c: _Collector, entry: dict, path: str, codes: set[str]):
    result, seen = [], set()
    for index, raw in enumerate(c.list(entry, "endorsements", path)):
        here = f"{path}.endorsements[{index}]"
        if not c.object(raw, here, {"delegation", "via"}, {"by", "at"}):
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
        via = _choice(c, raw, "via", here, ENDORSEMENT_VIAS, "")
        by = raw.get("by")
        if via == "head":
            by = c.string(raw, "by", here, max_length=150) if "by" in raw else ""
            if not by:
                c.error(f"{here}.by", "a head's endorsement names the head")
        elif by is not None:
            c.error(f"{here}.by", "must be null: a majority endorsement has no head")
        at = _parse_datetime(c, raw, "at", here)
        result.append(EndorsementSpec(code, via, by or "", at))
    return tuple(result)


def _check_measure_statuses(c: _Collector, measures: list, codes: set[str]) -> None:
    """The status agrees with the chain, the answers and the endorsements."""
    keys = {m.key for m in measures}
    for index, m in enumerate(measures):
        if not m.key or not m.status:
            continue
        here = f"measures[{index}].status"
        countered = f"{m.chain}-r{m.revision + 1}" in keys
        endorsed = {e.delegation for e in m.endorsements}
        if countered and m.status != "superseded":
            c.error(
                here, f"must be 'superseded': {m.chain}-r{m.revision + 1} counters it"
            )
        elif not countered and m.status == "superseded":
            c.error(here, "is 'superseded' but no revision in the file counters it")
        elif m.status == "proposed" and (m.responses or endorsed):
            c.error(
                here, "a measure that has answers or endorsements is not 'proposed'"
            )
        elif m.status == "under_discussion" and (endorsed or not m.responses):
            c.error(
                here, "'under_discussion' needs at least one answer and no endorsement"
            )
        elif m.status == "endorsed_one" and not (endorsed and endorsed < codes):
            c.error(here, "'endorsed_one' needs endorsements from some delegations")
        elif m.status == "endorsed_both" and not endorsed >= codes:
            c.error(here, "'endorsed_both' needs an endorsement from every delegation")


def dump_workshop_file(data: dict) -> str:
    """The canonical text of a workshop file: UTF-8 JSON, 2-space indent."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
