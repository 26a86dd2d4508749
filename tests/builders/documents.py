"""The text of a compiled document (DOCX or PDF)."""

import io
import subprocess
import tempfile
from xml.etree import ElementTree

from docx import Document
from pypdf import PdfReader


def docx_text(data: bytes) -> str:
    """Every paragraph and table cell of a DOCX, one per line."""
    document = Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines += [cell.text for cell in row.cells]
    return "\n".join(lines)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def pdf_page_lines(data: bytes, *, margin: float = 50.0) -> list[list[str]]:
    """Each page's lines of body text, top to bottom, read with their
    positions (poppler's ``pdftotext -bbox-layout``); the running header
    and footer (within `margin` points of the page's edges) left out."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(data)
        pdf.flush()
        xhtml = subprocess.run(
            ["pdftotext", "-bbox-layout", pdf.name, "-"],
            capture_output=True,
            check=True,
            timeout=60,
        ).stdout
    namespace = {"x": "http://www.w3.org/1999/xhtml"}
    pages = []
    # poppler's output for a PDF the test itself made: trusted.
    root = ElementTree.fromstring(xhtml)  # noqa: S314
    for page in root.iterfind(".//x:page", namespace):
        height = float(page.get("height"))
        lines = []
        for line in page.iterfind(".//x:line", namespace):
            top, bottom = float(line.get("yMin")), float(line.get("yMax"))
            if top < margin or bottom > height - margin:
                continue
            words = " ".join(w.text for w in line.iterfind("x:word", namespace))
            lines.append((top, words))
        pages.append([words for _top, words in sorted(lines)])
    return pages
