"""The Celery app. It reads every setting prefixed CELERY_ from Django settings.

Without CELERY_BROKER_URL the settings make tasks run in-process (eagerly);
with it, `celery -A workshop worker` runs them.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workshop.settings")

app = Celery("workshop")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
