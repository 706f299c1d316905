from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "cocrea.forum"
    label = "forum"
    verbose_name = _("The multi-stakeholder forum")

    def ready(self) -> None:
        from cocrea.forum import rules  # noqa: F401 - registers the permissions
