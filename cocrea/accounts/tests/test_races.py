"""Sign-ups and email confirmations that race answer cleanly (issue #20: 50 parallel sign-ups
with one address gave one 500, an IntegrityError on the username). Whatever the timing: no error
page, one account per address, and the answer a taken address gets (no enumeration)."""

import threading

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.db import connection
from django.test import Client
from django_tasks_db.models import DBTaskResult

from cocrea.accounts.models import User
from cocrea.accounts.tests.races import conflict_before_save
from cocrea.accounts.tests.test_signup import GOOD, SIGNUP
from conftest import make_person

pytestmark = pytest.mark.django_db(transaction=True)
MAIL_TASK = "cocrea.accounts.tasks.mail_send"
ANSWER = (302, "/en/cuentas/confirm-email/")


@pytest.fixture(autouse=True)
def _queued(settings):
    """Emails queued in the database, as in production, so the tests count them."""
    settings.COCREA_MAIL_TASKS = "default"


def _answer(response) -> tuple[int, str]:
    return response.status_code, response.get("Location", "")


def _same_account(user: User) -> None:
    """Another request's sign-up with this address, committed first."""
    User.objects.bulk_create(
        [User(username=user.username, email=user.email, password="!", public_name="Primera")]
    )


def test_a_sign_up_beaten_to_the_username_answers_as_a_taken_address():
    with conflict_before_save(User, _same_account) as fired:
        response = Client().post(SIGNUP, GOOD)
    assert fired
    assert _answer(response) == ANSWER
    assert User.objects.filter(email=GOOD["email"]).count() == 1
    assert DBTaskResult.objects.filter(task_path=MAIL_TASK).count() == 1


def test_two_addresses_with_the_same_username_both_get_an_account():
    """quetzal@a and quetzal@b both derive "quetzal": the later one tries again."""

    def other_address(user: User) -> None:
        User.objects.bulk_create(
            [User(username=user.username, email="quetzal@otro.example", password="!")]
        )

    with conflict_before_save(User, other_address) as fired:
        response = Client().post(SIGNUP, GOOD)
    assert fired
    assert _answer(response) == ANSWER
    assert User.objects.get(email=GOOD["email"]).public_name == "Quetzal"


class AccountCreatedMeanwhile:
    """A password validator (they run when allauth cleans the form, after it has found the
    address free): another request's sign-up with the same address commits right then."""

    def validate(self, password: str, user: User | None = None) -> None:
        if user is not None and not User.objects.filter(email=user.email).exists():
            User.objects.create_user(
                username="primera", email=user.email, password="x", public_name="Primera"
            )

    def get_help_text(self) -> str:
        return ""


def test_an_address_taken_after_the_form_was_checked_gets_no_second_account(settings):
    settings.AUTH_PASSWORD_VALIDATORS = [
        {"NAME": "cocrea.accounts.tests.test_races.AccountCreatedMeanwhile"}
    ]
    response = Client().post(SIGNUP, GOOD)
    assert _answer(response) == ANSWER
    assert list(User.objects.filter(email=GOOD["email"]).values_list("public_name", flat=True)) == [
        "Primera"
    ]
    assert DBTaskResult.objects.filter(task_path=MAIL_TASK).count() == 1


def test_parallel_sign_ups_with_one_address_make_one_account_and_no_error():
    """On PostgreSQL, eight requests at once. SQLite's in-memory test database cannot hold
    parallel transactions (the tests above cover it, with the row written in between)."""
    if connection.vendor == "sqlite":
        assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
        return
    start, answers, errors = threading.Barrier(8), [], []

    def sign_up() -> None:
        try:
            client = Client(raise_request_exception=True)
            start.wait()
            answers.append(_answer(client.post(SIGNUP, GOOD)))
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_up) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert answers == [ANSWER] * 8
    assert User.objects.filter(email=GOOD["email"]).count() == 1


def test_confirming_an_address_another_account_confirmed_a_moment_ago_is_refused_cleanly():
    first = make_person("Primera")
    Client().post(SIGNUP, {**GOOD, "email": "compartida@correo-privado.example"})
    mine = EmailAddress.objects.get(email="compartida@correo-privado.example")
    link = f"/en/cuentas/confirm-email/{EmailConfirmationHMAC(mine).key}/"

    def confirmed_elsewhere(address: EmailAddress) -> None:
        EmailAddress.objects.bulk_create(
            [EmailAddress(user=first, email=address.email, verified=True, primary=False)]
        )

    client = Client(raise_request_exception=True)
    with conflict_before_save(
        EmailAddress, confirmed_elsewhere, when=lambda address: address.verified
    ) as fired:
        response = client.post(link, follow=True)
    assert fired
    assert response.status_code == 200
    assert "already confirmed by a different account" in response.content.decode()
    mine.refresh_from_db()
    assert not mine.verified
