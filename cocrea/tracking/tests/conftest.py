from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cocrea.core.tests.files import BLANK_PDF
from cocrea.plans.tests.factories import CommitmentFactory, MilestoneFactory

PDF = BLANK_PDF  # a real PDF, unchanged by the metadata cleaning (cocrea/core/scrub.py)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 100
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 100


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def milestone(institutions):
    """A MINEDUC milestone of a commitment that MINEDUC leads and the CSO supports."""
    commitment = CommitmentFactory(
        lead_institution=institutions["mineduc"], supporting_institutions=[institutions["cso"]]
    )
    return MilestoneFactory(
        commitment=commitment,
        number=1,
        responsible_institution=institutions["mineduc"],
        end_date=date(2099, 1, 1),
    )


@pytest.fixture
def report_data():
    return {
        "completion": "substantial",
        "percent": "60",
        "done": "Se publicó el portal con 12 conjuntos de datos.",
        "facts_date": "2025-03-01",
    }
