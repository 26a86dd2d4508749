"""Decode and validate a workshop file completely before anything is written.

`parse_workshop_file` turns the raw bytes into a `WorkshopSpec` or raises
`WorkshopFileError` listing every problem with the path of the offending field
(``sessions[1].items[0].proposed_by``). This module reads the workshop, its
source, delegations, sessions and items; `parse_measures` reads the optional
"measures" key, `parse_links` "links", `parse_responses` the optional
"response_round" and "responses", `parse_packages` "packages",
`parse_reports` "report_drafts". Pure: no database, no models.

The allowed values of choice fields (here CONFIDENTIALITY_MODES, the measure
ones in `parse_measures`) come from dialogue.vocabulary, the TextChoices the
models use: one list of values for the database and the file.
"""

import datetime as dt
import json
import re
from typing import Any

from dialogue import times
from dialogue.vocabulary import Confidentiality, PaperSize
from dialogue.workshop_file.collector import Collector, kind_of
from dialogue.workshop_file.parse_links import validate_links
from dialogue.workshop_file.parse_measures import validate_measures
from dialogue.workshop_file.parse_packages import validate_packages
from dialogue.workshop_file.parse_reports import validate_report_drafts
from dialogue.workshop_file.parse_responses import validate_responses
from dialogue.workshop_file.spec import (
    DEFAULT_PAPER_SIZE,
    DEFAULT_TIME_ZONE,
    FORMAT_VERSION,
    MAX_TEXT,
    MAX_TITLE,
    DelegationSpec,
    ItemSpec,
    SessionSpec,
    SourceSpec,
    WorkshopFileError,
    WorkshopSpec,
)

# \Z, not $: "$" also matches before a trailing newline ("abc\n").
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")
CODE_RE = re.compile(r"^[A-Z][A-Z0-9]{0,11}\Z")
# dialogue.models.Confidentiality.values
CONFIDENTIALITY_MODES = tuple(Confidentiality.values)
PAPER_SIZES = tuple(PaperSize.values)


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
    """Decoded JSON -> WorkshopSpec, or WorkshopFileError with every problem."""
    c = Collector()
    top_required = {"slug", "title", "source", "confidentiality", "delegations"}
    top_required |= {"sessions"}
    top_optional = {"version", "description", "measures", "title_zh", "time_zone"}
    top_optional |= {"links"}
    top_optional |= {"response_round", "responses"}
    top_optional |= {"packages"}
    top_optional |= {"venue", "paper_size", "report_drafts"}
    if not c.object(data, "", top_required, top_optional):
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
    title = c.string(data, "title", "", max_length=200, multiline=False)
    title_zh = c.string(
        data, "title_zh", "", blank=True, max_length=200, multiline=False
    )
    time_zone = DEFAULT_TIME_ZONE
    if "time_zone" in data:
        time_zone = c.string(data, "time_zone", "")
        if time_zone and not times.is_zone(time_zone):
            c.error(
                "time_zone",
                f"{time_zone!r} is not a time zone; use an IANA name such as "
                "Asia/Shanghai, America/New_York or UTC",
            )
    description = c.string(data, "description", "", blank=True)
    venue = c.string(data, "venue", "", blank=True, max_length=200, multiline=False)
    paper_size = c.choice(data, "paper_size", "", PAPER_SIZES, DEFAULT_PAPER_SIZE)
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
        measures = validate_measures(c, data, codes, sessions)
    links = validate_links(c, data, codes, sessions) if "links" in data else None
    response_round, responses = validate_responses(c, data, codes, sessions, measures)
    packages = None
    if "packages" in data:
        packages = validate_packages(c, data, codes, measures)
    report_drafts = None
    if "report_drafts" in data:
        report_drafts = validate_report_drafts(c, data, codes, sessions)

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
        links=links,
        title_zh=title_zh,
        time_zone=time_zone,
        response_round=response_round,
        responses=responses,
        packages=packages,
        venue=venue,
        paper_size=paper_size,
        report_drafts=report_drafts,
    )


def _validate_source(c: Collector, value: Any) -> SourceSpec:
    if not c.object(
        value, "source", {"title", "authors", "date", "publisher"}, {"url"}
    ):
        return SourceSpec()
    title = c.string(
        value, "title", "source", blank=True, max_length=MAX_TITLE, multiline=False
    )
    publisher = c.string(
        value, "publisher", "source", blank=True, max_length=200, multiline=False
    )
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
                "source.date", f"must be a YYYY-MM-DD string, not {kind_of(raw_date)}"
            )
        else:
            try:
                date = dt.date.fromisoformat(raw_date)
            except ValueError:
                c.error("source.date", f"{raw_date!r} is not a date (YYYY-MM-DD)")
    return SourceSpec(
        title=title, authors=tuple(authors), date=date, publisher=publisher, url=url
    )


def _validate_delegations(c: Collector, data: dict) -> tuple[DelegationSpec, ...]:
    raw = c.list(data, "delegations", "")
    if "delegations" in data and isinstance(data["delegations"], list) and len(raw) < 2:
        c.error("delegations", "a dialogue needs at least two delegations")
    result, seen = [], set()
    for index, entry in enumerate(raw):
        path = f"delegations[{index}]"
        if not c.object(entry, path, {"code", "name"}, {"name_zh"}):
            continue
        code = c.string(
            entry,
            "code",
            path,
            max_length=12,
            pattern=CODE_RE,
            hint="use 1-12 capital letters or digits, starting with a letter (CN, US)",
        )
        name = c.string(entry, "name", path, max_length=120, multiline=False)
        name_zh = c.string(
            entry, "name_zh", path, blank=True, max_length=120, multiline=False
        )
        if code in seen:
            c.error(f"{path}.code", f"{code!r} is used by another delegation")
        seen.add(code)
        result.append(DelegationSpec(code=code, name=name, name_zh=name_zh))
    return tuple(result)


def _validate_sessions(
    c: Collector, data: dict, codes: set[str]
) -> tuple[SessionSpec, ...]:
    raw = c.list(data, "sessions", "")
    result, seen = [], set()
    for index, entry in enumerate(raw):
        path = f"sessions[{index}]"
        if not c.object(
            entry,
            path,
            {"title", "items"},
            {"number", "title_zh", "description", "starts_at", "ends_at"},
        ):
            continue
        number = c.integer(entry, "number", path) if "number" in entry else index + 1
        if number is not None and number in seen:
            c.error(f"{path}.number", f"session number {number} is used twice")
        seen.add(number)
        title = c.string(entry, "title", path, max_length=MAX_TITLE, multiline=False)
        title_zh = c.string(
            entry, "title_zh", path, blank=True, max_length=MAX_TITLE, multiline=False
        )
        description = c.string(entry, "description", path, blank=True)
        starts_at = c.datetime(entry, "starts_at", path)
        ends_at = c.datetime(entry, "ends_at", path)
        if starts_at and ends_at and ends_at < starts_at:
            c.error(f"{path}.ends_at", "is before starts_at")
        items = _validate_items(c, entry, path, codes)
        result.append(
            SessionSpec(
                number=number or 0,
                title=title,
                title_zh=title_zh,
                description=description,
                starts_at=starts_at,
                ends_at=ends_at,
                items=items,
            )
        )
    return tuple(result)


def _validate_items(
    c: Collector, session: dict, session_path: str, codes: set[str]
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
        title = c.string(entry, "title", path, max_length=MAX_TITLE, multiline=False)
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
        points, both = _validate_points(c, entry, path)
        result.append(
            ItemSpec(
                number=number or 0,
                title=title,
                body=body,
                proposed_by=sides["proposed_by"],
                addressed_to=sides["addressed_to"],
                points=tuple(points),
                both=frozenset(both),
            )
        )
    return tuple(result)


def _validate_points(c: Collector, item: dict, path: str) -> tuple[list, list]:
    """An item's points: each a non-empty string, or an object
    {"text": ..., "addressed_to_both": true|false} for a point that asks
    both governments. Returns (texts, positions addressed to both)."""
    points, both = [], []
    for p_index, point in enumerate(c.list(item, "points", path)):
        here = f"{path}.points[{p_index}]"
        flag = False
        if isinstance(point, dict):
            if not c.object(point, here, {"text"}, {"addressed_to_both"}):
                continue
            if "text" not in point:
                continue  # reported missing by object()
            flag = point.get("addressed_to_both", False)
            if not isinstance(flag, bool):
                c.error(f"{here}.addressed_to_both", "must be true or false")
                flag = False
            point = point["text"]
            here = f"{here}.text"
        if not isinstance(point, str) or not point.strip():
            c.error(here, "must be a non-empty string")
        elif len(point) > MAX_TEXT:
            c.error(here, "is too long")
        else:
            points.append(point)
            if flag:
                both.append(len(points))
    return points, both
