"""Background work of accounts (django-tasks, run by `manage.py run_worker`): the emails of
sign-up, log-in, password reset and email change.

The request renders the message and queues it; the worker sends it over SMTP. So a sign-up
answers in the same time whether the address is new (a "verify your address" email) or taken
(an "you already have an account" email), and a slow mail server slows no page.

A queued message holds links that open an account (email verification, password reset), and
queued tasks are rows of the database that the administration lists: the message is stored
encrypted (Fernet, with a key derived from SECRET_KEY; keys in SECRET_KEY_FALLBACKS still open
what was queued before a rotation)."""

import json
from base64 import urlsafe_b64encode
from typing import Any

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.utils.crypto import salted_hmac
from django.utils.encoding import force_str
from django_tasks import task

SALT = "cocrea.accounts.tasks.mail"
# Before the bulk export and the imports, which share the queue: a person waits for these.
PRIORITY = 50


def _fernet() -> MultiFernet:
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet(
        [
            Fernet(
                urlsafe_b64encode(salted_hmac(SALT, "key", secret=s, algorithm="sha256").digest())
            )
            for s in secrets
        ]
    )


def seal(message: EmailMessage) -> str:
    """The message as an encrypted string, what the task stores."""
    fields: dict[str, Any] = {
        "subject": force_str(message.subject),
        "body": force_str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "alternatives": [
            [force_str(content), mimetype]
            for content, mimetype in getattr(message, "alternatives", [])
        ],
        "content_subtype": message.content_subtype,
    }
    return _fernet().encrypt(json.dumps(fields).encode()).decode()


def unseal(sealed: str) -> EmailMultiAlternatives:
    fields = json.loads(_fernet().decrypt(sealed.encode()))
    alternatives = fields.pop("alternatives")
    subtype = fields.pop("content_subtype")
    message = EmailMultiAlternatives(**fields)
    message.content_subtype = subtype
    for content, mimetype in alternatives:
        message.attach_alternative(content, mimetype)
    return message


@task(priority=PRIORITY)
def mail_send(sealed: str) -> int:
    """Send one queued message; how many were sent (1) is the result."""
    return unseal(sealed).send()


def mail_queue(message: EmailMessage) -> None:
    """Queue a rendered message for the worker (settings.COCREA_MAIL_TASKS). The task is a row
    written in the current transaction, so a change that rolls back sends nothing."""
    mail_send.using(backend=settings.COCREA_MAIL_TASKS).enqueue(seal(message))
