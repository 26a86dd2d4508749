"""The rapporteur's text: its sections, paragraphs, citations and name check.

Pure module (no models, no database): the services, the pages, the workshop
file and the report builder all read a report's text through these
functions, so "what is a paragraph" and "what is a citation" have one answer.

* A report's text is in sections: ``takeaways``, one ``narrative:<number>``
  per agenda item (per session in the workshop's report), ``convergence``,
  ``divergence`` and ``open_questions``.
* A paragraph is a run of lines between blank lines; corrections name a
  section and a paragraph number, from 1.
* A citation is ``[#c123]``: the remark (comment) with id 123.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

CITATION = re.compile(r"\[#c(\d{1,12})\]")
LEADS = ("convergence", "divergence", "open_questions")
NARRATIVE = "narrative:"
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_WORDLIKE = re.compile(r"^[\w.@+-]+$")


def citation(comment_id: int) -> str:
    """The reference the rapporteur inserts for a remark."""
    return f"[#c{comment_id}]"


def cited_ids(text: str) -> list[int]:
    """The remarks a text cites, in the order first cited, each once."""
    seen: dict[int, None] = {}
    for match in CITATION.finditer(text or ""):
        seen.setdefault(int(match.group(1)), None)
    return list(seen)


def narrative_key(number: int) -> str:
    return f"{NARRATIVE}{number}"


def section_keys(numbers: Iterable[int]) -> list[str]:
    """Every section of a report whose narratives are on these numbers, in
    the order the report prints them."""
    return ["takeaways", *(narrative_key(n) for n in numbers), *LEADS]


def paragraphs(text: str) -> list[str]:
    """The text's paragraphs, without the blank lines between them."""
    normalised = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return [part.strip() for part in _BLANK_LINE.split(normalised) if part.strip()]


def replace_paragraph(text: str, number: int, wording: str) -> str:
    """The text with its paragraph `number` (from 1) in the new wording."""
    parts = paragraphs(text)
    if not 1 <= number <= len(parts):
        raise IndexError(number)
    parts[number - 1] = wording.strip()
    return "\n\n".join(part for part in parts if part)


@dataclass(frozen=True)
class NameHit:
    """A participant's name (or username, email, affiliation) in the text."""

    section: str
    paragraph: int  # from 1
    term: str


def _pattern(term: str) -> re.Pattern:
    escaped = re.escape(term)
    if _WORDLIKE.match(term):
        # Latin names, usernames and emails: whole words only, so "Li"
        # is found in "Li said" but not in "policies".
        return re.compile(rf"(?<![\w@.]){escaped}(?![\w@])", re.IGNORECASE)
    if any(ch.isspace() for ch in term) and term.isascii():
        return re.compile(rf"(?<!\w){escaped}(?!\w)", re.IGNORECASE)
    # Chinese names are written without spaces: any occurrence.
    return re.compile(escaped, re.IGNORECASE)


def name_hits(texts: Mapping[str, str], terms: Iterable[str]) -> list[NameHit]:
    """Where any of `terms` appears in the sections `texts` ({key: text}),
    section by section and paragraph by paragraph; citations are not text
    and are skipped. Terms shorter than two characters are ignored."""
    patterns = [
        (term, _pattern(term))
        for term in sorted({t.strip() for t in terms if t and len(t.strip()) >= 2})
    ]
    hits = []
    for key, text in texts.items():
        for number, paragraph in enumerate(paragraphs(text), start=1):
            plain = CITATION.sub(" ", paragraph)
            hits.extend(
                NameHit(section=key, paragraph=number, term=term)
                for term, pattern in patterns
                if pattern.search(plain)
            )
    return hits


# A full stop that ends no sentence: abbreviations and initials ("U.S.",
# "e.g.", "Mr.", "J. Smith"), and numbers ("3.5", "No. 7").
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "st",
        "no",
        "nos",
        "vs",
        "etc",
        "e.g",
        "i.e",
        "cf",
        "al",
        "approx",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "gen",
        "col",
        "lt",
        "sen",
        "rep",
        "gov",
        "amb",
        "art",
        "para",
        "fig",
        "inc",
        "ltd",
        "co",
        "u.s",
        "u.k",
        "u.n",
        "p.r.c",
        "e.u",
    ]
)
_ENDING = re.compile(
    r"""(?:[。！？!?]+|…+|\.(?!\d))  # the sentence's end
        [”’"'」』）)\]]*            # closing quotes or brackets
    """,
    re.VERBOSE,
)


def first_sentence(text: str) -> str:
    """The first sentence of a text, on one line, in English or Chinese.

    Chinese sentences end at 。！？ (with any closing quote), whatever
    follows; Latin ones at . ! ? followed by a space and not at an
    abbreviation or an initial ("U.S.", "e.g.", "J."). A text without an
    end is its whole first paragraph."""
    parts = paragraphs(text)
    if not parts:
        return ""
    flat = " ".join(parts[0].split())
    for match in _ENDING.finditer(flat):
        end = match.end()
        mark = match.group(0)
        if mark[0] in "。！？":
            return flat[:end].strip()
        if end < len(flat) and not flat[end].isspace():
            continue  # "3.5", "U.S.-China", "word.Next"
        if mark[0] == ".":
            word = flat[: match.start()].rsplit(" ", 1)[-1].lstrip("(“\"'")
            if word.lower() in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
            following = flat[end:].lstrip()
            if following and following[0].islower():
                continue
        return flat[:end].strip()
    return flat
