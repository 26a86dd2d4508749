"""Validate the optional "response_round" and "responses" keys of a workshop file.

"response_round" is the workshop's round of responses (who opened it and
when, whether and when it was revealed, what was unanswered then);
"responses" lists each delegation's response to an item or to one of its
points, with every revision, the adoptions, which revision is adopted, and
the replies after the reveal. Beyond the fields: the item and point must be
in the file's sessions, the delegation must be one that answers it (the
item's addressee; either delegation for a point addressed to both), one
response per delegation and ask, revisions numbered 1, 2, ... in order, and
nothing "after the reveal" in a round that is not revealed. Pure: no
database, no models.

The allowed values are the models' own vocabularies, from dialogue.vocabulary.
"""

import re
from typing import Any

from dialogue.vocabulary import EndorsementVia, ResponseReplyKind, ResponseStance
from dialogue.workshop_file.collector import Collector
from dialogue.workshop_file.parse_measures import ITEM_REF_RE, MEASURE_KEY_RE
from dialogue.workshop_file.spec import (
    AdoptionSpec,
    AnswerReplySpec,
    AnswerRevisionSpec,
    AnswerSpec,
    MeasureSpec,
    ResponseRoundSpec,
    SessionSpec,
)

STANCES = tuple(ResponseStance.values)
VIAS = tuple(EndorsementVia.values)
REPLY_KINDS = tuple(ResponseReplyKind.values)
# "1.3" (item 3 of session 1) or "1.3.2" (its second point).
ASK_REF_RE = re.compile(r"^[1-9][0-9]{0,4}\.[1-9][0-9]{0,4}(?:\.[1-9][0-9]{0,4})?\Z")


def validate_responses(
    c: Collector,
    data: dict,
    codes: set[str],
    sessions: tuple[SessionSpec, ...],
    measures: tuple[MeasureSpec, ...] | None,
) -> tuple[ResponseRoundSpec | None, tuple[AnswerSpec, ...] | None]:
    """(the round, the responses); (None, None) when the file has neither key."""
    if "response_round" not in data and "responses" not in data:
        return None, None
    round_ = None
    if data.get("response_round") is not None:
        round_ = _validate_round(c, data["response_round"], codes)
    raw = c.list(data, "responses", "")
    if raw and round_ is None and "response_round" not in data:
        c.error("response_round", "is missing: responses belong to a round")
    elif raw and round_ is None:
        c.error("response_round", "must be an object: responses belong to a round")
    revealed = round_ is not None and round_.revealed_at is not None
    items = {(s.number, i.number): i for s in sessions for i in s.items if i.number}
    measure_keys = {m.key for m in measures} if measures is not None else None
    result, seen = [], set()
    for index, entry in enumerate(raw):
        path = f"responses[{index}]"
        if not c.object(
            entry,
            path,
            {"delegation", "item", "revisions"},
            {"point", "adopted", "replies"},
        ):
            continue
        code = c.string(entry, "delegation", path)
        if code and code not in codes:
            c.error(
                f"{path}.delegation",
                f"{code!r} is not a delegation code of this workshop",
            )
            code = ""
        pair = _item_ref(c, entry, path, items)
        point = None
        if entry.get("point") is not None:
            point = c.integer(entry, "point", path)
            if (
                point is not None
                and pair is not None
                and point > len(items[pair].points)
            ):
                c.error(
                    f"{path}.point",
                    f"item {pair[0]}.{pair[1]} has no point {point}",
                )
                point = None
        if code and pair is not None:
            item = items[pair]
            both = point is not None and point in item.both
            ref = f"{pair[0]}.{pair[1]}" + (f".{point}" if point else "")
            if not both and code != item.addressed_to:
                c.error(
                    f"{path}.delegation",
                    f"{code!r} does not answer {ref}: it is addressed to "
                    f"{item.addressed_to}",
                )
            elif (code, pair, point) in seen:
                c.error(path, f"{code} answers {ref} twice")
            seen.add((code, pair, point))
        revisions = _validate_revisions(c, entry, path, revealed, measure_keys)
        adopted = None
        if entry.get("adopted") is not None:
            adopted = c.integer(entry, "adopted", path)
            if adopted is not None and adopted > len(revisions):
                c.error(f"{path}.adopted", f"there is no revision {adopted}")
                adopted = None
        replies = _validate_replies(c, entry, path, revealed)
        result.append(
            AnswerSpec(
                delegation=code,
                item=pair or (0, 0),
                point=point,
                revisions=revisions,
                adopted=adopted,
                replies=replies,
            )
        )
    return round_, tuple(result)


def _item_ref(c: Collector, entry: dict, path: str, items: dict):
    ref = entry.get("item")
    match = ITEM_REF_RE.match(ref) if isinstance(ref, str) else None
    if "item" not in entry:
        return None
    if match is None:
        c.error(f"{path}.item", f'{ref!r} is not an item reference like "1.3"')
        return None
    pair = (int(match[1]), int(match[2]))
    if pair not in items:
        c.error(
            f"{path}.item", f"{ref!r}: there is no such item in the file's sessions"
        )
        return None
    return pair


def _boolean(c: Collector, obj: dict, key: str, path: str) -> bool:
    value = obj.get(key, False)
    if not isinstance(value, bool):
        c.error(f"{path}.{key}", "must be true or false")
        return False
    return value


def _username(c: Collector, obj: dict, key: str, path: str) -> str | None:
    """A username, or null (the account is gone)."""
    if obj.get(key) is None:
        return None
    return c.string(obj, key, path, max_length=150) or None


def _validate_round(c: Collector, value: Any, codes: set[str]) -> ResponseRoundSpec:
    path = "response_round"
    optional = {"opened_by", "revealed_by", "revealed_at", "unanswered"}
    if not c.object(value, path, {"opened_at"}, optional):
        return ResponseRoundSpec()
    revealed_at = c.datetime(value, "revealed_at", path)
    revealed_by = _username(c, value, "revealed_by", path)
    if revealed_by and value.get("revealed_at") is None:
        c.error(f"{path}.revealed_by", "must be null: the round is not revealed")
    unanswered = []
    for index, raw in enumerate(c.list(value, "unanswered", path)):
        here = f"{path}.unanswered[{index}]"
        if not c.object(raw, here, {"delegation", "ref"}, set()):
            continue
        code = c.string(raw, "delegation", here)
        if code and code not in codes:
            c.error(
                f"{here}.delegation",
                f"{code!r} is not a delegation code of this workshop",
            )
        ref = c.string(
            raw,
            "ref",
            here,
            max_length=20,
            pattern=ASK_REF_RE,
            hint='use "<session>.<item>" or "<session>.<item>.<point>", e.g. "1.3.2"',
        )
        unanswered.append((code, ref))
    if unanswered and value.get("revealed_at") is None:
        c.error(f"{path}.unanswered", "must be empty: the round is not revealed")
    return ResponseRoundSpec(
        opened_by=_username(c, value, "opened_by", path),
        opened_at=c.datetime(value, "opened_at", path),
        revealed_by=revealed_by,
        revealed_at=revealed_at,
        unanswered=tuple(unanswered),
    )


def _validate_revisions(
    c: Collector, entry: dict, path: str, revealed: bool, measure_keys: set | None
) -> tuple[AnswerRevisionSpec, ...]:
    raw = c.list(entry, "revisions", path)
    if "revisions" in entry and isinstance(entry["revisions"], list) and not raw:
        c.error(f"{path}.revisions", "a response has at least one revision")
    result = []
    optional = {"conditions", "asks_measure", "author", "at", "after_reveal"}
    optional |= {"adoptions"}
    for index, rev in enumerate(raw):
        here = f"{path}.revisions[{index}]"
        if not c.object(rev, here, {"number", "stance", "reasoning"}, optional):
            continue
        number = c.integer(rev, "number", here) if "number" in rev else None
        if number is not None and number != index + 1:
            c.error(
                f"{here}.number",
                f"must be {index + 1}: revisions are numbered 1, 2, … in order",
            )
        stance = c.choice(rev, "stance", here, STANCES, "")
        reasoning = c.string(rev, "reasoning", here)
        conditions = c.string(rev, "conditions", here, blank=True)
        asks = rev.get("asks_measure")
        if asks is not None:
            asks = c.string(
                rev,
                "asks_measure",
                here,
                max_length=20,
                pattern=MEASURE_KEY_RE,
                hint="use <measure number>-r<revision>, e.g. 3-r2",
            )
            if asks and measure_keys is not None and asks not in measure_keys:
                c.error(
                    f"{here}.asks_measure", f"{asks!r} is not a measure of the file"
                )
        after_reveal = _boolean(c, rev, "after_reveal", here)
        if after_reveal and not revealed:
            c.error(
                f"{here}.after_reveal",
                "must be false: the round is not revealed",
            )
        adoptions = []
        for a_index, adoption in enumerate(c.list(rev, "adoptions", here)):
            a_here = f"{here}.adoptions[{a_index}]"
            if not c.object(adoption, a_here, {"by", "via"}, {"at"}):
                continue
            adoptions.append(
                AdoptionSpec(
                    by=c.string(adoption, "by", a_here, max_length=150),
                    via=c.choice(adoption, "via", a_here, VIAS, ""),
                    at=c.datetime(adoption, "at", a_here),
                )
            )
        by = [a.by for a in adoptions]
        for name in sorted({n for n in by if by.count(n) > 1}):
            c.error(f"{here}.adoptions", f"{name!r} adopts it twice")
        result.append(
            AnswerRevisionSpec(
                number=number or 0,
                stance=stance,
                reasoning=reasoning,
                conditions=conditions,
                asks_measure=asks or None,
                author=_username(c, rev, "author", here),
                at=c.datetime(rev, "at", here),
                after_reveal=after_reveal,
                adoptions=tuple(adoptions),
            )
        )
    return tuple(result)


def _validate_replies(
    c: Collector, entry: dict, path: str, revealed: bool
) -> tuple[AnswerReplySpec, ...]:
    raw = c.list(entry, "replies", path)
    if raw and not revealed:
        c.error(f"{path}.replies", "must be empty: the round is not revealed")
    result = []
    for index, reply in enumerate(raw):
        here = f"{path}.replies[{index}]"
        if not c.object(reply, here, {"author", "body"}, {"kind", "at"}):
            continue
        result.append(
            AnswerReplySpec(
                author=c.string(reply, "author", here, max_length=150),
                kind=c.choice(reply, "kind", here, REPLY_KINDS, "reply"),
                body=c.string(reply, "body", here),
                at=c.datetime(reply, "at", here),
            )
        )
    return tuple(result)
