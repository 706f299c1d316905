"""Sign-up answers a taken address after the same work as a new one (issue #20: 93 ms against
730 ms before). Both paths hash the typed password with the configured hasher once, create the
account and its audit event (rolled back for a taken address) and queue one email for the
worker; neither talks to the mail server inside the request. No timing here: the
calls are recorded where they leave our code (Django's hasher, django-tasks' queue signal)."""

from typing import ClassVar

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tasks.signals import task_enqueued
from django_tasks_db.models import DBTaskResult

from cocrea.accounts.models import User
from cocrea.accounts.tests.test_signup import GOOD, SIGNUP, queued  # noqa: F401 - a fixture
from conftest import make_person

pytestmark = pytest.mark.django_db
WORKER = pytest.mark.django_db(transaction=True)
MAIL_TASK = "cocrea.accounts.tasks.mail_send"


class RecordingHasher(MD5PasswordHasher):
    """Django's hasher, noting each password it hashes."""

    algorithm = "recording_md5"
    calls: ClassVar[list[str]] = []

    def encode(self, password: str, salt: str) -> str:
        RecordingHasher.calls.append(f"hash {password}")
        return super().encode(password, salt)


@pytest.fixture
def calls(settings):
    settings.PASSWORD_HASHERS = ["cocrea.accounts.tests.test_enumeration.RecordingHasher"]
    recorded = RecordingHasher.calls
    recorded.clear()

    def enqueued(sender, task_result, **kwargs):
        recorded.append(f"queue {task_result.task.module_path}")

    task_enqueued.connect(enqueued, weak=False)
    yield recorded
    task_enqueued.disconnect(enqueued)
    recorded.clear()


def _sign_up(email: str, calls: list[str]) -> tuple[list[str], tuple[int, str]]:
    calls.clear()
    with CaptureQueriesContext(connection) as queries:
        response = Client().post(SIGNUP, {**GOOD, "email": email, "public_name": "Otra"})
    # Both create the account and record its audit event (a taken address's is rolled back).
    for table in ("accounts_user", "audit_auditevent"):
        calls.append(
            f"insert {table}"
            if any(q["sql"].startswith(f'INSERT INTO "{table}"') for q in queries.captured_queries)
            else f"no insert {table}"
        )
    return list(calls), (response.status_code, response.url)


def test_a_new_and_a_taken_address_make_the_same_calls(calls, smtp, queued):  # noqa: F811
    taken = make_person("Ya Registrada").email
    new_calls, new_answer = _sign_up("nueva@correo-privado.example", calls)
    taken_calls, taken_answer = _sign_up(taken, calls)

    expected = [
        f"hash {GOOD['password1']}",
        f"queue {MAIL_TASK}",
        "insert accounts_user",
        "insert audit_auditevent",
    ]
    assert new_calls == expected
    assert taken_calls == expected
    assert new_answer == taken_answer == (302, "/en/cuentas/confirm-email/")
    assert smtp.messages == []  # nothing sent inside either request
    assert User.objects.filter(email=taken).count() == 1


@WORKER
def test_the_worker_sends_both_emails_and_the_queue_keeps_them_sealed(smtp, queued):  # noqa: F811
    taken = make_person("Ya Registrada").email
    Client().post(SIGNUP, GOOD)
    Client().post(SIGNUP, {**GOOD, "email": taken, "public_name": "Otra"})
    queued = list(DBTaskResult.objects.filter(task_path=MAIL_TASK).values_list("args_kwargs"))
    assert len(queued) == 2
    # The verification link and the address are not readable in the task table.
    assert "confirm-email" not in str(queued)
    assert GOOD["email"] not in str(queued) and taken not in str(queued)

    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    mails = DBTaskResult.objects.filter(task_path=MAIL_TASK)
    assert set(mails.values_list("status", flat=True)) == {"SUCCESSFUL"}
    by_address = {message["To"]: message for message in smtp.messages}
    assert set(by_address) == {GOOD["email"], taken}
    assert "confirm-email" in by_address[GOOD["email"]].as_string()
    assert "already" in by_address[taken].as_string().lower()
    assert by_address[taken]["Subject"].startswith("[Cocrea] ")
