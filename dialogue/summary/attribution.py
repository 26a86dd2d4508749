"""How each confidentiality mode names people in a summary: the one place.

* On the record: a remark carries its author's name and affiliation, then
  their delegation (or their role, for someone outside the delegations);
  the conveners are named.
* Chatham House Rule: a remark carries only "a participant from the X
  delegation" (or "an organiser", "a facilitator"... for someone outside
  the delegations); the conveners are counted by role. Names, usernames,
  emails and affiliations are never even read from the database
  (``participant_fields``).
* Off the record: no remark is quoted, nor what a measure's sides would do
  in its proposer's words (``quotes_remarks``), so nobody is named; the
  report has only counts, rankings and tallies, and the conveners are
  counted by role.

Inside the workshop (its own pages, seen only by its participants) every
mode names people: the modes govern what leaves the room, not who is in it.
Under the Chatham House Rule and off the record the participants still know
whom they are talking to, as they would across the table; the discussion
names each remark's author and the workshop page lists everyone by
delegation and role (``names_inside_workshop``). A report leaves the room,
so it follows the rules above.

A citation of a remark in the rapporteur's text becomes a note
(``People.note``): on the record the speaker's name and the remark, under
the Chatham House Rule "A participant from the X delegation" and the
remark, off the record no remark text at all, only the delegation and how
many visible remarks it made on that item.

The statement printed at the top of every report, in English and Chinese,
is here too (``STATEMENTS``). The builder asks here and nowhere else, so
the document it hands the renderers already holds only what the mode shows.
"""

from collections import Counter

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from dialogue import naming
from dialogue.models import Confidentiality, Role

# Printed in English AND Chinese whatever the interface language, so plain
# constants rather than translatable strings.
STATEMENTS: dict[str, tuple[str, str]] = {
    Confidentiality.CHATHAM_HOUSE: (
        "This summary follows the Chatham House Rule: its readers are free to "
        "use the information it contains, but neither the identity nor the "
        "affiliation of any speaker, nor that of any other participant, may "
        "be revealed.",
        "本纪要遵循查塔姆宫规则：读者可以自由使用其中的信息，但不得透露任何"
        "发言者或其他与会者的身份及所属机构。",
    ),
    Confidentiality.ON_THE_RECORD: (
        "This summary is on the record: remarks are attributed to the "
        "participants who made them.",
        "本纪要为公开记录：发言均注明发言者。",
    ),
    Confidentiality.OFF_THE_RECORD: (
        "This summary is off the record: it reports only aggregate results "
        "(numbers of remarks, rankings and tallies of answers); no remark is "
        "quoted or attributed.",
        "本纪要为不公开记录：仅报告汇总结果（发言数量、排序及答复统计），不引用"
        "也不注明任何发言。",
    ),
}

ROLE_ANONYMOUS = {
    Role.ORGANISER: gettext_lazy("an organiser"),
    Role.FACILITATOR: gettext_lazy("a facilitator"),
    Role.OBSERVER: gettext_lazy("an observer"),
    Role.RAPPORTEUR: gettext_lazy("the rapporteur"),
    Role.DELEGATE: gettext_lazy("a participant"),
}
CONVENER_ROLES = (Role.ORGANISER, Role.FACILITATOR)
NOTE_CHARS = 280  # a cited remark is quoted in its note up to this length
IDENTITY_FIELDS = ["user__username", "user__first_name", "user__last_name"]


# What each mode means for a report, for the methodology note of the
# workshop's report (in the interface language).
REPORT_MEANING = {
    Confidentiality.CHATHAM_HOUSE: gettext_lazy(
        "Remarks are quoted and attributed to a delegation only; no participant "
        "is named, and the participants are counted by delegation."
    ),
    Confidentiality.ON_THE_RECORD: gettext_lazy(
        "Remarks are quoted with the names and affiliations of the participants "
        "who made them; the participants are listed by name."
    ),
    Confidentiality.OFF_THE_RECORD: gettext_lazy(
        "No remark is quoted or attributed; the report gives only numbers of "
        "remarks, rankings and tallies, and counts the participants."
    ),
}


def names_inside_workshop(mode: str) -> bool:
    """Whether the workshop's own pages name its participants under `mode`:
    in every mode (see the module docstring); an unknown mode names nobody."""
    return mode in Confidentiality.values


def quotes_remarks(mode: str) -> bool:
    """Whether remarks (and the measures' own words) are quoted at all."""
    return mode != Confidentiality.OFF_THE_RECORD


def participant_fields(mode: str) -> list[str]:
    """The Participant fields the builder may read under `mode`: identities
    only on the record."""
    fields = ["id", "role", "delegation_id"]
    if mode == Confidentiality.ON_THE_RECORD:
        fields += [*IDENTITY_FIELDS, "affiliation"]
    return fields


class People:
    """A workshop's participants, named as the mode allows.

    `rows` are the participants' values (`participant_fields(mode)`), and
    `delegations` maps delegation ids to names.
    """

    def __init__(self, rows, *, mode: str, delegations: dict[int, str]):
        if mode not in Confidentiality.values:
            raise ValueError(f"{mode!r} is not a confidentiality mode")
        self.mode = mode
        self.delegations = delegations
        self.rows = {row["id"]: row for row in rows}

    def attribution(self, participant_id: int) -> str:
        """Who wrote a remark, as the report prints it."""
        row = self.rows.get(participant_id)
        if row is None:
            return _("a participant")
        delegation = self.delegations.get(row["delegation_id"])
        if self.mode == Confidentiality.ON_THE_RECORD:
            label = _name(row)
            if delegation is not None:
                return f"{label} ({delegation})"
            return f"{label} ({Role(row['role']).label})"
        if delegation is not None:
            return _("a participant from the %(delegation)s delegation") % {
                "delegation": delegation
            }
        return str(ROLE_ANONYMOUS[row["role"]])

    def note(
        self, participant_id: int, *, text: str, item: int | str, count: int
    ) -> str:
        """A citation's note: who said it, as the mode allows, and what.

        ``text`` is the remark (never printed off the record), ``item`` the
        agenda item's number ("2.3", session and item, in the report on the
        whole workshop) and ``count`` how many visible remarks the
        author's delegation (or the author's role group outside the
        delegations) made on that item, the only fact kept off the record."""
        who = self.attribution(participant_id)
        who = who[:1].upper() + who[1:]
        if self.mode != Confidentiality.OFF_THE_RECORD:
            return _("%(who)s, on item %(item)s: “%(text)s”") % {
                "who": who,
                "item": item,
                "text": excerpt(text, NOTE_CHARS),
            }
        row = self.rows.get(participant_id)
        delegation = self.delegations.get(row["delegation_id"]) if row else None
        if delegation is None:
            return ngettext(
                "A remark from outside the delegations, on item %(item)s "
                "(%(n)d visible remark from outside the delegations there).",
                "A remark from outside the delegations, on item %(item)s "
                "(%(n)d visible remarks from outside the delegations there).",
                count,
            ) % {"item": item, "n": count}
        return ngettext(
            "A remark from the %(delegation)s delegation, on item %(item)s "
            "(%(n)d visible remark from that delegation there).",
            "A remark from the %(delegation)s delegation, on item %(item)s "
            "(%(n)d visible remarks from that delegation there).",
            count,
        ) % {"delegation": delegation, "item": item, "n": count}

    def conveners(self) -> tuple[str, ...]:
        """The organisers and facilitators: named on the record, else counted."""
        rows = [row for row in self.rows.values() if row["role"] in CONVENER_ROLES]
        if self.mode == Confidentiality.ON_THE_RECORD:
            rows.sort(key=lambda r: (r["role"], r["user__username"]))
            return tuple(f"{_name(row)} ({Role(row['role']).label})" for row in rows)
        counts = Counter(row["role"] for row in rows)
        labels = {
            Role.ORGANISER: lambda n: ngettext(
                "%(n)d organiser", "%(n)d organisers", n
            ),
            Role.FACILITATOR: lambda n: ngettext(
                "%(n)d facilitator", "%(n)d facilitators", n
            ),
        }
        return tuple(
            labels[role](counts[role]) % {"n": counts[role]}
            for role in CONVENER_ROLES
            if counts[role]
        )

    def members(self, delegation_id: int) -> tuple[str, ...]:
        """A delegation's participants as the report lists them: by name on
        the record (sorted), nobody otherwise (they are only counted)."""
        if self.mode != Confidentiality.ON_THE_RECORD:
            return ()
        return tuple(
            sorted(
                _name(row)
                for row in self.rows.values()
                if row["delegation_id"] == delegation_id
            )
        )


def excerpt(body: str, limit: int) -> str:
    """A remark on one line, cut at a word boundary (or, in text without
    spaces such as Chinese, at the limit) when it is long."""
    flat = " ".join(body.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit]
    if " " in cut[limit // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(",;:，；：") + "…"


def _name(row) -> str:
    """Display name (``dialogue.naming``, as the pages show it) and
    affiliation: read (and called) only on the record."""
    label = naming.person_name(
        row["user__first_name"], row["user__last_name"], row["user__username"]
    )
    if row["affiliation"]:
        label = f"{label}, {row['affiliation']}"
    return label
