"""The text of a compiled document (DOCX or PDF)."""

import io

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
