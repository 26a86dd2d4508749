"""Validate the optional "links" key of a workshop file.

Each entry links two ends, each an item of the file's sessions (``"1.5"``),
optionally one of its points (its position), with the passage of that end's
text that shows the link: the same rule the link form applies
(`dialogue.link_rules`), checked here against the file's own texts. The
ends differ, a pair of ends is listed once (either way round), and a verdict
names each deciding delegation once. Pure: no database, no models.
"""

from typing import Any

from dialogue.link_rules import NOTE_MAX, QUOTE_MAX, end_texts, quote_found
from dialogue.vocabulary import LinkDecision, LinkKind
from dialogue.workshop_file.collector import Collector, kind_of
from dialogue.workshop_file.parse_measures import ITEM_REF_RE
from dialogue.workshop_file.spec import (
    LinkEndSpec,
    LinkSpec,
    LinkVerdictSpec,
    SessionSpec,
)

LINK_KINDS = tuple(LinkKind.values)
# Pending is the absence of a verdict, so a file lists only decisions.
DECISIONS = tuple(v for v in LinkDecision.values if v != LinkDecision.PENDING)


def validate_links(
    c: Collector, data: dict, codes: set[str], sessions: tuple[SessionSpec, ...]
) -> tuple[LinkSpec, ...]:
    items = {(s.number, i.number): i for s in sessions for i in s.items}
    result, pairs = [], set()
    for index, entry in enumerate(c.list(data, "links", "")):
        path = f"links[{index}]"
        if not c.object(
            entry,
            path,
            {"kind", "a", "b"},
            {"note", "suggested_by", "suggested_for", "verdicts"},
        ):
            continue
        kind = c.choice(entry, "kind", path, LINK_KINDS, "")
        a = _end(c, entry.get("a"), f"{path}.a", items)
        b = _end(c, entry.get("b"), f"{path}.b", items)
        if a and b:
            if a.item == b.item:
                c.error(
                    f"{path}.b.item", "must differ from a.item: a link joins two items"
                )
            pair = frozenset({(a.item, a.point), (b.item, b.point)})
            if pair in pairs:
                c.error(path, "links the same two ends as a link before it")
            pairs.add(pair)
        note = c.string(entry, "note", path, blank=True, max_length=NOTE_MAX)
        suggested_by = _optional(c, entry, "suggested_by", path)
        suggested_for = _optional(c, entry, "suggested_for", path)
        if suggested_for and suggested_for not in codes:
            c.error(
                f"{path}.suggested_for",
                f"{suggested_for!r} is not a delegation code of this workshop",
            )
        verdicts = _verdicts(c, entry, path, codes)
        if a and b:
            result.append(
                LinkSpec(kind, a, b, note, suggested_by, suggested_for, verdicts)
            )
    return tuple(result)


def _optional(c: Collector, entry: dict, key: str, path: str) -> str:
    """A string that may be null (the organisers)."""
    if entry.get(key) is None:
        return ""
    return c.string(entry, key, path, max_length=150)


def _end(c: Collector, value: Any, path: str, items: dict) -> LinkEndSpec | None:
    if not c.object(value, path, {"item", "quote"}, {"point"}):
        return None
    ref = value.get("item")
    match = ITEM_REF_RE.match(ref) if isinstance(ref, str) else None
    if match is None:
        c.error(f"{path}.item", f'{ref!r} is not an item reference like "1.3"')
        return None
    key = (int(match[1]), int(match[2]))
    item = items.get(key)
    if item is None:
        c.error(
            f"{path}.item", f"{ref!r}: there is no such item in the file's sessions"
        )
        return None
    point = value.get("point")
    text = None
    if point is not None:
        if not isinstance(point, int) or isinstance(point, bool) or point < 1:
            c.error(
                f"{path}.point",
                f"must be a point's position (1, 2, ...) or null, not {kind_of(point)}",
            )
            return None
        if point > len(item.points):
            c.error(f"{path}.point", f"item {ref} has no point {point}")
            return None
        text = item.points[point - 1]
    quote = c.string(value, "quote", path, max_length=QUOTE_MAX)
    if quote and not quote_found(
        quote, end_texts(title=item.title, body=item.body, point=text)
    ):
        where = f"point {point}" if text is not None else "the title or body"
        c.error(f"{path}.quote", f"is not a passage of item {ref}'s {where}")
    return LinkEndSpec(item=key, point=point, quote=quote.strip())


def _verdicts(c: Collector, entry: dict, path: str, codes: set[str]):
    result, seen = [], set()
    for index, raw in enumerate(c.list(entry, "verdicts", path)):
        here = f"{path}.verdicts[{index}]"
        if not c.object(raw, here, {"delegation", "decision", "by"}, {"at"}):
            continue
        code = c.string(raw, "delegation", here)
        if code and code not in codes:
            c.error(
                f"{here}.delegation",
                f"{code!r} is not a delegation code of this workshop",
            )
        elif code in seen:
            c.error(f"{here}.delegation", f"{code!r} decides twice")
        seen.add(code)
        decision = c.choice(raw, "decision", here, DECISIONS, "")
        by = c.string(raw, "by", here, max_length=150)
        result.append(LinkVerdictSpec(code, decision, by, c.datetime(raw, "at", here)))
    return tuple(result)
