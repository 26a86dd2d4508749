"""The summaries sweep from cron: send the requests recorded while the broker
was unreachable, and again those whose worker stopped or whose message was
lost (Celery beat runs the same sweep as a task; see workshop/celery.py)."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from dialogue.models import SummaryReport, SummaryStatus
from dialogue.services.summaries import summary_send_pending


class Command(BaseCommand):
    help = (
        "Send to the workers every summary request still waiting for the broker "
        "(queued_at empty), and send again those whose worker stopped "
        "responding or that no worker took. Exits with status 1 if some could "
        "not be sent. Safe to run from cron, and beside Celery beat."
    )

    def handle(self, *args, **options):
        sent = summary_send_pending(grace=timedelta(0))
        left = SummaryReport.objects.filter(
            status=SummaryStatus.QUEUED, queued_at__isnull=True
        ).count()
        self.stdout.write(f"{sent} summary request(s) sent, {left} still waiting.")
        if left:
            raise CommandError(
                f"{left} summary request(s) could not be sent: is the broker up?"
            )
