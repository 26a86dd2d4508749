"""Validate the optional "report_drafts" key of a workshop file.

Each entry is the rapporteur's report on one session (``"session": 2``) or
on the whole workshop (``"session": null``): its state, review deadline,
the remarks it cites, every revision (takeaways, a narrative per item, or
per session in the workshop's report, the three leads), the corrections
filed on a revision's paragraphs and the heads' sign-offs.

Citations: in the file's texts ``[#c<n>]`` names the draft's remark number
`n` of its "remarks" list, not a database id (ids differ from one database
to another). The import looks each remark up by its item, point, author and
time, and rewrites the citation to that comment's id; the export does the
reverse. Beyond the fields, this checks: the session and the narratives'
numbers are in the file, one draft per session (and one for the workshop),
revisions numbered 1, 2, ... in order, every revision a correction or
sign-off names exists, a correction's section is one of the report's and
its paragraph is in that section's text, and every citation names a listed
remark. Who the usernames are (participants, heads) is checked by the import.
Pure: no database, no models.
"""

from dialogue.report_text import CITATION, LEADS, paragraphs, section_keys
from dialogue.vocabulary import CorrectionKind, CorrectionStatus, ReportState
from dialogue.workshop_file.collector import Collector
from dialogue.workshop_file.parse_measures import ITEM_REF_RE
from dialogue.workshop_file.spec import (
    ReportCorrectionSpec,
    ReportDraftSpec,
    ReportRemarkSpec,
    ReportRevisionSpec,
    ReportSignOffSpec,
    SessionSpec,
)

STATES = tuple(ReportState.values)
KINDS = tuple(CorrectionKind.values)
STATUSES = tuple(CorrectionStatus.values)
DRAFT_FIELDS = {
    "state",
    "review_revision",
    "review_deadline",
    "sent_for_review_at",
    "released_at",
    "released_by",
    "remarks",
    "revisions",
    "corrections",
    "sign_offs",
}
REVISION_FIELDS = {"author", "takeaways", "narratives", "at", *LEADS}
CORRECTION_FIELDS = {"suggestion", "status", "reason", "resolved_by", "at"}
CORRECTION_FIELDS |= {"resolved_at", "applied_in"}


def validate_report_drafts(
    c: Collector, data: dict, codes: set[str], sessions: tuple[SessionSpec, ...]
) -> tuple[ReportDraftSpec, ...]:
    by_number = {s.number: s for s in sessions if s.number}
    items = {(s.number, i.number): i for s in sessions for i in s.items if i.number}
    result, seen = [], set()
    for index, entry in enumerate(c.list(data, "report_drafts", "")):
        path = f"report_drafts[{index}]"
        if not c.object(entry, path, {"session", "revisions"}, DRAFT_FIELDS):
            continue
        session = None
        if entry.get("session") is not None:
            session = c.integer(entry, "session", path)
            if session is not None and session not in by_number:
                c.error(f"{path}.session", f"there is no session {session} in the file")
                session = None
        if session is None and entry.get("session") is not None:
            continue  # reported; its numbers cannot be checked
        if session in seen:
            what = f"session {session}" if session else "the workshop"
            c.error(f"{path}.session", f"{what} has two report drafts")
        seen.add(session)
        if session is None:
            numbers = sorted(by_number)
            unknown = "the file has no session {}"
        else:
            numbers = sorted(i.number for i in by_number[session].items if i.number)
            unknown = f"session {session} has no item {{}}"
        remarks = _remarks(c, entry, path, items)
        revisions = _revisions(c, entry, path, numbers, unknown, len(remarks))
        texts = {r.number: _sections(r) for r in revisions}
        corrections = _corrections(c, entry, path, texts, numbers, len(remarks))
        sign_offs = _sign_offs(c, entry, path, texts, codes)
        review_revision = None
        if entry.get("review_revision") is not None:
            review_revision = c.integer(entry, "review_revision", path)
            if review_revision is not None and review_revision not in texts:
                c.error(
                    f"{path}.review_revision", f"there is no revision {review_revision}"
                )
        result.append(
            ReportDraftSpec(
                session=session,
                state=c.choice(entry, "state", path, STATES, ReportState.DRAFTING),
                review_revision=review_revision,
                review_deadline=c.datetime(entry, "review_deadline", path),
                sent_for_review_at=c.datetime(entry, "sent_for_review_at", path),
                released_at=c.datetime(entry, "released_at", path),
                released_by=_username(c, entry, "released_by", path),
                remarks=remarks,
                revisions=revisions,
                corrections=corrections,
                sign_offs=sign_offs,
            )
        )
    return tuple(result)


def _username(c: Collector, obj: dict, key: str, path: str) -> str | None:
    """A username, or null (nobody, or the account is gone)."""
    if obj.get(key) is None:
        return None
    return c.string(obj, key, path, max_length=150, multiline=False) or None


def _sections(revision: ReportRevisionSpec) -> dict[str, str]:
    return {
        "takeaways": revision.takeaways,
        **{f"narrative:{n}": text for n, text in revision.narratives},
        "convergence": revision.convergence,
        "divergence": revision.divergence,
        "open_questions": revision.open_questions,
    }


def _text(c: Collector, obj: dict, key: str, path: str, remarks: int) -> str:
    """Optional text whose citations must each name one of the remarks."""
    value = c.string(obj, key, path, blank=True)
    _check_citations(c, value, f"{path}.{key}", remarks)
    return value


def _check_citations(c: Collector, text: str, path: str, remarks: int) -> None:
    for match in CITATION.finditer(text or ""):
        number = int(match.group(1))
        if not 1 <= number <= remarks:
            c.error(
                path,
                f"cites {match.group(0)}, but the draft's remarks have no "
                f"number {number}: list the remark it cites",
            )


def _remarks(c: Collector, entry: dict, path: str, items: dict):
    result = []
    for index, raw in enumerate(c.list(entry, "remarks", path)):
        here = f"{path}.remarks[{index}]"
        required = {"number", "item", "author", "posted_at"}
        if not c.object(raw, here, required, {"point"}):
            continue
        number = c.integer(raw, "number", here) if "number" in raw else None
        if number is not None and number != index + 1:
            c.error(
                f"{here}.number",
                f"must be {index + 1}: remarks are numbered 1, 2, … in order",
            )
        pair = None
        ref = raw.get("item")
        match = ITEM_REF_RE.match(ref) if isinstance(ref, str) else None
        if "item" in raw and match is None:
            c.error(f"{here}.item", f'{ref!r} is not an item reference like "1.3"')
        elif match is not None:
            pair = (int(match[1]), int(match[2]))
            if pair not in items:
                c.error(f"{here}.item", f"{ref!r}: there is no such item in the file")
                pair = None
        point = None
        if raw.get("point") is not None:
            point = c.integer(raw, "point", here)
            if point is not None and pair and point > len(items[pair].points):
                c.error(f"{here}.point", f"item {ref} has no point {point}")
        posted_at = c.datetime(raw, "posted_at", here)
        if "posted_at" in raw and raw["posted_at"] is None:
            c.error(f"{here}.posted_at", "is missing: it is part of the remark's key")
        result.append(
            ReportRemarkSpec(
                number=number or 0,
                item=pair or (0, 0),
                point=point,
                author=c.string(raw, "author", here, max_length=150, multiline=False),
                posted_at=posted_at,
            )
        )
    return tuple(result)


def _revisions(
    c: Collector,
    entry: dict,
    path: str,
    numbers: list[int],
    unknown: str,
    remarks: int,
) -> tuple[ReportRevisionSpec, ...]:
    """`unknown`: the message for a narrative on a number not in `numbers`."""
    result = []
    for index, raw in enumerate(c.list(entry, "revisions", path)):
        here = f"{path}.revisions[{index}]"
        if not c.object(raw, here, {"number"}, REVISION_FIELDS):
            continue
        number = c.integer(raw, "number", here)
        if number is not None and number != index + 1:
            c.error(
                f"{here}.number",
                f"must be {index + 1}: revisions are numbered 1, 2, … in order",
            )
        narratives = []
        raw_narratives = raw.get("narratives", {})
        if not isinstance(raw_narratives, dict):
            c.error(f"{here}.narratives", "must be an object {number: text}")
            raw_narratives = {}
        for key in raw_narratives:
            key_path = f"{here}.narratives.{key}"
            if not key.isdigit() or int(key) not in numbers:
                c.error(key_path, unknown.format(key))
                continue
            text = _text(c, raw_narratives, key, f"{here}.narratives", remarks)
            narratives.append((int(key), text))
        result.append(
            ReportRevisionSpec(
                number=number or 0,
                author=_username(c, raw, "author", here),
                takeaways=_text(c, raw, "takeaways", here, remarks),
                narratives=tuple(sorted(narratives)),
                convergence=_text(c, raw, "convergence", here, remarks),
                divergence=_text(c, raw, "divergence", here, remarks),
                open_questions=_text(c, raw, "open_questions", here, remarks),
                at=c.datetime(raw, "at", here),
            )
        )
    return tuple(result)


def _revision_number(
    c: Collector, raw: dict, key: str, path: str, texts: dict
) -> int | None:
    number = c.integer(raw, key, path) if raw.get(key) is not None else None
    if number is not None and number not in texts:
        c.error(f"{path}.{key}", f"there is no revision {number}")
        return None
    return number


def _corrections(
    c: Collector,
    entry: dict,
    path: str,
    texts: dict[int, dict[str, str]],
    numbers: list[int],
    remarks: int,
) -> tuple[ReportCorrectionSpec, ...]:
    keys = section_keys(numbers)
    result = []
    for index, raw in enumerate(c.list(entry, "corrections", path)):
        here = f"{path}.corrections[{index}]"
        required = {"revision", "section", "paragraph", "kind", "note", "filed_by"}
        if not c.object(raw, here, required, CORRECTION_FIELDS):
            continue
        revision = _revision_number(c, raw, "revision", here, texts)
        if "revision" in raw and raw["revision"] is None:
            c.error(f"{here}.revision", "must be a revision's number")
        section = c.string(raw, "section", here, max_length=40, multiline=False)
        paragraph = c.integer(raw, "paragraph", here) if "paragraph" in raw else None
        if section and section not in keys:
            c.error(
                f"{here}.section",
                f"{section!r} is not a section of this report ({', '.join(keys)})",
            )
        elif section and revision is not None and paragraph is not None:
            count = len(paragraphs(texts[revision].get(section, "")))
            if paragraph > count:
                c.error(
                    f"{here}.paragraph",
                    f"revision {revision}'s {section} has {count} paragraph(s), "
                    f"not {paragraph}",
                )
        result.append(
            ReportCorrectionSpec(
                revision=revision or 0,
                section=section,
                paragraph=paragraph or 0,
                kind=c.choice(raw, "kind", here, KINDS, ""),
                note=_required_text(c, raw, "note", here, remarks),
                filed_by=c.string(raw, "filed_by", here, max_length=150),
                suggestion=_text(c, raw, "suggestion", here, remarks),
                status=c.choice(raw, "status", here, STATUSES, CorrectionStatus.OPEN),
                reason=c.string(raw, "reason", here, blank=True),
                resolved_by=_username(c, raw, "resolved_by", here),
                at=c.datetime(raw, "at", here),
                resolved_at=c.datetime(raw, "resolved_at", here),
                applied_in=_revision_number(c, raw, "applied_in", here, texts),
            )
        )
    return tuple(result)


def _required_text(c: Collector, obj: dict, key: str, path: str, remarks: int) -> str:
    value = c.string(obj, key, path)
    _check_citations(c, value, f"{path}.{key}", remarks)
    return value


def _sign_offs(
    c: Collector, entry: dict, path: str, texts: dict, codes: set[str]
) -> tuple[ReportSignOffSpec, ...]:
    result, seen = [], set()
    for index, raw in enumerate(c.list(entry, "sign_offs", path)):
        here = f"{path}.sign_offs[{index}]"
        required = {"revision", "delegation", "participant"}
        if not c.object(raw, here, required, {"at"}):
            continue
        revision = _revision_number(c, raw, "revision", here, texts)
        code = c.string(raw, "delegation", here)
        if code and code not in codes:
            c.error(
                f"{here}.delegation",
                f"{code!r} is not a delegation code of this workshop",
            )
        elif code and (revision, code) in seen:
            c.error(here, f"{code} signs revision {revision} off twice")
        seen.add((revision, code))
        result.append(
            ReportSignOffSpec(
                revision=revision or 0,
                delegation=code,
                participant=c.string(raw, "participant", here, max_length=150),
                at=c.datetime(raw, "at", here),
            )
        )
    return tuple(result)
