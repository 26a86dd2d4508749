"""The Celery app. It reads every setting prefixed CELERY_ from Django settings.

Without CELERY_BROKER_URL the settings make tasks run in-process (eagerly);
with it, `celery -A workshop worker` runs them, and `celery -A workshop beat`
(one process per site) sends the periodic sweep of summaries
(``beat_schedule``) every ``SUMMARY_SWEEP_SECONDS`` (default 30).
"""

import os

from celery import Celery
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workshop.settings")

app = Celery("workshop")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

SUMMARY_SWEEP_TASK = "dialogue.send_pending_summaries"


def beat_schedule() -> dict:
    """The periodic tasks, read from the settings when the app is configured.

    The sweep sends again summaries whose worker died or whose message the
    broker lost; a sweep message no worker took before the next one is
    due expires, so a stopped worker does not find a pile of them.
    """
    seconds = float(getattr(settings, "SUMMARY_SWEEP_SECONDS", 30))
    return {
        "summary-sweep": {
            "task": SUMMARY_SWEEP_TASK,
            "schedule": seconds,
            "options": {"expires": seconds},
        }
    }


@app.on_after_configure.connect
def _schedule(sender, **kwargs):
    sender.conf.beat_schedule = {**beat_schedule(), **sender.conf.beat_schedule}
