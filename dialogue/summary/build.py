"""Turn a session into its SummaryDocument: read once, for every format.

The builder reads the database here and in the ``build_*`` modules beside
it, one per part of the report, each with its rules in its docstring:
``build_header`` (the top of the report), ``build_discussion`` (remarks and
unanswered questions), ``build_ranking`` (the latest closed round),
``build_measures`` (the reciprocal measures and their tallies),
``build_links`` (the mirror pairs between the two lists),
``build_responses`` (the delegations' responses: progress until the reveal),
``build_findings`` (convergence, divergence, open questions) and
``build_narrative`` (the rapporteur's text, its citations as notes).

People are named only as the confidentiality mode allows, by
``attribution`` (off the record no remark is even read); the document then
holds nothing a renderer could leak. The query count does not grow with
the activity of the session.

Every string of the finished document passes ``render.text.printable``
here, the one place all participant text goes through on its way to any
format: a control character that old data or an import let in is dropped,
rather than making python-docx refuse the whole report.
"""

import dataclasses
import zoneinfo
from collections import defaultdict
from datetime import datetime

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dialogue import report_text, times
from dialogue.models import AgendaItem, Participant, ReportRevision, Session
from dialogue.summary import (
    attribution,
    build_discussion,
    build_findings,
    build_narrative,
    build_responses,
)
from dialogue.summary.build_header import header, status
from dialogue.summary.build_links import mirror_pairs
from dialogue.summary.build_measures import measures
from dialogue.summary.build_packages import packages
from dialogue.summary.build_ranking import ranking
from dialogue.summary.document import ItemSection, MeasureSummary, SummaryDocument
from dialogue.summary.render.text import printable_document


def build_summary_document(
    *,
    session: Session,
    confidentiality: str | None = None,
    version: int = 0,
    compiled_at: datetime | None = None,
    language: str | None = None,
    draft_revision: ReportRevision | None = None,
    final: bool = False,
) -> SummaryDocument:
    """Read the session once and return its summary as plain data.

    ``confidentiality`` defaults to the workshop's mode; the report records
    the mode it was compiled under. ``draft_revision`` is the rapporteur's
    text to print (by default the revision every participant may read, the
    one in review or released: ``build_narrative.shared_revision``); ``final`` marks the version released after the sign-offs.
    """
    language = language or settings.LANGUAGE_CODE
    session = Session.objects.select_related("workshop").get(pk=session.pk)
    # Times in the workshop's zone, whoever asks (dialogue.times).
    zone = session.workshop.time_zone
    with (
        translation.override(language),
        timezone.override(zoneinfo.ZoneInfo(zone) if times.is_zone(zone) else None),
    ):
        document = _build(
            session=session,
            mode=confidentiality or session.workshop.confidentiality,
            version=version,
            compiled_at=compiled_at or timezone.now(),
            revision=draft_revision or build_narrative.shared_revision(session),
            final=final,
        )
    return printable_document(dataclasses.replace(document, language=language))


def _build(*, session, mode, version, compiled_at, revision, final) -> SummaryDocument:
    workshop = session.workshop
    delegations = {d.pk: d for d in workshop.delegations.all()}  # by code
    people = attribution.People(
        Participant.objects.filter(workshop=workshop).values(
            *attribution.participant_fields(mode)
        ),
        mode=mode,
        delegations={pk: d.display_name for pk, d in delegations.items()},
    )
    quote = attribution.quotes_remarks(mode)
    items = list(
        AgendaItem.objects.filter(session=session)
        .select_related("proposed_by", "addressed_to")
        .prefetch_related("points")
    )
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
    written = build_narrative.narrative(
        session=session,
        revision=revision,
        item_numbers=[item.number for item in items],
        people=people,
    )
    top = header(
        session=session,
        mode=mode,
        delegations=delegations,
        people=people,
        version=version,
        compiled_at=compiled_at,
    )
    return SummaryDocument(
        header=dataclasses.replace(
            top, status=status(revision, final=final), final=final
        ),
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
                narrative=written.by_item.get(item.number, ""),
                first_sentence=report_text.first_sentence(item.body),
            )
            for item in items
        ),
        ranking=ranked.result,
        convergence=build_findings.convergence(
            items=items, pair=ranked.pair, measures=found
        )
        + answer_lines["convergence"],
        divergence=build_findings.divergence(
            items=items, pair=ranked.pair, measures=found
        )
        + answer_lines["divergence"],
        open_questions=build_findings.open_questions(
            items=items, discussion=discussion, questions=questions, measures=found
        )
        + answer_lines["open_questions"],
        remarks_included=quote,
        notes=_notes(quote=quote),
        mirror_pairs=mirror_pairs(session=session, delegations=delegations),
        responses=answered.overview,
        packages=tuple(packages(session=session, delegations=delegations)),
        narrative=written.narrative,
    )


def _notes(*, quote: bool) -> tuple[str, ...]:
    """How the sections were made, printed at the end of the report."""
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
