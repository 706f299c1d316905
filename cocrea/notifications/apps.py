from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "cocrea.notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from cocrea.core.signals import data_changed
        from cocrea.notifications.tasks import fan_out_soon

        data_changed.connect(fan_out_soon, dispatch_uid="notifications-fan-out-soon")

        from allauth.account.signals import user_signed_up

        from cocrea.notifications.services_mail import language_from_sign_up

        user_signed_up.connect(language_from_sign_up, dispatch_uid="notifications-language")

        from cocrea.notifications.listeners import follow_what_they_wrote_on
        from cocrea.participation.events import comment_added, proposal_created

        proposal_created.connect(follow_what_they_wrote_on, dispatch_uid="notifications-proposal")
        comment_added.connect(follow_what_they_wrote_on, dispatch_uid="notifications-comment")
