"""Compile one session's summary, or with ``--workshop`` the report on the
whole workshop, to a file, without a worker or a report row."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dialogue.models import Confidentiality, Session, Workshop
from dialogue.summary.build import build_summary_document
from dialogue.summary.build_workshop import build_workshop_document
from dialogue.summary.render import RENDERERS
from dialogue.summary.render.pdf import CJKFontMissing
from dialogue.summary.render.workshop import WORKSHOP_RENDERERS


class Command(BaseCommand):
    help = (
        "Compile the summary of session SESSION_NUMBER of workshop SLUG with the "
        "same builder and renderers as the workers, under the workshop's "
        "confidentiality mode unless --confidentiality says otherwise; with "
        "--workshop SLUG (and no SLUG SESSION_NUMBER), the report on the whole "
        "workshop. Nothing is recorded in the database."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", nargs="?")
        parser.add_argument("session_number", type=int, nargs="?")
        parser.add_argument(
            "--workshop",
            metavar="SLUG",
            default=None,
            help="compile the report on the whole workshop SLUG",
        )
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
        workshop_slug = o["workshop"]
        if workshop_slug is not None:
            if slug is not None or session_number is not None:
                raise CommandError(
                    "--workshop: the report on the whole workshop takes no "
                    "SLUG SESSION_NUMBER; give one or the other."
                )
            workshop = Workshop.objects.filter(slug=workshop_slug).first()
            if workshop is None:
                raise CommandError(
                    f"--workshop: there is no workshop {workshop_slug!r}."
                )
            document = build_workshop_document(
                workshop=workshop, confidentiality=confidentiality
            )
            render = WORKSHOP_RENDERERS[fmt]
        else:
            if slug is None or session_number is None:
                raise CommandError(
                    "slug, session_number: give a workshop's SLUG and a "
                    "SESSION_NUMBER, or --workshop SLUG for the whole workshop."
                )
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
            render = RENDERERS[fmt].render
        try:
            content = render(document)
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
