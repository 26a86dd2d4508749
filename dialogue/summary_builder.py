"""Build a session's SummaryDocument from the database, once, for every format.

The confidentiality mode is applied here and nowhere else:

* on the record: remarks carry the author's name, affiliation and delegation;
* Chatham House Rule: remarks carry only "a participant from the X
  delegation" (or the author's role, for someone outside the delegations);
  names, usernames, emails and affiliations are never even read;
* off the record: no remark is read at all, only counts, rankings and tallies.

Section rules (also printed in the report's notes):

* Discussion: visible remarks only (withdrawn and hidden ones are left out),
  grouped by the author's delegation (delegations by code, then participants
  without one), the most-endorsed first (ties: the earlier first); at most
  ``MAX_REMARKS`` top-level remarks per delegation and item, each with at most
  ``MAX_REPLIES`` replies; the rest are counted.
* Ranking: the latest CLOSED round only, never an open one (its ballots are
  secret until it closes). The ballots that count, over the items they rank,
  are those of the results page (``selectors.rankings.counted_ballots``),
  aggregated per delegation with ``ranking_maths.aggregate`` (Schulze); two
  delegations are compared with ``ranking_maths.compare``.
* Measures: every non-draft measure linked to an item of the session, with
  its status and each delegation's tally of answers.
* Convergence: items in both delegations' top third (shared priorities),
  measures endorsed by every delegation, and measures every delegation's
  answers lean towards supporting.
* Divergence: items whose ranks differ by at least a third of the items
  (the largest gaps), and measures one delegation leans towards supporting
  while another leans towards opposing.
* Open questions: top-level remarks containing a question mark that nobody
  has answered yet, measures with answers asking for clarification, measures
  a delegation has not answered, and items with no remark at all.
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from datetime import datetime

from django.conf import settings
from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from dialogue import ranking_maths
from dialogue.models import (
    AgendaItem,
    Comment,
    CommentState,
    Confidentiality,
    MeasureEndorsement,
    MeasureResponse,
    MeasureStatus,
    Participant,
    RankingRound,
    ReciprocalMeasure,
    Role,
    Session,
    Stance,
)
from dialogue.ranking_maths import rank_text
from dialogue.selectors import rankings
from dialogue.slope_chart import slope_chart_svg
from dialogue.summary_document import (
    CONFIDENTIALITY_STATEMENTS,
    DISCLAIMER,
    DelegationCount,
    DelegationDiscussion,
    Header,
    ItemRank,
    ItemSection,
    MeasureSummary,
    RankingResult,
    RankingRow,
    Remark,
    SummaryDocument,
    Tally,
)

MAX_REMARKS = 5
MAX_REPLIES = 1
MAX_QUESTIONS_PER_ITEM = 3
QUESTION_CHARS = 240
NO_DELEGATION = None  # the group of participants outside the delegations

ROLE_ANONYMOUS = {
    Role.ORGANISER: gettext_lazy("an organiser"),
    Role.FACILITATOR: gettext_lazy("a facilitator"),
    Role.OBSERVER: gettext_lazy("an observer"),
    Role.RAPPORTEUR: gettext_lazy("the rapporteur"),
    Role.DELEGATE: gettext_lazy("a participant"),
}


def _when(value: datetime | None) -> str:
    if value is None:
        return ""
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M %Z")


def _dates(session: Session) -> str:
    start, end = session.starts_at, session.ends_at
    if start and end:
        local_start, local_end = timezone.localtime(start), timezone.localtime(end)
        if local_start.date() == local_end.date():
            return (
                f"{local_start:%Y-%m-%d %H:%M} – {local_end:%H:%M} "
                f"{local_end.strftime('%Z')}"
            )
        return f"{_when(start)} – {_when(end)}"
    return _when(start or end)


class _People:
    """Who wrote what, reduced to what the confidentiality mode allows."""

    def __init__(self, *, workshop, mode: str, delegations: dict):
        self.mode = mode
        self.delegations = delegations
        fields = ["id", "role", "delegation_id"]
        if mode == Confidentiality.ON_THE_RECORD:
            # Only on the record are identities read from the database.
            fields += [
                "user__username",
                "user__first_name",
                "user__last_name",
                "affiliation",
            ]
        self.rows = {
            row["id"]: row
            for row in Participant.objects.filter(workshop=workshop).values(*fields)
        }

    def delegation_of(self, participant_id: int):
        row = self.rows.get(participant_id)
        return row["delegation_id"] if row else None

    def attribution(self, participant_id: int) -> str:
        row = self.rows.get(participant_id)
        if row is None:
            return _("a participant")
        delegation = self.delegations.get(row["delegation_id"])
        if self.mode == Confidentiality.ON_THE_RECORD:
            label = self._name(row)
            if delegation is not None:
                return f"{label} ({delegation.name})"
            return f"{label} ({Role(row['role']).label})"
        if delegation is not None:
            return _("a participant from the %(delegation)s delegation") % {
                "delegation": delegation.name
            }
        return str(ROLE_ANONYMOUS[row["role"]])

    @staticmethod
    def _name(row) -> str:
        """Name and affiliation: read (and called) only on the record."""
        name = " ".join(
            part for part in (row["user__first_name"], row["user__last_name"]) if part
        )
        label = name or row["user__username"]
        if row["affiliation"]:
            label = f"{label}, {row['affiliation']}"
        return label

    def conveners(self) -> tuple[str, ...]:
        roles = (Role.ORGANISER, Role.FACILITATOR)
        rows = [row for row in self.rows.values() if row["role"] in roles]
        if self.mode == Confidentiality.ON_THE_RECORD:
            rows.sort(key=lambda r: (r["role"], r["user__username"]))
            return tuple(
                f"{self._name(row)} ({Role(row['role']).label})" for row in rows
            )
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
            for role in roles
            if counts[role]
        )

    def per_delegation(self) -> Counter:
        return Counter(row["delegation_id"] for row in self.rows.values())


def build_summary_document(
    *,
    session: Session,
    confidentiality: str | None = None,
    version: int = 0,
    compiled_at: datetime | None = None,
    language: str | None = None,
) -> SummaryDocument:
    """Read the session once and return its summary as plain data.

    ``confidentiality`` defaults to the workshop's mode; the report records
    the mode it was compiled under.
    """
    language = language or settings.LANGUAGE_CODE
    with translation.override(language):
        document = _Builder(
            session=session,
            mode=confidentiality or session.workshop.confidentiality,
            version=version,
            compiled_at=compiled_at or timezone.now(),
        ).build()
    return dataclasses.replace(document, language=language)


class _Builder:
    def __init__(self, *, session, mode, version, compiled_at):
        if mode not in Confidentiality.values:
            raise ValueError(f"{mode!r} is not a confidentiality mode")
        self.session = Session.objects.select_related("workshop").get(pk=session.pk)
        self.workshop = self.session.workshop
        self.mode = mode
        self.version = version
        self.compiled_at = compiled_at
        self.remarks_included = mode != Confidentiality.OFF_THE_RECORD
        self.delegations = {d.pk: d for d in self.workshop.delegations.all()}
        self.people = _People(
            workshop=self.workshop, mode=mode, delegations=self.delegations
        )
        self.items = list(
            AgendaItem.objects.filter(session=self.session)
            .select_related("proposed_by", "addressed_to")
            .prefetch_related("points")
        )

    # -- groups ------------------------------------------------------------

    def _groups(self) -> list:
        """Delegation ids by code, then the group without a delegation."""
        return [*self.delegations, NO_DELEGATION]

    def _group_name(self, delegation_id) -> str:
        if delegation_id is NO_DELEGATION:
            return _("Participants outside the delegations")
        return self.delegations[delegation_id].name

    # -- build -------------------------------------------------------------

    def build(self) -> SummaryDocument:
        ranking, item_ranks, comparison = self._ranking()
        measures = self._measures()
        by_item: dict[int, list[MeasureSummary]] = defaultdict(list)
        for measure in measures:
            for number in measure.item_numbers:
                by_item[number].append(measure)
        discussion, counts = self._discussion()
        items = tuple(
            ItemSection(
                number=item.number,
                title=item.title,
                proposed_by=item.proposed_by.name,
                addressed_to=item.addressed_to.name,
                body=item.body,
                points=tuple((p.label, p.text) for p in item.points.all()),
                discussion=discussion.get(item.pk, ()),
                ranks=item_ranks.get(item.pk, ()),
                measures=tuple(by_item.get(item.number, ())),
            )
            for item in self.items
        )
        return SummaryDocument(
            header=self._header(),
            items=items,
            ranking=ranking,
            convergence=self._convergence(comparison, measures),
            divergence=self._divergence(comparison, measures),
            open_questions=self._open_questions(counts, measures),
            remarks_included=self.remarks_included,
            notes=self._notes(),
        )

    def _header(self) -> Header:
        per_delegation = self.people.per_delegation()
        statement_en, statement_zh = CONFIDENTIALITY_STATEMENTS[self.mode]
        return Header(
            workshop_title=self.workshop.title,
            session_title=self.session.title,
            session_number=self.session.number,
            dates=_dates(self.session),
            conveners=self.people.conveners(),
            delegations=tuple(
                DelegationCount(
                    name=d.name, code=d.code, participants=per_delegation[d.pk]
                )
                for d in self.delegations.values()
            ),
            confidentiality=self.mode,
            confidentiality_label=str(Confidentiality(self.mode).label),
            statement_en=statement_en,
            statement_zh=statement_zh,
            disclaimer_en=DISCLAIMER[0],
            disclaimer_zh=DISCLAIMER[1],
            source=self.workshop.source_citation if self.workshop.source_title else "",
            version=self.version,
            compiled_at=_when(self.compiled_at),
        )

    def _notes(self) -> tuple[str, ...]:
        notes = [
            _(
                "Only visible remarks are reported; withdrawn remarks and "
                "remarks hidden by a facilitator are left out."
            ),
            _(
                "Rankings come from the latest closed ranking round only "
                "(Schulze method per delegation)."
            ),
        ]
        if self.remarks_included:
            notes.insert(
                1,
                _(
                    "For each delegation, at most %(n)d remarks per item are "
                    "quoted, the most endorsed first; the others are counted."
                )
                % {"n": MAX_REMARKS},
            )
        return tuple(notes)

    # -- discussion ----------------------------------------------------------

    def _discussion(self):
        visible = Comment.objects.filter(
            item__session=self.session, state=CommentState.VISIBLE
        )
        counts: dict[tuple, Counter] = defaultdict(Counter)
        top_level = ExpressionWrapper(
            Q(parent__isnull=True), output_field=BooleanField()
        )
        for row in (
            visible.values("item_id", "author__delegation_id", top=top_level)
            .annotate(n=Count("id"))
            .order_by()
        ):
            kind = "top" if row["top"] else "reply"
            counts[(row["item_id"], row["author__delegation_id"])][kind] += row["n"]
        quoted: dict[tuple, list[Remark]] = defaultdict(list)
        if self.remarks_included:
            quoted = self._quoted_remarks(visible)
        discussion = {}
        for item in self.items:
            groups = []
            for group in self._groups():
                count = counts.get((item.pk, group), Counter())
                if not count and group is NO_DELEGATION:
                    continue
                groups.append(
                    DelegationDiscussion(
                        delegation=self._group_name(group),
                        remark_count=count["top"],
                        reply_count=count["reply"],
                        remarks=tuple(quoted.get((item.pk, group), ())),
                    )
                )
            discussion[item.pk] = tuple(groups)
        return discussion, counts

    def _quoted_remarks(self, visible) -> dict[tuple, list[Remark]]:
        order = [F("endorsement_count").desc(), F("created_at").asc(), F("id").asc()]
        top = list(
            visible.filter(parent__isnull=True)
            .annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=[F("item_id"), F("author__delegation_id")],
                    order_by=order,
                ),
                replies_n=Coalesce(
                    Subquery(
                        Comment.objects.filter(
                            parent=OuterRef("pk"), state=CommentState.VISIBLE
                        )
                        .order_by()
                        .values("parent")
                        .annotate(n=Count("id"))
                        .values("n")
                    ),
                    0,
                ),
            )
            .filter(rank__lte=MAX_REMARKS)
            .values(
                "id",
                "item_id",
                "author_id",
                "author__delegation_id",
                "body",
                "endorsement_count",
                "point__position",
                "point__item__number",
                "replies_n",
                "rank",
            )
            .order_by("item_id", "author__delegation_id", "rank")
        )
        replies: dict[int, list[Remark]] = defaultdict(list)
        parent_ids = [row["id"] for row in top if row["replies_n"]]
        if parent_ids:
            for row in (
                Comment.objects.filter(
                    parent_id__in=parent_ids, state=CommentState.VISIBLE
                )
                .annotate(
                    rank=Window(
                        RowNumber(), partition_by=[F("parent_id")], order_by=order
                    )
                )
                .filter(rank__lte=MAX_REPLIES)
                .values("parent_id", "author_id", "body", "endorsement_count", "rank")
                .order_by("parent_id", "rank")
            ):
                replies[row["parent_id"]].append(
                    Remark(
                        attribution=self.people.attribution(row["author_id"]),
                        text=row["body"],
                        endorsements=row["endorsement_count"],
                    )
                )
        quoted: dict[tuple, list[Remark]] = defaultdict(list)
        for row in top:
            point = ""
            if row["point__position"]:
                point = f"{row['point__item__number']}.{row['point__position']}"
            quoted[(row["item_id"], row["author__delegation_id"])].append(
                Remark(
                    attribution=self.people.attribution(row["author_id"]),
                    text=row["body"],
                    endorsements=row["endorsement_count"],
                    point_label=point,
                    replies=tuple(replies.get(row["id"], ())),
                    reply_count=row["replies_n"],
                )
            )
        return quoted

    # -- ranking -------------------------------------------------------------

    def _ranking(self):
        closed = (
            RankingRound.objects.filter(session=self.session, closed_at__isnull=False)
            .order_by("-number")
            .first()
        )
        if closed is None or not self.items:
            return None, {}, None
        counted = rankings.counted_ballots(round_=closed, items=self.items)
        candidates = counted.candidates
        overall = ranking_maths.aggregate(counted.everyone, candidates)
        aggregates = {
            d: ranking_maths.aggregate(counted.by_delegation.get(d, []), candidates)
            for d in self.delegations
        }
        ranked = [d for d in self.delegations if aggregates[d].n_rankers]
        item_ranks = {
            pk: tuple(
                ItemRank(
                    delegation=self.delegations[d].name,
                    rank=aggregates[d].ranks[pk] if aggregates[d].n_rankers else None,
                )
                for d in self.delegations
            )
            for pk in candidates
        }
        comparison = None
        chart = ""
        chart_title = _("Ranks by delegation (1 = top)")
        if len(self.delegations) == 2 and len(ranked) == 2:
            a, b = ranked
            comparison = ranking_maths.compare(aggregates[a], aggregates[b], candidates)
            chart = slope_chart_svg(
                left_label=self.delegations[a].name,
                right_label=self.delegations[b].name,
                items=[
                    (
                        f"{item.number}. {item.title}",
                        comparison.ranks_a[item.pk],
                        comparison.ranks_b[item.pk],
                    )
                    for item in self.items
                    if item.pk in comparison.ranks_a
                ],
                title=chart_title,
                chart_id="summary-ranking",
            )
        number = {item.pk: item for item in self.items}
        rows = sorted(
            (
                RankingRow(
                    number=number[pk].number,
                    title=number[pk].title,
                    overall_rank=overall.ranks[pk],
                    ranks=item_ranks[pk],
                    median=overall.feedback[pk].median if overall.feedback else None,
                    iqr=overall.feedback[pk].iqr if overall.feedback else None,
                )
                for pk in candidates
            ),
            key=lambda row: (row.overall_rank, row.number),
        )
        result = RankingResult(
            round_number=closed.number,
            closed_at=_when(closed.closed_at),
            rankers=tuple(
                (self.delegations[d].name, aggregates[d].n_rankers)
                for d in self.delegations
            ),
            rows=tuple(rows),
            tau_b=comparison.tau_b if comparison else None,
            chart_svg=chart,
            chart_title=chart_title,
        )
        self._comparison_pair = ranked[:2] if comparison else None
        return result, item_ranks, comparison

    # -- measures ------------------------------------------------------------

    def _measures(self) -> list[MeasureSummary]:
        measures = list(
            ReciprocalMeasure.objects.filter(
                workshop=self.workshop, items__session=self.session
            )
            .exclude(status=MeasureStatus.DRAFT)
            .select_related("proposing_delegation")
            .distinct()
            .order_by("created_at", "id")
        )
        if not measures:
            return []
        ids = [m.pk for m in measures]
        numbers: dict[int, set] = defaultdict(set)
        for measure_id, item_number in ReciprocalMeasure.items.through.objects.filter(
            reciprocalmeasure_id__in=ids, agendaitem__session=self.session
        ).values_list("reciprocalmeasure_id", "agendaitem__number"):
            numbers[measure_id].add(item_number)
        endorsed: dict[int, set] = defaultdict(set)
        for measure_id, delegation_id in MeasureEndorsement.objects.filter(
            measure_id__in=ids
        ).values_list("measure_id", "delegation_id"):
            endorsed[measure_id].add(delegation_id)
        tallies: dict[tuple, Counter] = defaultdict(Counter)
        for row in (
            MeasureResponse.objects.filter(measure_id__in=ids)
            .values("measure_id", "participant__delegation_id", "stance")
            .annotate(n=Count("id"))
        ):
            key = (row["measure_id"], row["participant__delegation_id"])
            tallies[key][row["stance"]] += row["n"]
        self._measure_leanings = {}
        self._measure_endorsed = {}
        result = []
        for m in measures:
            tally_rows = []
            leanings = {}
            for d, delegation in self.delegations.items():
                counter = tallies.get((m.pk, d), Counter())
                tally_rows.append(
                    Tally(
                        delegation=delegation.name,
                        support=counter[Stance.SUPPORT],
                        support_with_changes=counter[Stance.SUPPORT_WITH_CHANGES],
                        oppose=counter[Stance.OPPOSE],
                        clarify=counter[Stance.CLARIFY],
                    )
                )
                leanings[d] = _leaning(counter)
            summary = MeasureSummary(
                title=m.title,
                proposed_by=m.proposing_delegation.name,
                our_action=m.our_action,
                their_action=m.their_action,
                status=str(MeasureStatus(m.status).label),
                status_value=m.status,
                sequencing=str(m.get_sequencing_display()),
                timeframe=m.timeframe,
                revision=m.revision,
                endorsed_by=tuple(
                    self.delegations[d].name
                    for d in self.delegations
                    if d in endorsed[m.pk]
                ),
                tallies=tuple(tally_rows),
                item_numbers=tuple(sorted(numbers[m.pk])),
            )
            self._measure_leanings[id(summary)] = leanings
            self._measure_endorsed[id(summary)] = endorsed[m.pk]
            result.append(summary)
        return result

    # -- convergence, divergence, open questions -----------------------------

    def _item(self, pk: int) -> dict:
        item = next(i for i in self.items if i.pk == pk)
        return {"number": item.number, "title": item.title}

    def _live_measures(self, measures):
        dead = {MeasureStatus.WITHDRAWN, MeasureStatus.SUPERSEDED}
        return [m for m in measures if m.status_value not in dead]

    def _convergence(self, comparison, measures) -> tuple[str, ...]:
        lines = []
        if comparison is not None:
            a, b = self._comparison_pair
            for pk in comparison.shared_priorities:
                lines.append(
                    _(
                        "Item %(number)d (“%(title)s”) is a shared priority: "
                        "ranked %(rank_a)s by %(a)s and %(rank_b)s by %(b)s."
                    )
                    % {
                        **self._item(pk),
                        "a": self.delegations[a].name,
                        "rank_a": rank_text(comparison.ranks_a[pk]),
                        "b": self.delegations[b].name,
                        "rank_b": rank_text(comparison.ranks_b[pk]),
                    }
                )
        everyone = set(self.delegations)
        for m in self._live_measures(measures):
            if everyone and self._measure_endorsed[id(m)] >= everyone:
                lines.append(
                    _("Measure “%(title)s” is endorsed by every delegation.")
                    % {"title": m.title}
                )
            elif everyone and all(
                self._measure_leanings[id(m)][d] == "support" for d in everyone
            ):
                lines.append(
                    _(
                        "Measure “%(title)s”: every delegation's answers lean "
                        "towards support."
                    )
                    % {"title": m.title}
                )
        return tuple(lines)

    def _divergence(self, comparison, measures) -> tuple[str, ...]:
        lines = []
        if comparison is not None:
            a, b = self._comparison_pair
            threshold = max(1.0, len(comparison.ranks_a) / 3)
            for pk, rank_a, rank_b, gap in comparison.asymmetries:
                if gap < threshold:
                    continue
                lines.append(
                    _(
                        "Item %(number)d (“%(title)s”): ranked %(rank_a)s by "
                        "%(a)s but %(rank_b)s by %(b)s."
                    )
                    % {
                        **self._item(pk),
                        "a": self.delegations[a].name,
                        "rank_a": rank_text(rank_a),
                        "b": self.delegations[b].name,
                        "rank_b": rank_text(rank_b),
                    }
                )
        for m in self._live_measures(measures):
            leanings = self._measure_leanings[id(m)]
            supporting = [d for d, lean in leanings.items() if lean == "support"]
            opposing = [d for d, lean in leanings.items() if lean == "oppose"]
            if supporting and opposing:
                lines.append(
                    _(
                        "Measure “%(title)s”: answers from %(supporters)s lean "
                        "towards support, answers from %(opponents)s towards "
                        "opposition."
                    )
                    % {
                        "title": m.title,
                        "supporters": ", ".join(
                            self.delegations[d].name for d in supporting
                        ),
                        "opponents": ", ".join(
                            self.delegations[d].name for d in opposing
                        ),
                    }
                )
        return tuple(lines)

    def _open_questions(self, counts, measures) -> tuple[str, ...]:
        lines = []
        unanswered = (
            Comment.objects.filter(
                item__session=self.session,
                state=CommentState.VISIBLE,
                parent__isnull=True,
            )
            .filter(Q(body__contains="?") | Q(body__contains="？"))
            .exclude(replies__state=CommentState.VISIBLE)
        )
        per_item = Counter(
            dict(unanswered.values_list("item_id").annotate(n=Count("id")).order_by())
        )
        quoted: dict[int, list] = defaultdict(list)
        if self.remarks_included and per_item:
            for row in (
                unanswered.annotate(
                    rank=Window(
                        RowNumber(),
                        partition_by=[F("item_id")],
                        order_by=[
                            F("endorsement_count").desc(),
                            F("created_at").asc(),
                            F("id").asc(),
                        ],
                    )
                )
                .filter(rank__lte=MAX_QUESTIONS_PER_ITEM)
                .values("item_id", "author_id", "body")
                .order_by("item_id", "rank")
            ):
                quoted[row["item_id"]].append(row)
        for item in self.items:
            n = per_item.get(item.pk, 0)
            if n:
                lines.append(
                    ngettext(
                        "Item %(number)d: %(n)d question has no reply yet.",
                        "Item %(number)d: %(n)d questions have no reply yet.",
                        n,
                    )
                    % {"number": item.number, "n": n}
                )
                for row in quoted.get(item.pk, ()):
                    lines.append(
                        _("Item %(number)d, %(who)s asked: “%(text)s”")
                        % {
                            "number": item.number,
                            "who": self.people.attribution(row["author_id"]),
                            "text": _excerpt(row["body"]),
                        }
                    )
            remarks = sum(
                counts.get((item.pk, g), Counter())["top"] for g in self._groups()
            )
            if not remarks:
                lines.append(
                    _("Item %(number)d received no remarks.") % {"number": item.number}
                )
        for m in self._live_measures(measures):
            asking = [t for t in m.tallies if t.clarify]
            if asking:
                lines.append(
                    _("Measure “%(title)s”: clarification asked by %(who)s.")
                    % {
                        "title": m.title,
                        "who": ", ".join(
                            f"{t.delegation} ({t.clarify})" for t in asking
                        ),
                    }
                )
            silent = [
                t.delegation
                for t in m.tallies
                if not t.total and t.delegation != m.proposed_by
            ]
            if silent:
                lines.append(
                    _("Measure “%(title)s” has no answer yet from %(who)s.")
                    % {"title": m.title, "who": ", ".join(silent)}
                )
        return tuple(lines)


def _excerpt(body: str, limit: int = QUESTION_CHARS) -> str:
    """A remark on one line, cut at a word boundary when it is long."""
    flat = " ".join(body.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def _leaning(counter: Counter) -> str:
    """ "support", "oppose" or "" for one delegation's answers to a measure."""
    support = counter[Stance.SUPPORT] + counter[Stance.SUPPORT_WITH_CHANGES]
    oppose = counter[Stance.OPPOSE]
    if support > oppose:
        return "support"
    if oppose > support:
        return "oppose"
    return ""
