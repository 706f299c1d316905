"""The plan as a document and the self-assessment draft: pages, and PDFs whose text
(pdftotext, from poppler-utils) keeps its accents."""

import shutil
import subprocess

import pytest

from conftest import build_plan
from tests.pages import plan_samples

pytestmark = pytest.mark.django_db


def _pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "document.pdf"
    path.write_bytes(content)
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext (poppler-utils) is needed: bin/system-packages installs it"
    result = subprocess.run(  # noqa: S603 - our own file, a fixed program
        [pdftotext, "-layout", str(path), "-"], capture_output=True, check=True, text=True
    )
    return " ".join(result.stdout.split())  # lines joined: a title may wrap


@pytest.fixture
def plan(db):
    plan = build_plan(commitments=2, summary="Participación ciudadana y rendición de cuentas.")
    plan_samples(plan)
    commitment = plan.commitments.order_by("number_sort").first()
    commitment.title = "Información pública en lenguas mayas: K'iche', Q'eqchi' y Kaqchikel"
    commitment.save()
    return plan


def test_the_plan_document_has_ogp_structure(client, plan):
    page = client.get(f"/en/planes/{plan.slug}/documento/").content.decode()
    for heading in ("Introduction", "The co-creation process", "Commitments", "Milestones"):
        assert heading in page
    assert "lenguas mayas" in page


def test_the_plan_pdf_keeps_accents(client, plan, tmp_path):
    response = client.get(f"/planes/{plan.slug}/documento.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content, tmp_path)
    assert "Participación ciudadana y rendición de cuentas." in text
    assert "K'iche', Q'eqchi' y Kaqchikel" in text
    assert "Introducción" in text  # the Spanish structure


def test_the_self_assessment_shows_completion_reports_and_civil_society(client, plan, tmp_path):
    page = client.get(f"/en/planes/{plan.slug}/autoevaluacion/").content.decode()
    assert "End-of-term self-assessment (draft)" in page
    assert "Se publicaron los primeros conjuntos de datos." in page  # the latest report
    assert "No encontramos los datos publicados." in page  # civil society's reading
    pdf = client.get(f"/planes/{plan.slug}/autoevaluacion.pdf")
    text = _pdf_text(pdf.content, tmp_path)
    assert "Autoevaluación" in text


def test_an_unknown_plan_is_not_found(client, db):
    for url in (
        "/planes/no/documento/",
        "/planes/no/documento.pdf",
        "/planes/no/autoevaluacion.pdf",
    ):
        assert client.get(url).status_code == 404
