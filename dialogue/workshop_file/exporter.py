"""Read a workshop from the database into the dict of its workshop file.

`workshop_export` is the inverse of `importer.workshop_import`: what it returns,
dumped with `dump_workshop_file`, validates and imports back unchanged.
Measures are keyed as `measure_keys` says; drafts stay out. The response
round (`response_rows`) is the organiser's full backup: drafts included. The
packages of measures are read by `package_rows`, the rapporteur's report
drafts by `report_rows`.
"""

from dialogue.models import (
    ItemLink,
    LinkDecision,
    ReciprocalMeasure,
    Session,
    Workshop,
)
from dialogue.workshop_file.measure_keys import measure_keys, published_measures
from dialogue.workshop_file.package_rows import export_packages
from dialogue.workshop_file.report_rows import export_report_drafts
from dialogue.workshop_file.response_rows import export_responses
from dialogue.workshop_file.spec import FORMAT_VERSION


def workshop_export(*, workshop: Workshop) -> dict:
    """The workshop as a workshop file (the format `workshop_import` reads).

    Pass the result to `dump_workshop_file` for the canonical text.
    """
    sessions = workshop.sessions.prefetch_related(
        "items__points", "items__proposed_by", "items__addressed_to"
    )
    return (
        {
            "version": FORMAT_VERSION,
            "slug": workshop.slug,
            "title": workshop.title,
            "title_zh": workshop.title_zh,
            "description": workshop.description,
            "source": {
                "title": workshop.source_title,
                "authors": list(workshop.source_authors),
                "date": workshop.source_date.isoformat()
                if workshop.source_date
                else "",
                "publisher": workshop.source_publisher,
                "url": workshop.source_url,
            },
            "confidentiality": workshop.confidentiality,
            "time_zone": workshop.time_zone,
            "venue": workshop.venue,
            "paper_size": workshop.paper_size,
            "delegations": [
                {"code": d.code, "name": d.name, "name_zh": d.name_zh}
                for d in workshop.delegations.all()
            ],
            "sessions": [_export_session(session) for session in sessions],
        }
        | _export_measures(workshop)
        | _export_links(workshop)
        | export_responses(workshop)
        | export_packages(workshop)
        | export_report_drafts(workshop)
    )


def _export_session(session: Session) -> dict:
    data = {
        "number": session.number,
        "title": session.title,
        "title_zh": session.title_zh,
        "description": session.description,
    }
    if session.starts_at:
        data["starts_at"] = session.starts_at.isoformat()
    if session.ends_at:
        data["ends_at"] = session.ends_at.isoformat()
    data["items"] = [
        {
            "number": item.number,
            "title": item.title,
            "body": item.body,
            "proposed_by": item.proposed_by.code,
            "addressed_to": item.addressed_to.code,
            "points": [_export_point(point) for point in item.points.all()],
        }
        for item in session.items.all()
    ]
    return data


def _export_point(point) -> str | dict:
    """A plain string, or an object for a point addressed to both."""
    if point.addressed_to_both:
        return {"text": point.text, "addressed_to_both": True}
    return point.text


def _export_measures(workshop: Workshop) -> dict:
    """{"measures": [...]} in key order, or {} when there are none, so a
    workshop without measures exports exactly as before."""
    measures = list(published_measures(workshop))
    keys = measure_keys(measures)
    measures = sorted(
        (m for m in measures if m.pk in keys),
        key=lambda m: tuple(int(n) for n in keys[m.pk].split("-r")),
    )
    if not measures:
        return {}
    return {"measures": [_export_measure(m, keys) for m in measures]}


def _export_measure(m: ReciprocalMeasure, keys: dict[int, str]) -> dict:
    items = sorted((i.session.number, i.number) for i in m.items.all())
    return {
        "key": keys[m.pk],
        "revision_of": keys.get(m.revision_of_id),
        "proposer": m.proposer.user.get_username(),
        "proposing_delegation": m.proposing_delegation.code,
        "items": [f"{session}.{number}" for session, number in items],
        "title": m.title,
        "our_action": m.our_action,
        "their_action": m.their_action,
        "sequencing": m.sequencing,
        "conditionality": m.conditionality,
        "verification": m.verification,
        "timeframe": m.timeframe,
        "reversibility": m.reversibility,
        "measure_type": m.measure_type,
        "status": m.status,
        "proposed_at": m.proposed_at.isoformat(),
        "responses": [
            {
                "username": r.participant.user.get_username(),
                "stance": r.stance,
                "reason": r.reason,
                "at": r.updated_at.isoformat(),
            }
            for r in sorted(
                m.responses.all(), key=lambda r: r.participant.user.get_username()
            )
        ],
        "endorsements": [
            {
                "delegation": e.delegation.code,
                "via": e.via,
                "by": e.endorsed_by.user.get_username() if e.endorsed_by else None,
                "at": e.endorsed_at.isoformat(),
            }
            for e in m.endorsements.all()
        ],
    }


def _export_links(workshop: Workshop) -> dict:
    """{"links": [...]} in the order they were suggested, or {} when there are
    none, so a workshop without links exports exactly as before."""
    links = list(
        ItemLink.objects.filter(workshop=workshop)
        .select_related(
            "item_a__session",
            "item_b__session",
            "point_a",
            "point_b",
            "suggested_by",
            "suggested_for",
        )
        .prefetch_related("verdicts__delegation", "verdicts__decided_by__user")
        .order_by("created_at", "id")
    )
    if not links:
        return {}
    return {"links": [_export_link(link) for link in links]}


def _export_link(link: ItemLink) -> dict:
    def end(item, point, quote):
        return {
            "item": f"{item.session.number}.{item.number}",
            "point": point.position if point else None,
            "quote": quote,
        }

    decided = sorted(
        (v for v in link.verdicts.all() if v.decision != LinkDecision.PENDING),
        key=lambda v: v.delegation.code,
    )
    return {
        "kind": link.kind,
        "a": end(link.item_a, link.point_a, link.quote_a),
        "b": end(link.item_b, link.point_b, link.quote_b),
        "note": link.note,
        "suggested_by": link.suggested_by.get_username() if link.suggested_by else None,
        "suggested_for": link.suggested_for.code if link.suggested_for else None,
        "verdicts": [
            {
                "delegation": v.delegation.code,
                "decision": v.decision,
                "by": v.decided_by.user.get_username() if v.decided_by else "",
                "at": v.decided_at.isoformat() if v.decided_at else None,
            }
            for v in decided
        ],
    }
