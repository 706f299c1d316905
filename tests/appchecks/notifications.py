"""Notifications' part of the project-wide checks (tests/appchecks/__init__.py): following,
unfollowing and marking read for the authorization matrix (anyone signed in, on what they can
see and on their own notifications), and the person's notifications page, which changes
nothing and is not public."""

from django.urls import reverse

from tests.appchecks import ALLOWED, LOGIN

READ_ONLY = {"notifications:list"}


def _everyone_signed_in(personas):
    expected = dict.fromkeys(personas, ALLOWED)
    expected["anonymous"] = LOGIN
    return expected


def _plan():
    """The plan followed (other scenarios of the same test may have made it already)."""
    from cocrea.plans.models import ActionPlan
    from conftest import build_plan

    found = ActionPlan.objects.filter(slug="plan-seguido").first()
    return found or build_plan(commitments=1, milestones_each=1, slug="plan-seguido")


def follow(personas, institutions):
    from cocrea.notifications.models import Follow

    _plan()
    data = {"kind": "plan", "target": "plan-seguido"}
    return (
        reverse("notifications:follow"),
        data,
        _everyone_signed_in(personas),
        Follow.objects.exists,
    )


def unfollow(personas, institutions):
    from cocrea.notifications.models import Follow

    plan = _plan()
    people = [person for person in personas.values() if person is not None]
    for person in people:
        Follow.objects.get_or_create(
            user=person, target_type="plans.actionplan", target_id=str(plan.pk)
        )
    data = {"kind": "plan", "target": plan.slug}
    before = Follow.objects.count()

    def changed():
        return Follow.objects.count() < before

    return reverse("notifications:unfollow"), data, _everyone_signed_in(personas), changed


def mark_read(personas, institutions):
    from django.utils import timezone

    from cocrea.notifications.models import Notification

    for person in personas.values():
        if person is not None:
            Notification.objects.get_or_create(
                recipient=person,
                key="event:1",
                defaults={
                    "kind": "report",
                    "title": "Compromiso",
                    "url": "/planes/",
                    "created_at": timezone.now(),
                },
            )

    def changed():
        return Notification.objects.filter(read_at__isnull=False).exists()

    return reverse("notifications:mark_read"), {}, _everyone_signed_in(personas), changed


def preferences(personas, institutions):
    """Each signed-in person sets their own email choices; nobody else's."""
    from cocrea.notifications.models import Kind, Preference

    data = {"language": "es", **dict.fromkeys(Kind.values, "weekly")}

    def changed():
        return Preference.objects.filter(delivery="weekly").exists()

    return reverse("notifications:preferences"), data, _everyone_signed_in(personas), changed


def unsubscribe(personas, institutions):
    """The signed link is the permission: whoever posts it (a mail client has no session) turns
    off exactly what it names, for the person it names."""
    from cocrea.notifications.delivery import unsubscribe_token
    from cocrea.notifications.models import Preference

    token = unsubscribe_token(personas["citizen"], "comment")

    def changed():
        return Preference.objects.filter(
            user=personas["citizen"], kind="comment", delivery="none"
        ).exists()

    url = reverse("notifications:unsubscribe", kwargs={"token": token})
    return url, {}, dict.fromkeys(personas, ALLOWED), changed


SCENARIOS = {
    "notifications:follow": follow,
    "notifications:unfollow": unfollow,
    "notifications:mark_read": mark_read,
    "notifications:preferences": preferences,
    "notifications:unsubscribe": unsubscribe,
}
