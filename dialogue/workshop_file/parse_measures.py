"""Validate the optional "measures" key of a workshop file.

Each entry is one revision of a reciprocal measure, keyed "<chain>-r<revision>"
(chains numbered 1, 2, ... in the order they were first proposed). Beyond the
fields, the item references must name items of the file's sessions, and each
chain must be consistent: a revision counters the one before it, which is then
superseded, and a status agrees with the answers and endorsements. Pure: no
database, no models.

The allowed values are the models' own vocabularies, taken from
dialogue.vocabulary (where the models take them too), so a file accepts
exactly what the database holds.
"""

import re
from dataclasses import fields

from dialogue.vocabulary import (
    EndorsementVia,
    MeasureStatus,
    MeasureType,
    Reversibility,
    Sequencing,
    Stance,
)
from dialogue.workshop_file.collector import Collector
from dialogue.workshop_file.spec import (
    EndorsementSpec,
    MeasureSpec,
    ResponseSpec,
    SessionSpec,
)

MEASURE_KEY_RE = re.compile(r"^([1-9][0-9]{0,5})-r([1-9][0-9]{0,4})\Z")
ITEM_REF_RE = re.compile(r"^([1-9][0-9]{0,4})\.([1-9][0-9]{0,4})\Z")
# Drafts are private and never in a file.
MEASURE_STATUSES = tuple(v for v in MeasureStatus.values if v != MeasureStatus.DRAFT)
SEQUENCINGS = tuple(Sequencing.values)
REVERSIBILITIES = tuple(Reversibility.values)
MEASURE_TYPES = tuple(MeasureType.values)
STANCES = tuple(Stance.values)
ENDORSEMENT_VIAS = tuple(EndorsementVia.values)

MEASURE_TEXTS = ("their_action", "conditionality", "verification")
MEASURE_CHOICES = (  # field, allowed values; left out, MeasureSpec's default
    ("sequencing", SEQUENCINGS),
    ("reversibility", REVERSIBILITIES),
    ("measure_type", MEASURE_TYPES),
)
_DEFAULTS = {f.name: f.default for f in fields(MeasureSpec)}


def validate_measures(
    c: Collector, data: dict, codes: set[str], sessions: tuple[SessionSpec, ...]
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
        title = c.string(entry, "title", path, max_length=200, multiline=False)
        our_action = c.string(entry, "our_action", path)
        texts = {
            name: c.string(entry, name, path, blank=True) for name in MEASURE_TEXTS
        }
        timeframe = c.string(
            entry, "timeframe", path, blank=True, max_length=200, multiline=False
        )
        choices = {
            name: c.choice(entry, name, path, allowed, _DEFAULTS[name])
            for name, allowed in MEASURE_CHOICES
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
                proposed_at=c.datetime(entry, "proposed_at", path),
                responses=responses,
                endorsements=endorsements,
                **texts,
                **choices,
            )
        )
    _check_measure_statuses(c, result, codes)
    return tuple(result)


def _validate_responses(c: Collector, entry: dict, path: str):
    result, seen = [], set()
    for index, raw in enumerate(c.list(entry, "responses", path)):
        here = f"{path}.responses[{index}]"
        if not c.object(raw, here, {"username", "stance", "reason"}, {"at"}):
            continue
        username = c.string(raw, "username", here, max_length=150)
        if username in seen:
            c.error(f"{here}.username", f"{username!r} answers twice")
        seen.add(username)
        stance = c.choice(raw, "stance", here, STANCES, "")
        reason = c.string(raw, "reason", here)
        at = c.datetime(raw, "at", here)
        result.append(ResponseSpec(username, stance, reason, at))
    return tuple(result)


def _validate_endorsements(c: Collector, entry: dict, path: str, codes: set[str]):
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
        via = c.choice(raw, "via", here, ENDORSEMENT_VIAS, "")
        by = raw.get("by")
        if via == "head" and "by" in raw and by is None:
            by = ""  # the head has left the workshop since; the endorsement stands
        elif via == "head":
            by = c.string(raw, "by", here, max_length=150) if "by" in raw else ""
            if not by:
                c.error(f"{here}.by", "a head's endorsement names the head")
        elif by is not None:
            c.error(f"{here}.by", "must be null: a majority endorsement has no head")
        at = c.datetime(raw, "at", here)
        result.append(EndorsementSpec(code, via, by or "", at))
    return tuple(result)


def _check_measure_statuses(c: Collector, measures: list, codes: set[str]) -> None:
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
