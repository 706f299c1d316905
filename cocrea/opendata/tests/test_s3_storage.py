"""An OGP commitments file uploaded in the administration, on S3-compatible object storage
(COCREA_STORAGE=s3), against a real S3 server on loopback: it lands in the private location (or
bucket), no public address reads it, the worker reads it back from there to check and import
it, and it is deleted once imported."""

import pytest
import requests
from django.test import Client

from cocrea.opendata.models import OgpImport
from cocrea.opendata.tests.test_admin_import import _upload, _work
from cocrea.opendata.tests.test_ogp import GOOD, _csv
from cocrea.plans.models import Commitment
from conftest import sign_in_with_second_factor
from tests.servers import BUCKET, PRIVATE_BUCKET, s3_client

WORKER = pytest.mark.django_db(transaction=True)


@pytest.fixture
def admin_client(client, personas):
    sign_in_with_second_factor(client, personas["administrator"])
    return client


def _keys(endpoint: str, bucket: str) -> list[str]:
    listed = s3_client(endpoint).list_objects_v2(Bucket=bucket)
    return [item["Key"] for item in listed.get("Contents", [])]


@WORKER
@pytest.mark.parametrize("own_bucket", [False, True], ids=["same-bucket", "private-bucket"])
def test_an_ogp_file_is_kept_privately_read_back_by_the_worker_and_deleted_once_imported(
    admin_client, tmp_path, settings, s3_storage, own_bucket
):
    if own_bucket:  # COCREA_S3_PRIVATE_BUCKET
        private = settings.STORAGES["private"]
        settings.STORAGES = {
            **settings.STORAGES,
            "private": {
                **private,
                "OPTIONS": {**private["OPTIONS"], "bucket_name": PRIVATE_BUCKET},
            },
        }
    bucket = PRIVATE_BUCKET if own_bucket else BUCKET
    _upload(admin_client, _csv(tmp_path, GOOD))
    item = OgpImport.objects.get()
    assert _keys(s3_storage, bucket) == [f"private/{item.file.name}"]
    if own_bucket:
        assert _keys(s3_storage, BUCKET) == []

    # No public address reads it: not the bucket's, not the one the storage gives, not the site's.
    assert (
        requests.get(f"{s3_storage}/{bucket}/private/{item.file.name}", timeout=10).status_code
        == 403
    )
    assert item.file.url == f"/no-public-address/{item.file.name}"
    visitor = Client()
    assert visitor.get(item.file.url).status_code == 404
    assert visitor.get(f"/media/{item.file.name}").status_code == 404

    _work()  # the check reads the file back from the bucket
    item.refresh_from_db()
    assert item.status == "checked", item.report
    assert item.report["created"]["commitments"] == 2
    confirmed = admin_client.post(f"/en/admin/opendata/ogpimport/{item.pk}/import/")
    assert confirmed.status_code == 302
    _work()
    item.refresh_from_db()
    assert item.status == "imported" and Commitment.objects.count() == 2
    assert _keys(s3_storage, bucket) == []  # imported: the file is not kept
