"""No format of a Chatham House or off-the-record workshop report may name
anyone; on the record the names show; off the record no remark is quoted.
Checked on the real output of each format: Markdown as text, DOCX through
python-docx (and its raw parts), PDF through pypdf (and its bytes)."""

import io
import zipfile

import pytest
from pypdf import PdfReader

from dialogue.models import Comment, Confidentiality
from dialogue.report_text import citation
from dialogue.summary.build_workshop import build_workshop_document
from dialogue.summary.render.workshop import (
    render_workshop_docx,
    render_workshop_markdown,
    render_workshop_pdf,
)
from tests.builders import (
    docx_text,
    make_workshop_activity,
    pdf_text,
    write_workshop_report,
)

FORMATS = {
    "md": lambda doc: render_workshop_markdown(doc),
    "docx": lambda doc: docx_text(render_workshop_docx(doc)),
    "pdf": lambda doc: pdf_text(render_workshop_pdf(doc)),
}
REMARKS = (
    "Trust needs a hotline.",
    "Tariffs come first.",
    "Agreed on tariffs.",
    "What would verification look like?",
    "Session 2 remark 0.",
)


@pytest.fixture
def compile_as(workshop):
    """compile_as(mode, fmt) -> (text of that format, every identifying string)."""
    activity = make_workshop_activity(workshop, sessions=2)

    def compile_(mode, fmt):
        doc = build_workshop_document(workshop=workshop, confidentiality=mode)
        return " ".join(FORMATS[fmt](doc).split()), activity.secrets

    return compile_


@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize(
    "mode", [Confidentiality.CHATHAM_HOUSE, Confidentiality.OFF_THE_RECORD]
)
def test_workshop_report_names_nobody_unless_on_the_record(compile_as, mode, fmt):
    output, secrets = compile_as(mode, fmt)

    text = output.lower()

    assert [s for s in secrets if s.lower() in text] == []
    assert "zqx" not in text


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_chatham_house_attributes_remarks_of_every_session_to_delegations(
    compile_as, fmt
):
    text, _secrets = compile_as(Confidentiality.CHATHAM_HOUSE, fmt)

    assert "a participant from the American scholars delegation" in text
    assert "Tariffs come first." in text
    assert "Session 2 remark 0." in text


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_on_the_record_names_speakers_and_lists_participants(compile_as, fmt):
    text, _secrets = compile_as(Confidentiality.ON_THE_RECORD, fmt)

    assert "Zqxfirstcn2 Zqxlastcn2, Zqx Institute of cn-2" in text
    assert "Zqxfirstus2 Zqxlastus2, Zqx Institute of us-2" in text  # listed only


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_off_the_record_quotes_no_remark(compile_as, fmt):
    text, _secrets = compile_as(Confidentiality.OFF_THE_RECORD, fmt)

    assert [remark for remark in REMARKS if remark in text] == []
    assert "Off the record" in text


def test_chatham_house_files_hold_no_name_even_in_their_metadata(workshop):
    make_workshop_activity(workshop, sessions=2)
    doc = build_workshop_document(
        workshop=workshop, confidentiality=Confidentiality.CHATHAM_HOUSE
    )

    with zipfile.ZipFile(io.BytesIO(render_workshop_docx(doc))) as docx_zip:
        docx_parts = b"".join(docx_zip.read(name) for name in docx_zip.namelist())
    pdf = render_workshop_pdf(doc)

    assert b"zqx" not in docx_parts.lower()
    assert b"zqx" not in pdf.lower()
    assert PdfReader(io.BytesIO(pdf)).metadata.get("/Author") is None


def _cite_everything(workshop, activity) -> None:
    """The workshop's draft citing every visible remark of both sessions."""
    ids = Comment.objects.filter(
        item__session__in=activity.sessions, state="visible"
    ).values_list("pk", flat=True)
    cited = " ".join(citation(pk) for pk in sorted(ids))
    write_workshop_report(
        workshop,
        takeaways=f"Across the days {cited}.",
        narratives={1: f"Day one {cited}.", 2: f"Day two {cited}."},
    )


@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize(
    ("mode", "note"),
    [
        (
            Confidentiality.CHATHAM_HOUSE,
            "A participant from the American scholars delegation, on item 2.1: "
            "“Session 2 remark 0.”",
        ),
        (
            Confidentiality.OFF_THE_RECORD,
            "A remark from the American scholars delegation, on item 2.1 (1 "
            "visible remark from that delegation there).",
        ),
    ],
)
def test_the_narratives_notes_of_both_sessions_name_nobody(workshop, mode, note, fmt):
    activity = make_workshop_activity(workshop, sessions=2)
    _cite_everything(workshop, activity)
    doc = build_workshop_document(workshop=workshop, confidentiality=mode)

    text = " ".join(FORMATS[fmt](doc).split())

    assert [s for s in activity.secrets if s.lower() in text.lower()] == []
    assert note in text
    if mode == Confidentiality.OFF_THE_RECORD:
        assert [remark for remark in REMARKS if remark in text] == []
