import pytest

from cocrea.drafting import services
from cocrea.plans.tests.factories import ActionPlanFactory
from tests.appchecks.drafting import consultation_for

VERSION_1 = {
    "title": "Compras públicas abiertas",
    "short_description": "Publicar las compras en datos abiertos.",
    "problem": "Los contratos no se publican completos.",
    "description": "Publicar cada contrato en OCDS.",
    "access_to_information": True,
    "access_to_information_text": "Abre la información de compras.",
    "milestones": "Portal publicado\nCapacitación",
}


@pytest.fixture
def consultation(db):
    """A published consultation whose drafting phase is open today."""
    return consultation_for(ActionPlanFactory(slug="plan-borradores"), "drafting")


@pytest.fixture
def draft(personas, consultation):
    return services.draft_create(
        actor=personas["point_of_contact"],
        consultation=consultation,
        title=VERSION_1["title"],
        version=dict(VERSION_1),
    )
