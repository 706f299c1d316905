from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExplorerConfig(AppConfig):
    name = "cocrea.explorer"
    verbose_name = _("OGP explorer")
