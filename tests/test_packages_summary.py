"""Packages in the summary: built once into the document, then every format
shows the same lines."""

import pytest

from dialogue.services.measures import measure_withdraw
from dialogue.services.packages import package_endorse, package_withdraw
from dialogue.summary.build import build_summary_document
from dialogue.summary.document import PackageSummary
from dialogue.summary.render.docx import render_docx
from dialogue.summary.render.markdown import render_markdown
from dialogue.summary.render.pdf import render_pdf
from tests.builders import bundle, docx_text, pdf_text, propose

LINE = (
    "Hotline and visas — Suspended: a member changed. Measures: Military "
    "hotline (Chinese scholars, Proposed); Visa easing (American "
    "scholars, Withdrawn). Endorsement suspended after a change to a member: "
    "Chinese scholars."
)


@pytest.fixture
def packaged(d):
    package, (cn, us) = bundle(d)
    package_endorse(package=package, delegation=d.delegations["CN"], by=d.head("CN"))
    measure_withdraw(measure=us, by=d.delegates["US"][1])
    gone, _ = bundle(d, title="Gone")
    package_withdraw(package=gone, by=d.delegates["CN"][1])
    return d


def test_the_document_lists_each_sessions_packages_once(packaged):
    d = packaged

    doc = build_summary_document(session=d.sessions[1])

    assert doc.packages == (
        PackageSummary(
            title="Hotline and visas",
            status="Suspended: a member changed",
            status_value="suspended",
            members=(
                ("Military hotline", "Chinese scholars", "Proposed"),
                ("Visa easing", "American scholars", "Withdrawn"),
            ),
            endorsed_by=(),
            suspended_for=("Chinese scholars",),
        ),
    )
    # Session 2 holds the other member: the same package.
    assert build_summary_document(session=d.sessions[2]).packages == doc.packages


def test_every_format_shows_the_package(packaged):
    doc = build_summary_document(session=packaged.sessions[1])

    markdown = render_markdown(doc)
    docx = docx_text(render_docx(doc))
    pdf = " ".join(pdf_text(render_pdf(doc)).split())

    assert f"## Packages of measures\n\n- {LINE}\n" in markdown
    assert f"Packages of measures\n{LINE}\n" in docx
    assert "Packages of measures" in pdf
    assert "Endorsement suspended after a change to a member" in pdf


def test_a_session_without_packages_has_no_package_section(d):
    propose(d, "CN")

    doc = build_summary_document(session=d.sessions[1])

    assert doc.packages == ()
    assert "Packages of measures" not in render_markdown(doc)
