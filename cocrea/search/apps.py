from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "cocrea.search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from cocrea.core.signals import data_changed
        from cocrea.search.tasks import index_soon

        data_changed.connect(index_soon, dispatch_uid="search-index-soon")
