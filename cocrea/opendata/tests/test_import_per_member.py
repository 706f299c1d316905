"""OGP's import for one member's people (issue 25): a point of contact imports the rows of the
members they run; a file with a row of another member, or of a member the site does not have, is
refused whole, each such row named; an administrator imports every member and adds new ones."""

import pytest
from django.utils import translation

from cocrea.accounts.models import RoleGrant
from cocrea.opendata.ogp_import import import_file
from cocrea.opendata.tests.test_ogp import _csv, _row
from cocrea.plans.models import Commitment, Member
from cocrea.plans.tests.factories import MemberFactory
from conftest import grant, make_person, other_member

pytestmark = pytest.mark.django_db

XELA_ROW = {
    "Commitment Unique Identifier": "XELA0001",
    "Action Plan ID": "AP_XELA1",
    "Code": "GTM-XELA",
    "Country/Locality": "Quetzaltenango",
    "National Or Local": "Local",
}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def members():
    return MemberFactory(), other_member()


def _contact_of(member):
    person = make_person(f"Punto de contacto de {member.code}", mfa=True)
    grant(person, RoleGrant.Role.POINT_OF_CONTACT, member)
    return person


def test_a_point_of_contact_imports_their_own_members_rows(tmp_path, members):
    guatemala, _xela = members
    report = import_file(_csv(tmp_path, [_row()]), actor=_contact_of(guatemala))
    assert report.ok, report.errors
    assert Commitment.objects.get(ogp_id="GT0110").plan.member == guatemala


def test_a_row_of_another_member_refuses_the_whole_file_and_is_named(tmp_path, members):
    _guatemala, xela = members
    rows = [_row(), _row(**XELA_ROW)]
    report = import_file(_csv(tmp_path, rows), actor=_contact_of(xela))
    assert not report.ok
    assert report.errors == [
        (2, "Code: «GTM» is Guatemala, whose data you do not manage"),
    ]
    assert not Commitment.objects.exists()  # not even Quetzaltenango's own row


def test_only_an_administrator_adds_a_member_through_an_import(tmp_path, members):
    guatemala, _xela = members
    costa_rica = _row(
        **{
            "Commitment Unique Identifier": "CR0001",
            "Action Plan ID": "AP_CRI1",
            "Code": "CRI",
            "Country/Locality": "Costa Rica",
        }
    )
    report = import_file(_csv(tmp_path, [costa_rica]), actor=_contact_of(guatemala))
    assert report.errors == [
        (2, "Code: «CRI» is not a member of this site; only an administrator adds members")
    ]
    assert not Member.objects.filter(code="CRI").exists()
    administrator = make_person("Administradora", mfa=True, is_staff=True, is_superuser=True)
    report = import_file(_csv(tmp_path, [costa_rica, _row()]), actor=administrator)
    assert report.ok, report.errors
    assert Member.objects.filter(code="CRI").exists()


def test_a_point_of_contact_without_two_factors_imports_nothing(tmp_path, members):
    guatemala, _xela = members
    person = make_person("Sin dos factores")
    grant(person, RoleGrant.Role.POINT_OF_CONTACT, guatemala)
    report = import_file(_csv(tmp_path, [_row()]), actor=person)
    assert not report.ok and not Commitment.objects.exists()
