"""The top of a summary: the session, its dates, conveners, delegations, the
confidentiality statement, and how times are written in the whole report
(``when``: the workshop's local time with its zone, ``dialogue.times``)."""

from collections import Counter
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from dialogue import times
from dialogue.models import Confidentiality, ReportRevision, Session
from dialogue.summary import attribution
from dialogue.summary.document import DISCLAIMER, DelegationCount, Header


def when(value: datetime | None) -> str:
    """A moment as the report prints it, e.g. "2026-03-01 20:30 UTC+8"."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    return f"{local:%Y-%m-%d %H:%M} {times.zone_label(local)}"


def status(revision: ReportRevision | None, *, final: bool) -> str:
    """The report's standing, printed on its title page and every page:
    a session's summary and the workshop's report alike."""
    if final:
        return _("Final")
    if revision is None:
        return ""
    return _("Draft (revision %(n)d)") % {"n": revision.number}


def dates(session: Session) -> str:
    """When the session ran: one day's span, two moments, one, or ""."""
    start, end = session.starts_at, session.ends_at
    if start and end:
        local_start, local_end = timezone.localtime(start), timezone.localtime(end)
        if local_start.date() == local_end.date():
            return (
                f"{local_start:%Y-%m-%d %H:%M} – {local_end:%H:%M} "
                f"{times.zone_label(local_end)}"
            )
        return f"{when(start)} – {when(end)}"
    return when(start or end)


def header(
    *,
    session: Session,
    mode: str,
    delegations: dict,
    people: attribution.People,
    version: int,
    compiled_at: datetime,
) -> Header:
    workshop = session.workshop
    per_delegation = Counter(row["delegation_id"] for row in people.rows.values())
    statement_en, statement_zh = attribution.STATEMENTS[mode]
    return Header(
        workshop_title=workshop.display_title,
        session_title=session.display_title,
        session_number=session.number,
        dates=dates(session),
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
