from django.core.management.base import BaseCommand, CommandError

from dialogue.models import Workshop
from dialogue.workshop_file import dump_workshop_file
from dialogue.workshop_file.exporter import workshop_export


class Command(BaseCommand):
    help = "Print a workshop as a workshop file (the format import_workshop reads)."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("-o", "--output", help="write to this file, not stdout")

    def handle(self, *args, slug, output, **options):
        workshop = Workshop.objects.filter(slug=slug).first()
        if workshop is None:
            raise CommandError(f"There is no workshop with the slug {slug!r}.")
        text = dump_workshop_file(workshop_export(workshop=workshop))
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
        else:
            self.stdout.write(text, ending="")
