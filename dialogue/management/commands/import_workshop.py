import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from dialogue.workshop_file import WorkshopFileError, parse_workshop_file
from dialogue.workshop_file.importer import ImportResult, workshop_import


def import_file(path: str) -> ImportResult:
    """Read, validate and import one workshop file; CommandError on any problem."""
    limit = settings.WORKSHOP_FILE_MAX_BYTES
    try:
        if path == "-":
            raw = sys.stdin.buffer.read(limit + 1)
        else:
            with open(path, "rb") as handle:
                raw = handle.read(limit + 1)
    except OSError as exc:
        raise CommandError(f"{path}: cannot read the file: {exc.strerror}") from None
    try:
        spec = parse_workshop_file(raw, max_bytes=limit)
        return workshop_import(spec=spec)
    except WorkshopFileError as exc:
        lines = "\n".join(f"  {where}: {message}" for where, message in exc.errors)
        raise CommandError(
            f"{path} was not imported; nothing was changed.\n{lines}"
        ) from None


class Command(BaseCommand):
    help = (
        "Validate a workshop file (JSON) and import it in one transaction. "
        "A file whose slug exists updates that workshop in place."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="path to the workshop file, or - for stdin")

    def handle(self, *args, file, **options):
        result = import_file(file)
        verb = "Created" if result.created else "Updated"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} workshop {result.workshop.slug!r}: {result.summary()}."
            )
        )
