from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DialogueConfig(AppConfig):
    name = "dialogue"
    verbose_name = _("Dialogue")

    def ready(self):
        # Imported here, not at the top: models are not ready before ready().
        from dialogue.live import connect_signals
        from dialogue.services.accounts import warn_if_throttle_is_per_process

        connect_signals()

        warn_if_throttle_is_per_process()
