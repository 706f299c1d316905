from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "cocrea.participation"
    label = "participation"
    verbose_name = _("Co-creation")

    def ready(self) -> None:
        from cocrea.participation import notify
        from cocrea.participation.events import proposal_answered

        proposal_answered.connect(notify.tell_the_proposer, dispatch_uid="tell_the_proposer")
