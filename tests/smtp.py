"""A real SMTP server on loopback for the email tests (aiosmtpd): Django sends to it over SMTP,
and the test reads what arrived. The `smtp` fixture (conftest.py) serves an `Inbox`; a test that
needs another behaviour (a server that refuses an address) serves its own handler."""

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes
from typing import Any

from aiosmtpd.controller import Controller


class Inbox:
    """Keeps every message the server accepts, parsed."""

    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


@contextmanager
def serving(settings: Any, handler: Any) -> Iterator[Any]:
    """Serve `handler` on a free loopback port, with Django's email settings pointing at it."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    try:
        yield handler
    finally:
        controller.stop()
