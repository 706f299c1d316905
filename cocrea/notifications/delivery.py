"""Notifications by email (issue 23), run by `manage.py send_notifications` or the worker, never
in a request: one email per notification for the kinds a person wants at once, and one digest
per person and day or week (in the site's time zone) for the kinds they want so.

Each notification is emailed once: a run claims it (`emailed_at`) in the transaction that sends
it, with the rows locked (skipping those another run holds, on PostgreSQL); a failed send rolls
the claim back, so the next run tries again. A digest is also recorded per person and period
(`Digest`, unique), so two runs at once, or one after the other, send it once.

Only what is recent is emailed: a person who turns email on is not sent the history they chose
not to receive (INSTANT_WINDOW; a digest covers its period and the one before, so what the
fan-out made just after a period closed goes in the next digest)."""

import logging
import smtplib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail, signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, models, transaction
from django.db.models import Case, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse, translate_url
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from cocrea.notifications import wording
from cocrea.notifications.models import (
    DEFAULT_DELIVERY,
    Delivery,
    Digest,
    Kind,
    Notification,
    Preference,
)
from cocrea.notifications.services_mail import ALL

log = logging.getLogger(__name__)

SALT = "cocrea.notifications.unsubscribe"
INSTANT_WINDOW = timedelta(days=3)


# ---- the signed unsubscribe link -------------------------------------------------------------


def unsubscribe_token(user: Any, kind: str) -> str:
    """A token naming the person (by public id) and a kind or ALL; valid without logging in,
    and for as long as the secret key (it only turns emails off)."""
    return signing.dumps({"u": user.public_id, "k": kind}, salt=SALT)


@dataclass(frozen=True)
class Unsubscribe:
    user: Any
    kind: str


def unsubscribe_read(token: str) -> Unsubscribe | None:
    """The person and kind a token names, or None for a forged, tampered or stale token."""
    from cocrea.accounts.models import User

    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    kind = data.get("k")
    if kind != ALL and kind not in Kind.values:
        return None
    user = User.objects.filter(public_id=data.get("u"), is_active=True).first()
    if user is None or user.deleted_at is not None:
        return None
    return Unsubscribe(user=user, kind=kind)


def site_url(path: str) -> str:
    return settings.COCREA_SITE_URL.rstrip("/") + path


def _in_language(path: str, language: str) -> str:
    """A page's address (stored in the site's language) in the recipient's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return translate_url(path, language)


# ---- who gets what, how --------------------------------------------------------------------


def _delivery() -> Coalesce:
    """Each notification's delivery: the recipient's choice for its kind, else the default."""
    chosen = Preference.objects.filter(user=OuterRef("recipient"), kind=OuterRef("kind"))
    default = Case(
        *[When(kind=kind, then=Value(str(how))) for kind, how in DEFAULT_DELIVERY.items()],
        default=Value(str(Delivery.DAILY)),
        output_field=models.CharField(),
    )
    return Coalesce(Subquery(chosen.values("delivery")[:1]), default)


def _reachable() -> models.Q:
    """Recipients with an account in use."""
    return models.Q(recipient__is_active=True, recipient__deleted_at__isnull=True)


def address_of(user: Any) -> str | None:
    """The person's verified primary address (allauth); unverified addresses get nothing."""
    row = EmailAddress.objects.filter(user=user, primary=True, verified=True).first()
    return row.email if row else None


# ---- the messages ----------------------------------------------------------------------------

# What a work notice asks, by the second part of its key (periodic.py).
WORK_LABELS = {
    "report": gettext_lazy("A progress report waits for publication"),
    "flag": gettext_lazy("A flag waits for moderation"),
    "unanswered": gettext_lazy("A proposal waits for an answer"),
    "membership": gettext_lazy("A membership request waits for a decision"),
}


def describe(notification: Notification) -> str:
    """What a notification tells, in the active language: its kind, or for a reminder how soon
    the milestone is due, or for a work notice what waits."""
    parts = notification.key.split(":")
    if notification.kind == Kind.DUE and len(parts) == 3:
        if parts[2] == "overdue":
            return _("Milestone overdue")
        days = int(parts[2])
        due_on = (notification.facts or {}).get("due_on")
        if due_on:  # the days left when it was made: a "1 day" reminder may be made on the day
            days = (date.fromisoformat(due_on) - timezone.localdate(notification.created_at)).days
            if days <= 0:
                return _("Milestone due today")
        return ngettext("Milestone due in %(days)d day", "Milestone due in %(days)d days", days) % {
            "days": days
        }
    if notification.kind == Kind.WORK and len(parts) >= 2 and parts[1] in WORK_LABELS:
        return str(WORK_LABELS[parts[1]])
    return str(notification.get_kind_display())


# ---- building messages ---------------------------------------------------------------------------


def _message(
    user: Any, address: str, template: str, context: dict[str, Any], kind: str
) -> EmailMultiAlternatives:
    """One email in the recipient's language, naming the site, in plain text and HTML, with a
    one-click unsubscribe link (RFC 8058)."""
    language = user.language if user.language in dict(settings.LANGUAGES) else "es"
    with translation.override(language):
        unsubscribe = site_url(
            reverse("notifications:unsubscribe", kwargs={"token": unsubscribe_token(user, kind)})
        )
        context = {
            **context,
            "name": user.display_name,
            "site": settings.COCREA_SITE_NAME,
            "site_url": settings.COCREA_SITE_URL,
            "unsubscribe": unsubscribe,
            "preferences": site_url(reverse("notifications:preferences")),
            "absolute": lambda path: site_url(_in_language(path, language)),
            "describe": describe,
            "detail": wording.describe,
        }
        subject = render_to_string(f"notifications/email/{template}_subject.txt", context)
        text = render_to_string(f"notifications/email/{template}.txt", context)
        html = render_to_string(f"notifications/email/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=f"[{settings.COCREA_SITE_NAME}] " + " ".join(subject.split()),
        body=text,
        to=[address],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


# ---- instant ---------------------------------------------------------------------------------


def send_instant(*, now: datetime | None = None) -> int:
    """Email each recent notification whose recipient wants its kind at once; return how many
    were sent. One transaction per notification: claimed, sent, committed."""
    now = now or timezone.now()
    pending = (
        Notification.objects.filter(
            _reachable(), emailed_at__isnull=True, created_at__gte=now - INSTANT_WINDOW
        )
        .annotate(delivery=_delivery())
        .filter(delivery=Delivery.INSTANT)
        .order_by("created_at", "id")
    )
    sent = 0
    tried: set[int] = set()  # each notification at most once a run, sent or not
    current = 0
    connection = mail.get_connection()
    opened = False
    try:
        while True:
            try:
                with transaction.atomic():
                    notification = (
                        pending.exclude(pk__in=tried)
                        .select_for_update(skip_locked=True, of=("self",))
                        .select_related("recipient")
                        .first()
                    )
                    if notification is None:
                        return sent
                    tried.add(notification.pk)
                    current = notification.pk
                    address = address_of(notification.recipient)
                    if address is None:
                        continue
                    message = _message(
                        notification.recipient,
                        address,
                        "instant",
                        {"notification": notification},
                        notification.kind,
                    )
                    Notification.objects.filter(pk=notification.pk).update(emailed_at=now)
                    if not opened:  # one connection for the run, opened when first needed
                        connection.open()
                        opened = True
                    message.connection = connection
                    sent += message.send()
            except smtplib.SMTPRecipientsRefused:
                # This address only: not marked, tried again next run; the others go on. Any
                # other failure (the server down) ends the run, and the next one goes on.
                log.warning("The mail server refused the address of notification %s", current)
    finally:
        connection.close()


# ---- digests ---------------------------------------------------------------------------------


def _start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def digest_periods(now: datetime) -> list[tuple[str, date, date]]:
    """The periods whose digests are due at `now`: yesterday, and last week (Monday to Sunday),
    as (delivery, first day, first day after) in the site's time zone."""
    today = timezone.localdate(now)
    monday = today - timedelta(days=today.weekday())
    return [
        (Delivery.DAILY, today - timedelta(days=1), today),
        (Delivery.WEEKLY, monday - timedelta(days=7), monday),
    ]


def send_digests(*, now: datetime | None = None) -> int:
    """Send the digests due at `now`; return how many were sent."""
    now = now or timezone.now()
    sent = 0
    for period, first, after in digest_periods(now):
        end = _start(after)
        begin = end - 2 * (_start(after) - _start(first))
        items = (
            Notification.objects.filter(
                _reachable(), emailed_at__isnull=True, created_at__gte=begin, created_at__lt=end
            )
            .annotate(delivery=_delivery())
            .filter(delivery=period)
        )
        recipients = set(items.values_list("recipient_id", flat=True).distinct())
        done = set(
            Digest.objects.filter(user_id__in=recipients, period=period, starts=first).values_list(
                "user_id", flat=True
            )
        )
        for user_id in sorted(recipients - done):
            try:
                sent += _send_digest(
                    user_id, period, first, items.filter(recipient_id=user_id), now
                )
            except smtplib.SMTPRecipientsRefused:  # not recorded: tried again next run
                log.warning("The mail server refused the address of user %s", user_id)
    return sent


def _send_digest(
    user_id: int, period: str, first: date, items: models.QuerySet[Notification], now: datetime
) -> int:
    from cocrea.accounts.models import User

    user = User.objects.get(pk=user_id)
    address = address_of(user)
    if address is None:
        return 0
    try:
        with transaction.atomic():
            digest = Digest.objects.create(user=user, period=period, starts=first)
            claimed = list(
                items.select_for_update(skip_locked=True, of=("self",)).order_by("created_at", "id")
            )
            if not claimed:
                raise _NothingLeftError
            Notification.objects.filter(pk__in=[n.pk for n in claimed]).update(emailed_at=now)
            digest.items = len(claimed)
            digest.save(update_fields=["items"])
            message = _message(
                user,
                address,
                "digest",
                {
                    "items": claimed,
                    "weekly": period == Delivery.WEEKLY,
                    "first": first,
                },
                ALL,
            )
            return message.send()
    except IntegrityError:  # sent by another run
        return 0
    except _NothingLeftError:
        return 0


class _NothingLeftError(Exception):
    """Another run claimed everything: record no digest."""


def deliver(*, now: datetime | None = None) -> dict[str, int]:
    """Instant emails, then the digests due."""
    return {"instant": send_instant(now=now), "digests": send_digests(now=now)}
