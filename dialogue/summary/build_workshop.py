"""Turn a whole workshop into its WorkshopDocument: the report on every session.

The same parts as a session's summary, read by the same ``build_*``
functions, once per session (so the query count grows by a constant per
session, never with the activity): each session's items with their
discussion, ranks, measures and revealed responses, and its convergence,
divergence and open questions. Then what only the whole workshop has:

* the measures endorsed by both sides and the packages agreed by both,
  across every session;
* the response round's overview (the responses themselves are on the items
  once revealed);
* a methodology note: the ranking rounds of each session and their method,
  the confidentiality mode and what it means for the report
  (``attribution.REPORT_MEANING``), the response round;
* the participants by delegation: counted, named only on the record
  (``attribution.People.members``).

People are named only as the mode allows (``attribution``), and every
string passes ``render.text.printable``, as in the session's summary.

The rapporteur's narrative of the workshop (takeaways across sessions, the
narrative of each session, the leads, its citations as notes) comes from
the workshop's own draft (the ReportDraft without a session), read by the
session summary's ``build_narrative``: its narratives are keyed by session
number, it may cite a remark of any session, and its notes are numbered
across the whole document.
"""

import dataclasses
import zoneinfo
from collections import Counter, defaultdict
from datetime import datetime

from django.conf import settings
from django.db.models import Count
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dialogue import report_text, times
from dialogue.models import (
    AgendaItem,
    Confidentiality,
    MeasureStatus,
    PackageStatus,
    Participant,
    RankingRound,
    ReportRevision,
    Session,
    Workshop,
)
from dialogue.summary import (
    attribution,
    build_discussion,
    build_findings,
    build_narrative,
    build_responses,
)
from dialogue.summary.build_header import dates, status, when
from dialogue.summary.build_links import mirror_pairs
from dialogue.summary.build_measures import measures
from dialogue.summary.build_packages import packages
from dialogue.summary.build_ranking import ranking
from dialogue.summary.document import (
    DISCLAIMER,
    DelegationCount,
    Header,
    ItemSection,
    MeasureSummary,
    ParticipantList,
    ResponsesOverview,
    SessionReport,
    WorkshopDocument,
)
from dialogue.summary.render.text import printable_document


def build_workshop_document(
    *,
    workshop: Workshop,
    confidentiality: str | None = None,
    version: int = 0,
    compiled_at: datetime | None = None,
    language: str | None = None,
    draft_revision: ReportRevision | None = None,
    final: bool = False,
) -> WorkshopDocument:
    """Read the workshop once and return its report as plain data.

    ``confidentiality`` defaults to the workshop's mode; the report records
    the mode it was compiled under. ``draft_revision`` is the rapporteur's
    text to print (by default the workshop's own draft's revision in
    review or released, never an unsent one); ``final`` marks the version released after the
    sign-offs.
    """
    language = language or settings.LANGUAGE_CODE
    workshop = Workshop.objects.get(pk=workshop.pk)
    zone = workshop.time_zone
    with (
        translation.override(language),
        timezone.override(zoneinfo.ZoneInfo(zone) if times.is_zone(zone) else None),
    ):
        document = _build(
            workshop=workshop,
            mode=confidentiality or workshop.confidentiality,
            version=version,
            compiled_at=compiled_at or timezone.now(),
            revision=draft_revision
            or build_narrative.shared_workshop_revision(workshop),
            final=final,
        )
    return printable_document(dataclasses.replace(document, language=language))


def _build(
    *, workshop, mode, version, compiled_at, revision, final
) -> WorkshopDocument:
    delegations = {d.pk: d for d in workshop.delegations.all()}  # by code
    people = attribution.People(
        Participant.objects.filter(workshop=workshop).values(
            *attribution.participant_fields(mode)
        ),
        mode=mode,
        delegations={pk: d.display_name for pk, d in delegations.items()},
    )
    quote = attribution.quotes_remarks(mode)
    sessions = list(Session.objects.filter(workshop=workshop).order_by("number"))
    items_of: dict[int, list] = defaultdict(list)
    for item in (
        AgendaItem.objects.filter(session__workshop=workshop)
        .select_related("proposed_by", "addressed_to")
        .prefetch_related("points")
        .order_by("session__number", "number")
    ):
        items_of[item.session_id].append(item)
    written = build_narrative.narrative(
        workshop=workshop,
        revision=revision,
        item_numbers=[s.number for s in sessions],
        people=people,
    )
    overview: ResponsesOverview | None = None
    reports, pairs = [], []
    for session in sessions:
        session.workshop = workshop  # the builders read it; already loaded
        report, answered = _session_report(
            session=session,
            items=items_of[session.pk],
            delegations=delegations,
            people=people,
            quote=quote,
            narrative=written.by_item.get(session.number, ""),
        )
        reports.append(report)
        overview = overview or answered.overview
        pairs += [
            p
            for p in mirror_pairs(session=session, delegations=delegations)
            if p not in pairs  # a pair across two sessions is listed once
        ]
    found = measures(workshop=workshop, delegations=delegations, quote=quote)
    bundles = packages(workshop=workshop, delegations=delegations)
    top = _header(
        workshop=workshop,
        sessions=sessions,
        mode=mode,
        delegations=delegations,
        people=people,
        version=version,
        compiled_at=compiled_at,
    )
    return WorkshopDocument(
        header=dataclasses.replace(
            top, status=status(revision, final=final), final=final
        ),
        sessions=tuple(reports),
        measures=tuple(
            m for m in found if m.status_value == MeasureStatus.ENDORSED_BOTH
        ),
        packages=tuple(p for p in bundles if p.status_value == PackageStatus.AGREED),
        methodology=_methodology(
            workshop=workshop, sessions=sessions, mode=mode, overview=overview
        ),
        participants=tuple(
            ParticipantList(
                delegation=d.display_name,
                count=sum(
                    1 for row in people.rows.values() if row["delegation_id"] == pk
                ),
                names=people.members(pk),
            )
            for pk, d in delegations.items()
        ),
        remarks_included=quote,
        narrative=written.narrative,
        responses=overview,
        mirror_pairs=tuple(pairs),
        notes=_notes(quote=quote),
    )


def _session_report(
    *, session, items, delegations, people, quote, narrative
) -> tuple[SessionReport, build_responses.Found]:
    """One session's section: each item as the session's summary shows it
    (the same ``build_*`` parts), and its findings."""
    ranked = ranking(session=session, items=items, delegations=delegations)
    found = measures(session=session, delegations=delegations, quote=quote)
    by_item: dict[int, list[MeasureSummary]] = defaultdict(list)
    for measure in found:
        for number in measure.item_numbers:
            by_item[number].append(measure)
    discussion = build_discussion.discussion(
        session=session,
        items=items,
        delegations=delegations,
        people=people,
        quote=quote,
    )
    questions = build_discussion.questions(session=session, people=people, quote=quote)
    answered = build_responses.responses(session=session, delegations=delegations)
    answer_lines = build_findings.response_findings(answered.stances)
    return (
        SessionReport(
            number=session.number,
            title=session.display_title,
            dates=dates(session),
            narrative=narrative,
            items=tuple(
                ItemSection(
                    number=item.number,
                    title=item.title,
                    proposed_by=item.proposed_by.display_name,
                    addressed_to=item.addressed_to.display_name,
                    body=item.body,
                    points=tuple((p.label, p.text) for p in item.points.all()),
                    discussion=discussion.by_item.get(item.pk, ()),
                    ranks=ranked.item_ranks.get(item.pk, ()),
                    measures=tuple(by_item.get(item.number, ())),
                    responses=answered.by_item.get(item.pk, ()),
                    first_sentence=report_text.first_sentence(item.body),
                )
                for item in items
            ),
            convergence=build_findings.convergence(
                items=items, pair=ranked.pair, measures=found
            )
            + answer_lines["convergence"],
            divergence=build_findings.divergence(
                items=items, pair=ranked.pair, measures=found
            )
            + answer_lines["divergence"],
            open_questions=build_findings.open_questions(
                items=items,
                discussion=discussion,
                questions=questions,
                measures=found,
            )
            + answer_lines["open_questions"],
            ranking=ranked.result,
        ),
        answered,
    )


def _header(
    *, workshop, sessions, mode, delegations, people, version, compiled_at
) -> Header:
    per_delegation = Counter(row["delegation_id"] for row in people.rows.values())
    statement_en, statement_zh = attribution.STATEMENTS[mode]
    return Header(
        workshop_title=workshop.display_title,
        session_title=_("Report on the whole workshop"),
        session_number=0,
        dates=_span(sessions),
        conveners=people.conveners(),
        delegations=tuple(
            DelegationCount(
                name=d.display_name, code=d.code, participants=per_delegation[d.pk]
            )
            for d in delegations.values()
        ),
        confidentiality=mode,
        confidentiality_label=str(Confidentiality(mode).label),
        statement_en=statement_en,
        statement_zh=statement_zh,
        disclaimer_en=DISCLAIMER[0],
        disclaimer_zh=DISCLAIMER[1],
        source=workshop.source_citation if workshop.source_title else "",
        version=version,
        compiled_at=when(compiled_at),
        venue=workshop.venue,
        paper_size=workshop.paper_size,
    )


def _span(sessions) -> str:
    """From the first session's start to the last one's end, or ""."""
    moments = [
        moment for s in sessions for moment in (s.starts_at, s.ends_at) if moment
    ]
    if not moments:
        return ""
    first, last = min(moments), max(moments)
    if first == last:
        return when(first)
    local_first, local_last = timezone.localtime(first), timezone.localtime(last)
    if local_first.date() == local_last.date():
        return (
            f"{local_first:%Y-%m-%d %H:%M} – {local_last:%H:%M} "
            f"{times.zone_label(local_last)}"
        )
    return f"{when(first)} – {when(last)}"


def _methodology(*, workshop, sessions, mode, overview) -> tuple[str, ...]:
    """How the workshop worked, one paragraph each: the ranking rounds, the
    confidentiality mode, the response round."""
    rounds = dict(
        RankingRound.objects.filter(session__workshop=workshop)
        .values_list("session_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    closed = dict(
        RankingRound.objects.filter(session__workshop=workshop, closed_at__isnull=False)
        .values_list("session_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    per_session = [
        ngettext(
            "session %(number)d: %(n)d ranking round (%(closed)d closed)",
            "session %(number)d: %(n)d ranking rounds (%(closed)d closed)",
            rounds.get(s.pk, 0),
        )
        % {
            "number": s.number,
            "n": rounds.get(s.pk, 0),
            "closed": closed.get(s.pk, 0),
        }
        for s in sessions
    ]
    paragraphs = [
        _(
            "Ranking: each participant ranked a session's items in secret; each "
            "session's ranks come from its latest closed round, aggregated per "
            "delegation by the Schulze method. Rounds: %(rounds)s."
        )
        % {"rounds": "; ".join(per_session) or _("no session")},
        _("Confidentiality: %(mode)s. %(meaning)s")
        % {
            "mode": Confidentiality(mode).label,
            "meaning": attribution.REPORT_MEANING[mode],
        },
    ]
    if overview is None:
        paragraphs.append(_("Responses: the workshop held no response round."))
    elif overview.revealed:
        paragraphs.append(
            _(
                "Responses: each delegation drafted its answers to the items "
                "addressed to it, sealed until both were revealed at once "
                "(%(when)s); the adopted responses are shown under the items."
            )
            % {"when": overview.revealed_at}
        )
    else:
        paragraphs.append(
            _(
                "Responses: each delegation drafts its answers to the items "
                "addressed to it, sealed until both are revealed at once; they "
                "have not been revealed, so only each side's progress is shown."
            )
        )
    return tuple(paragraphs)


def _notes(*, quote: bool) -> tuple[str, ...]:
    """How the sections were made, printed at the end of the report."""
    notes = [
        _(
            "Only visible remarks are reported; withdrawn remarks and "
            "remarks hidden by a facilitator are left out."
        ),
        _(
            "Only the measures endorsed by both sides and the packages agreed "
            "by both sides are listed in their own sections; every measure "
            "appears under the items it concerns."
        ),
    ]
    if quote:
        notes.insert(
            1,
            _(
                "For each delegation, at most %(n)d remarks per item are "
                "quoted, the most endorsed first; the others are counted."
            )
            % {"n": build_discussion.MAX_REMARKS},
        )
    return tuple(notes)
