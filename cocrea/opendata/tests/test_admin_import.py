"""The administration's upload of OGP's commitments database: the file is checked in the
background and its report shown, the import happens only when confirmed, also in the
background; bad files are refused at the upload and bad rows change nothing; only the point of
contact or an administrator, with two-factor authentication, sees any of it. The worker is the
real `manage.py db_worker`."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from cocrea.audit.models import AuditEvent
from cocrea.opendata.models import OgpImport
from cocrea.opendata.tests.test_ogp import GOOD, _csv, _row
from cocrea.plans.models import Commitment, Institution
from conftest import make_person, sign_in_with_second_factor

pytestmark = pytest.mark.django_db
# The worker runs as it does beside the server, on committed data and closing connections it
# finds in a transaction: so these tests commit for real.
WORKER = pytest.mark.django_db(transaction=True)

ADD = "/en/admin/opendata/ogpimport/add/"  # in English; without /en/, in Spanish


@pytest.fixture
def private(tmp_path, settings):
    """The private storage in a folder of the test's own (the field follows STORAGES:
    cocrea/core/storage.py)."""
    root = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": root, "base_url": "/no-public-address/"},
        },
    }
    return root


def _stored(root):
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _work():
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


def _upload(client, path, language="en"):
    with open(path, "rb") as handle:
        return client.post(
            ADD if language == "en" else ADD.removeprefix("/en"),
            {"upload": SimpleUploadedFile(path.name, handle.read())},
        )


@pytest.fixture
def admin_client(client, personas):
    sign_in_with_second_factor(client, personas["administrator"])
    return client


@WORKER
def test_upload_check_confirm_import(admin_client, personas, tmp_path, private):
    response = _upload(admin_client, _csv(tmp_path, GOOD))
    item = OgpImport.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{item.pk}/change/")
    assert item.status == "checking" and len(_stored(private)) == 1
    page = admin_client.get(response["Location"]).content.decode()
    assert 'http-equiv="refresh"' in page  # it follows the check

    _work()
    item.refresh_from_db()
    assert item.status == "checked" and item.checked_at is not None
    assert item.report["created"]["commitments"] == 2 and item.report["errors"] == []
    assert not Commitment.objects.exists()  # a check changes nothing
    page = admin_client.get(response["Location"]).content.decode()
    assert "Would be created:" in page and "2 commitments" in page
    assert "_Completion Numeric" in page  # the unknown column is listed
    assert "08/01/2022" in page  # and the date that reads two ways, reported
    assert "Import now" in page and 'http-equiv="refresh"' not in page

    confirmed = admin_client.post(f"/en/admin/opendata/ogpimport/{item.pk}/import/")
    assert confirmed.status_code == 302
    _work()
    item.refresh_from_db()
    assert item.status == "imported" and item.confirmed_by == personas["administrator"]
    assert Commitment.objects.count() == 2
    created = AuditEvent.objects.filter(action="commitment.create")
    assert created.count() == 2
    assert {e.actor_id for e in created} == {personas["administrator"].pk}
    assert _stored(private) == []  # imported: the file is not kept
    page = admin_client.get(response["Location"]).content.decode()
    assert "Created:" in page and "Import now" not in page
    actions = set(
        AuditEvent.objects.filter(target_type="opendata.ogpimport").values_list("action", flat=True)
    )
    assert actions == {"ogpimport.upload", "ogpimport.confirm", "ogpimport.finish"}


@WORKER
def test_a_file_with_bad_rows_is_refused_whole_with_every_bad_row_named(
    admin_client, tmp_path, private
):
    # A row without its plan's id (a missing lead institution is no longer a bad row).
    rows = [GOOD[0], _row(**{"Commitment Unique Identifier": "GT0119", "Action Plan ID": ""})]
    institutions = Institution.objects.count()
    _upload(admin_client, _csv(tmp_path, rows))
    _work()
    item = OgpImport.objects.get()
    assert item.status == "refused" and [line for line, _ in item.report["errors"]] == [3]
    page = admin_client.get(f"/en/admin/opendata/ogpimport/{item.pk}/change/").content.decode()
    assert "1 bad row: nothing was imported" in page and "Action Plan ID" in page
    assert "Import now" not in page
    refused = admin_client.post(f"/en/admin/opendata/ogpimport/{item.pk}/import/", follow=True)
    assert "Only a file whose check passed can be imported." in refused.content.decode()
    item.refresh_from_db()
    assert item.status == "refused"
    assert not Commitment.objects.exists() and Institution.objects.count() == institutions
    assert _stored(private) == []


@WORKER
def test_the_report_speaks_the_language_of_who_uploaded_it(admin_client, tmp_path, private):
    rows = [_row(**{"Code": ""})]
    _upload(admin_client, _csv(tmp_path, rows), language="es")
    _work()
    ((line, reason),) = OgpImport.objects.get().report["errors"]
    assert line == 2 and reason == "falta Code"


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("vacio.csv", b"", "is empty"),
        ("plan.csv", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "not a CSV"),
        ("foto.xlsx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "not a CSV"),
        ("datos.csv", "Código;Título\n".encode("latin-1"), "not a CSV"),
        ("grande.csv", b"a,b\n" + b"1,2\n" * 400, "larger than"),
    ],
)
def test_bad_uploads_are_refused_with_a_message_and_change_nothing(
    admin_client, private, settings, name, content, message
):
    settings.COCREA_IMPORT_MAX_BYTES = 1000
    events = AuditEvent.objects.count()
    response = admin_client.post(ADD, {"upload": SimpleUploadedFile(name, content)})
    assert response.status_code == 200 and message in response.content.decode()
    assert not OgpImport.objects.exists() and _stored(private) == []
    assert AuditEvent.objects.count() == events


def test_a_file_past_every_upload_limit_is_not_read_and_is_named(admin_client, private, settings):
    settings.COCREA_UPLOAD_MAX_BYTES = 2000
    response = admin_client.post(
        ADD, {"upload": SimpleUploadedFile("enorme.csv", b"a,b\n" + b"1,2\n" * 5000)}
    )
    assert response.status_code == 200
    assert "The file enorme.csv is larger than" in response.content.decode()
    assert not OgpImport.objects.exists() and _stored(private) == []


def test_only_the_point_of_contact_or_an_administrator_with_two_factors(
    client, personas, tmp_path, private
):
    item = OgpImport.objects.create(
        file_name="ogp.csv",
        size=10,
        sha256="0" * 64,
        language="en",
        status=OgpImport.Status.CHECKED,
        uploaded_by=personas["administrator"],
    )
    pages = [
        ADD,
        "/en/admin/opendata/ogpimport/",
        f"/en/admin/opendata/ogpimport/{item.pk}/change/",
    ]
    confirm = f"/en/admin/opendata/ogpimport/{item.pk}/import/"

    # Not signed in, or not staff: the administration's sign-in page.
    for person in (None, personas["citizen"], personas["point_of_contact"]):
        client.logout()
        if person:
            client.force_login(person)
        for url in pages:
            assert "/admin/login/" in client.get(url)["Location"]
        assert "/admin/login/" in client.post(confirm)["Location"]

    # The point of contact without two-factor authentication never reaches the administration.
    point_without_mfa = make_person("Punto Sin Factor", is_staff=True)
    from cocrea.accounts.models import RoleGrant
    from conftest import grant

    grant(point_without_mfa, RoleGrant.Role.POINT_OF_CONTACT)
    client.force_login(point_without_mfa)
    for url in pages:
        assert "/admin/login/" in client.get(url)["Location"]
    assert "/admin/login/" in client.post(confirm)["Location"]

    # Staff in the administration with both factors, but not allowed by the import's rule.
    staff_only = make_person("Personal Sin Rol", mfa=True, is_staff=True)
    sign_in_with_second_factor(client, staff_only)
    for url in pages:
        assert client.get(url).status_code == 403, url
    assert client.post(confirm).status_code == 403
    assert "ogpimport" not in client.get("/admin/").content.decode()
    item.refresh_from_db()
    assert item.status == "checked" and item.confirmed_by is None

    # The point of contact, staff with two factors, is allowed for their own uploads; a GET never
    # imports. Another person's upload (here the administrator's) is not theirs to see or confirm.
    personas["point_of_contact"].is_staff = True
    personas["point_of_contact"].save()
    sign_in_with_second_factor(client, personas["point_of_contact"])
    assert client.get(pages[2]).status_code == 302  # "does not exist": not listed for them
    assert client.post(confirm).status_code == 404
    item.refresh_from_db()
    assert item.status == "checked" and item.confirmed_by is None
    OgpImport.objects.filter(pk=item.pk).update(uploaded_by=personas["point_of_contact"])
    for url in pages:
        assert client.get(url).status_code == 200
    assert client.get(confirm).status_code == 405
    item.refresh_from_db()
    assert item.status == "checked"
