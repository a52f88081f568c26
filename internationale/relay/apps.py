from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RelayConfig(AppConfig):
    name = "internationale.relay"
    label = "relay"
    verbose_name = _("Relay")
