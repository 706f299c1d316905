from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "cocrea.opendata"
    label = "opendata"
    verbose_name = _("Open data")

    def ready(self) -> None:
        from cocrea.core.signals import data_changed
        from cocrea.opendata.tasks import export_soon

        data_changed.connect(export_soon, dispatch_uid="opendata-export-soon")
