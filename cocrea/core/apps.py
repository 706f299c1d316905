from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "cocrea.core"
    label = "core"

    def ready(self) -> None:
        from cocrea.core import checks  # noqa: F401 - registers the deploy checks
        from cocrea.core.signals import bump_after_migrate

        post_migrate.connect(bump_after_migrate, sender=self, dispatch_uid="core-data-version")
