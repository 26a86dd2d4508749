from pathlib import Path

from django.core.management.base import BaseCommand

from dialogue.management.commands.import_workshop import import_file

SEED_FILE = (
    Path(__file__).resolve().parents[2]
    / "workshops"
    / "what-should-the-other-side-do.json"
)


class Command(BaseCommand):
    help = (
        "Load the shipped workshop “What Should the Other Side Do?” "
        "(13 Feb 2025). Running it again changes nothing."
    )

    def handle(self, *args, **options):
        result = import_file(str(SEED_FILE))
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded workshop {result.workshop.slug!r}: {result.summary()}."
            )
        )
