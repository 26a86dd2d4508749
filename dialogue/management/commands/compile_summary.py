"""Compile one session's summary to a file, without a worker or a report row."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dialogue.models import Confidentiality, Session
from dialogue.summary.build import build_summary_document
from dialogue.summary.render import RENDERERS
from dialogue.summary.render.pdf import CJKFontMissing


class Command(BaseCommand):
    help = (
        "Compile the summary of session SESSION_NUMBER of workshop SLUG with the "
        "same builder and renderers as the workers, under the workshop's "
        "confidentiality mode unless --confidentiality says otherwise. Nothing "
        "is recorded in the database."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("session_number", type=int)
        parser.add_argument(
            "--format", dest="fmt", choices=[str(f) for f in RENDERERS], default="md"
        )
        parser.add_argument(
            "-o", "--output", default="-", help="file to write; - for stdout"
        )
        parser.add_argument(
            "--confidentiality", choices=Confidentiality.values, default=None
        )

    def handle(self, *args, slug, session_number, fmt, output, confidentiality, **o):
        session = (
            Session.objects.select_related("workshop")
            .filter(workshop__slug=slug, number=session_number)
            .first()
        )
        if session is None:
            raise CommandError(
                f"There is no session {session_number} in a workshop {slug!r}."
            )
        document = build_summary_document(
            session=session, confidentiality=confidentiality
        )
        try:
            content = RENDERERS[fmt].render(document)
        except CJKFontMissing as exc:
            raise CommandError(str(exc)) from exc
        if output == "-":
            sys.stdout.buffer.write(content)
            sys.stdout.buffer.flush()
            return
        Path(output).write_bytes(content)
        self.stderr.write(
            f"Wrote {output} ({len(content):,} bytes, "
            f"{document.header.confidentiality_label})."
        )
