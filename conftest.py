"""Fixtures shared by every test: a small plan built with factories."""

import importlib
from datetime import date

import pytest

from cocrea.plans.models import Milestone, PolicyArea
from cocrea.plans.tests.factories import (
    ActionPlanFactory,
    CommitmentFactory,
    InstitutionFactory,
    MilestoneFactory,
)


def build_plan(commitments: int = 3, milestones_each: int = 3, **plan_fields: object):
    """A plan with `commitments` commitments, each with milestones, policy areas and a
    supporting institution, as the public pages show them."""
    plan = ActionPlanFactory(**plan_fields)
    areas = list(PolicyArea.objects.filter(parent__isnull=False).order_by("position")[:3])
    supporter = InstitutionFactory(name="Red Ciudadana de Prueba", acronym="", kind="civil_society")
    for i in range(commitments):
        commitment = CommitmentFactory(
            plan=plan,
            number=str(i + 1),
            slug=f"{plan.slug}-c{i + 1}",
            policy_areas=[areas[i % len(areas)]],
            supporting_institutions=[supporter],
        )
        for j in range(milestones_each):
            MilestoneFactory(
                commitment=commitment,
                number=j + 1,
                end_date=date(2024, 1, 1) if j == 0 else date(2099, 1, 1),
                completion=Milestone.Completion.LIMITED
                if j == 0
                else Milestone.Completion.COMPLETE,
            )
    return plan


@pytest.fixture
def plan(db):
    return build_plan()


def pytest_report_header(config: pytest.Config) -> str:
    from django.conf import settings

    database = settings.DATABASES["default"]
    return (
        f"database: {database['ENGINE'].rsplit('.', 1)[-1]} {database.get('HOST') or ''}".rstrip()
    )


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language, as a new request would: a request to an
    /en/ page leaves English active in the test's thread (LocaleMiddleware does not switch back
    after the response), and a later test's get_absolute_url() would then give English pages."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _reference_data(request: pytest.FixtureRequest) -> None:
    """Transaction tests (the browser tests, the worker's, the read replica's) end with the tables
    emptied, so OGP's policy-area taxonomy (loaded by a migration) is loaded again when missing.
    Django's serialized rollback cannot do this for the browser tests: Playwright's event loop
    gives the test a different connection object from the one the test database was serialized
    on."""
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in request.fixturenames or (
        marker is not None and marker.kwargs.get("transaction", False)
    )
    if not transactional:
        return
    from django.apps import apps

    if not PolicyArea.objects.exists():
        migration = importlib.import_module("cocrea.plans.migrations.0002_ogp_policy_areas")
        migration.load_taxonomy(apps, None)


@pytest.fixture(autouse=True)
def _empty_cache():
    """The cache is process-wide; each test starts without what earlier tests left in it."""
    from django.core.cache import cache

    cache.clear()
    yield


# Personas (STYLE rule 11): each a verified account with the roles its name says. Staff personas
# have an authenticator app set up, as the rules require before they approve or publish.


def make_person(public_name: str, *, mfa: bool = False, **fields: object):
    from allauth.account.models import EmailAddress
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from cocrea.accounts.models import User

    slug = public_name.lower().replace(" ", "-")
    user = User.objects.create_user(
        username=f"usuario-privado-{slug}",
        email=f"{slug}@correo-privado.example",
        password="una-clave-larga-de-prueba-1",
        public_name=public_name,
        first_name="Nombre",
        last_name=f"Legal{slug.title().replace('-', '')}",
        **fields,
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    if mfa:
        TOTP.activate(user, generate_totp_secret())
    return user


def sign_in_with_second_factor(client, user):
    """Sign `user` in as the site's log-in does after the code of their authenticator app: the
    session records the second factor, which the administration asks for
    (cocrea/accounts/admin_site.py). The log-in itself is tested in accounts' admin tests."""
    import time

    from allauth.account.internal.flows.login import (
        _AUTHENTICATION_METHODS_USER_SESSION_KEY,
        AUTHENTICATION_METHODS_SESSION_KEY,
    )
    from allauth.account.internal.userkit import user_id_to_str

    client.force_login(user)
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": time.time()},
        {"method": "mfa", "at": time.time(), "type": "totp"},
    ]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = user_id_to_str(user)
    session.save()
    return client


def make_member(user, institution, role="member", status="approved"):
    from cocrea.plans.models import Membership

    return Membership.objects.create(user=user, institution=institution, role=role, status=status)


@pytest.fixture
def institutions(db):
    from cocrea.plans.tests.factories import InstitutionFactory

    return {
        "mineduc": InstitutionFactory(
            name="Ministerio de Educación", acronym="MINEDUC", slug="mineduc"
        ),
        "marn": InstitutionFactory(name="Ministerio de Ambiente", acronym="MARN", slug="marn"),
        "cso": InstitutionFactory(
            name="Red Ciudadana", acronym="", slug="red-ciudadana", kind="civil_society"
        ),
    }


def grant(user, role, member=None):
    """A role in an OGP member (Guatemala, the tests' default member, unless one is given)."""
    from cocrea.accounts.models import RoleGrant
    from cocrea.plans.tests.factories import MemberFactory

    return RoleGrant.objects.create(user=user, role=role, member=member or MemberFactory())


def default_member():
    """Guatemala, the tests' default OGP member (for tests in apps below plans)."""
    from cocrea.plans.tests.factories import MemberFactory

    return MemberFactory()


def other_member():
    """A second OGP member: an OGP Local jurisdiction of Guatemala's, with a civil-society
    organisation of its own."""
    from cocrea.plans.models import Member
    from cocrea.plans.tests.factories import MemberFactory

    national = MemberFactory()
    member, _ = Member.objects.get_or_create(
        code="GTM-XELA",
        defaults={
            "name": "Quetzaltenango",
            "slug": "quetzaltenango",
            "level": Member.Level.LOCAL,
            "region": "Américas",
            "national": national,
        },
    )
    return member


@pytest.fixture
def personas(institutions):
    from cocrea.accounts.models import RoleGrant
    from cocrea.plans.tests.factories import InstitutionFactory

    citizen = make_person("Ciudadana")
    cso_member = make_person("Sociedad Civil")
    make_member(cso_member, institutions["cso"])
    official = make_person("Funcionaria Mineduc", mfa=True)
    make_member(official, institutions["mineduc"], role="reporting_official")
    coordinator = make_person("Coordinadora Mineduc", mfa=True)
    make_member(coordinator, institutions["mineduc"], role="coordinator")
    other_official = make_person("Funcionario Marn", mfa=True)
    make_member(other_official, institutions["marn"], role="coordinator")
    point_of_contact = make_person("Punto de Contacto", mfa=True)
    grant(point_of_contact, RoleGrant.Role.POINT_OF_CONTACT)
    moderator = make_person("Moderadora", mfa=True)
    grant(moderator, RoleGrant.Role.MODERATOR)
    administrator = make_person("Administradora", mfa=True, is_staff=True, is_superuser=True)
    # The right role in the wrong member: every role of Quetzaltenango's, and a member of one of
    # its civil-society organisations; in Guatemala, a citizen like any other.
    elsewhere = other_member()
    wrong_member = make_person("Punto de Contacto de Xela", mfa=True)
    for role in RoleGrant.Role.values:
        grant(wrong_member, role, elsewhere)
    make_member(
        wrong_member,
        InstitutionFactory(
            member=elsewhere, name="Colectivo Xelajú", slug="colectivo-xelaju", kind="civil_society"
        ),
        role="coordinator",
    )
    return {
        "anonymous": None,
        "citizen": citizen,
        "cso_member": cso_member,
        "official": official,
        "coordinator": coordinator,
        "other_official": other_official,
        "point_of_contact": point_of_contact,
        "moderator": moderator,
        "administrator": administrator,
        "wrong_member": wrong_member,
    }


@pytest.fixture
def smtp(settings):
    """A real SMTP server on loopback; Django sends to it over SMTP (tests/smtp.py)."""
    from tests.smtp import Inbox, serving

    with serving(settings, Inbox()) as inbox:
        yield inbox


@pytest.fixture
def s3_storage(settings):
    """Uploaded files on a real S3 server on loopback (moto's, spoken to over HTTP by boto3),
    configured as COCREA_STORAGE=s3 configures them: one bucket, private files under private/
    (tests/servers.py). Its address."""
    from cocrea.core.s3 import s3_storages
    from tests.servers import BUCKET, CREDENTIALS, s3_server

    with s3_server() as endpoint:
        settings.STORAGES = {
            **settings.STORAGES,
            **s3_storages(
                bucket=BUCKET,
                private_bucket="",
                endpoint_url=endpoint,
                region="us-east-1",
                addressing_style="path",
                media_url=settings.MEDIA_URL,
                max_memory_size=1024,  # larger files go through a temporary file, as in production
                **CREDENTIALS,
            ),
        }
        yield endpoint


@pytest.fixture
def redis_server():
    """A Redis server of the test's own on loopback, which the test may stop and start again
    (tests/servers.py)."""
    from tests.servers import redis_server

    with redis_server() as server:
        yield server
