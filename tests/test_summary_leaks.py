"""No format of a Chatham House summary may name anyone; on the record names
show; off the record no remark is quoted. Checked on the real output of each
format: Markdown as text, DOCX through python-docx, PDF through pypdf.

The rapporteur's text is in every report here: key takeaways, a narrative
and a lead citing every remark (hidden and withdrawn ones too), and a
correction filed on it whose text names a participant; the citations'
notes name nobody unless on the record, and no correction is ever printed."""

import io
import zipfile

import pytest
from pypdf import PdfReader

from dialogue.models import Comment, Confidentiality, CorrectionKind, ReportCorrection
from dialogue.summary.build import build_summary_document
from dialogue.summary.render.docx import render_docx
from dialogue.summary.render.markdown import render_markdown
from dialogue.summary.render.pdf import render_pdf
from tests.builders import docx_text, make_activity, pdf_text, write_report

FORMATS = {
    "md": lambda doc: render_markdown(doc),
    "docx": lambda doc: docx_text(render_docx(doc)),
    "pdf": lambda doc: pdf_text(render_pdf(doc)),
}
REMARKS = (
    "Trust needs a hotline.",
    "Tariffs come first.",
    "Agreed on tariffs.",
    "What would verification look like?",
    "Let us keep to time.",
)


CORRECTION = "Zqxfirstcn1 said this, not the other side."


def _write_cited_report(activity):
    """Takeaways, item 1's narrative and the divergence lead citing every
    remark of the session, and a correction that names a participant."""
    every = " ".join(
        f"[#c{pk}]"
        for pk in Comment.objects.filter(item__session=activity.session)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    revision = write_report(
        activity.session,
        takeaways=f"The sides agreed on a hotline {every}.",
        narratives={1: f"Trust came first {every}."},
        divergence=f"Tariffs divided them {every}.",
    )
    ReportCorrection.objects.create(
        draft=revision.draft,
        revision=revision,
        section="takeaways",
        paragraph=1,
        kind=CorrectionKind.ATTRIBUTION,
        note=CORRECTION,
        suggestion=CORRECTION,
        filed_by=activity.people["us-1"],
    )


@pytest.fixture
def compile_as(workshop):
    """compile_as(mode, fmt) -> (text of that format, every identifying string)."""
    activity = make_activity(workshop)
    _write_cited_report(activity)

    def compile_(mode, fmt):
        doc = build_summary_document(session=activity.session, confidentiality=mode)
        return FORMATS[fmt](doc), activity.secrets

    return compile_


@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize(
    "mode", [Confidentiality.CHATHAM_HOUSE, Confidentiality.OFF_THE_RECORD]
)
def test_summary_names_nobody_unless_on_the_record(compile_as, mode, fmt):
    output, secrets = compile_as(mode, fmt)

    text = output.lower()

    assert [s for s in secrets if s.lower() in text] == []
    assert "zqx" not in text
    assert "the sides agreed on a hotline" in text
    assert CORRECTION.lower() not in " ".join(text.split())


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_chatham_house_attributes_remarks_to_delegations(compile_as, fmt):
    output, _secrets = compile_as(Confidentiality.CHATHAM_HOUSE, fmt)

    text = " ".join(output.split())

    assert "a participant from the American scholars delegation" in text
    assert "Tariffs come first." in text
    # The citation's note: the delegation and the remark.
    assert (
        "A participant from the Chinese scholars delegation, on item 1: "
        "“Tariffs come first.”"
    ) in text


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_on_the_record_shows_names(compile_as, fmt):
    text, _secrets = compile_as(Confidentiality.ON_THE_RECORD, fmt)

    assert "Zqxfirstcn2" in text
    assert "Zqx Institute of us-1" in " ".join(text.split())
    # The citation's note: the speaker and the remark; no correction.
    assert (
        "Zqxfirstcn2 Zqxlastcn2, Zqx Institute of cn-2 (Chinese scholars), on "
        "item 1: “Tariffs come first.”"
    ) in " ".join(text.split())
    assert CORRECTION not in " ".join(text.split())


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_off_the_record_quotes_no_remark(compile_as, fmt):
    output, _secrets = compile_as(Confidentiality.OFF_THE_RECORD, fmt)

    text = " ".join(output.split())

    assert [remark for remark in REMARKS if remark in text] == []
    assert "Off the record" in text
    # The citation's note: the delegation and its count, no remark.
    assert (
        "A remark from the Chinese scholars delegation, on item 1 (2 visible "
        "remarks from that delegation there)."
    ) in text


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_format_prints_the_mode_it_was_compiled_under(compile_as, fmt):
    labels = {
        mode: " ".join(compile_as(mode, fmt)[0].split())
        for mode in Confidentiality.values
    }

    assert "Chatham House Rule" in labels["chatham_house"]
    assert "On the record" in labels["on_record"]
    assert "Off the record" in labels["off_record"]


def test_chatham_house_files_hold_no_name_even_in_their_metadata(workshop):
    activity = make_activity(workshop)
    _write_cited_report(activity)
    doc = build_summary_document(
        session=activity.session, confidentiality=Confidentiality.CHATHAM_HOUSE
    )

    with zipfile.ZipFile(io.BytesIO(render_docx(doc))) as docx_zip:
        docx_parts = b"".join(docx_zip.read(name) for name in docx_zip.namelist())
    pdf = render_pdf(doc)

    assert b"zqx" not in docx_parts.lower()
    assert b"zqx" not in pdf.lower()
    assert PdfReader(io.BytesIO(pdf)).metadata.get("/Author") is None
