"""Shared test builders: plain functions and constants that build test data
or read what the application produced, one module per noun (people, pages,
the browser, workshop files, rankings, comments, a built dialogue, measures,
the summaries' activity, documents, the rapporteur's report). Every test module imports its helpers
from here (``from tests.builders import X``) or its model factories from
tests/factories.py; no test module imports another. Fixtures live in
tests/conftest.py, which may use these builders.
"""

from tests.builders.activity import Activity, make_activity
from tests.builders.browser import (
    ARTIFACTS,
    TESTS,
    axe_violations,
    screenshot,
    sign_in,
    sign_in_as,
)
from tests.builders.comments import XSS_PAYLOADS, comment_action_url, item_url
from tests.builders.dialogues import (
    Dialogue,
    build_dialogue,
    delegate_pages,
    give_names,
)
from tests.builders.documents import docx_text, pdf_page_lines, pdf_text
from tests.builders.links import end, link_refused, link_rows, suggest_link, verdicts
from tests.builders.measures import (
    CONTENT,
    events,
    measure_url,
    propose,
    refused,
    state,
    titles,
)
from tests.builders.packages import (
    bundle,
    package_endorsements,
    package_events,
    package_refused,
    package_state,
)
from tests.builders.pages import count_get_queries, login, page_text, session_url
from tests.builders.people import admin_organiser, make_participant
from tests.builders.rankings import (
    cast_ballot,
    elections,
    item_ids,
    make_ranking_session,
    ranking_error_text,
    ranking_form,
    ranking_url,
    stored_rankings,
)
from tests.builders.report_docs import (
    cite,
    remark_id,
    report_document,
    write_report,
    write_workshop_report,
)
from tests.builders.reports import (
    ReportWorld,
    in_review,
    remark,
    report_url,
    report_world,
    texts,
    tomorrow,
    write,
)
from tests.builders.workshop_files import errors_of, export_text, small_file
from tests.builders.workshop_reports import (
    WorkshopActivity,
    add_session,
    make_workshop_activity,
)

__all__ = [
    "ReportWorld",
    "WorkshopActivity",
    "add_session",
    "in_review",
    "make_workshop_activity",
    "remark",
    "report_url",
    "report_world",
    "texts",
    "tomorrow",
    "write",
    "ARTIFACTS",
    "CONTENT",
    "TESTS",
    "XSS_PAYLOADS",
    "Activity",
    "Dialogue",
    "admin_organiser",
    "cite",
    "remark_id",
    "report_document",
    "write_report",
    "write_workshop_report",
    "axe_violations",
    "build_dialogue",
    "bundle",
    "cast_ballot",
    "comment_action_url",
    "count_get_queries",
    "delegate_pages",
    "docx_text",
    "pdf_page_lines",
    "elections",
    "end",
    "events",
    "errors_of",
    "export_text",
    "give_names",
    "item_ids",
    "item_url",
    "link_refused",
    "link_rows",
    "login",
    "make_activity",
    "make_participant",
    "make_ranking_session",
    "measure_url",
    "package_endorsements",
    "package_events",
    "package_refused",
    "package_state",
    "page_text",
    "pdf_text",
    "propose",
    "ranking_error_text",
    "ranking_form",
    "ranking_url",
    "refused",
    "session_url",
    "screenshot",
    "sign_in",
    "sign_in_as",
    "small_file",
    "state",
    "stored_rankings",
    "suggest_link",
    "titles",
    "verdicts",
]
