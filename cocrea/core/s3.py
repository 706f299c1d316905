"""Uploaded files on S3-compatible object storage (django-storages), for several app servers:
Amazon S3, MinIO, Ceph, Garage or any server that speaks the S3 API (COCREA_STORAGE=s3).

Files never go out from the bucket: every download goes through our views, which check who may
read it. So no object is made public (no ACL is sent: a bucket's objects are private unless its
own policy says otherwise, and AWS refuses ACLs on buckets that have them switched off, their
default), and `url()` gives no address of the bucket, signed or not, whatever asks for one."""

from typing import Any
from urllib.parse import urljoin

from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage as _S3Storage

# The folders inside the bucket (or buckets): public and private files never share a prefix, so
# one bucket may hold both.
PUBLIC_LOCATION = "media"
PRIVATE_LOCATION = "private"


class S3Storage(_S3Storage):
    """django-storages' S3 storage whose `url()` is the site's own, like FileSystemStorage's
    `base_url`: never an address of the bucket."""

    def __init__(self, *, base_url: str, **options: Any) -> None:
        self.site_base_url = base_url
        super().__init__(**options)

    def url(
        self, name: str, parameters: Any = None, expire: Any = None, http_method: Any = None
    ) -> str:
        return urljoin(self.site_base_url, filepath_to_uri(name))


def s3_storages(
    *,
    bucket: str,
    private_bucket: str,
    endpoint_url: str,
    region: str,
    access_key_id: str,
    secret_access_key: str,
    addressing_style: str,
    media_url: str,
    max_memory_size: int,
) -> dict[str, dict[str, Any]]:
    """The "default" and "private" entries of STORAGES. Empty strings leave a value to boto3
    (credentials from AWS_ACCESS_KEY_ID, a profile or the machine's role; the region from
    AWS_DEFAULT_REGION)."""
    from botocore.config import Config

    common: dict[str, Any] = {
        "endpoint_url": endpoint_url or None,
        "region_name": region or None,
        "access_key": access_key_id or None,
        "secret_key": secret_access_key or None,
        # Django's semantics: a new upload never replaces a file of the same name.
        "file_overwrite": False,
        "default_acl": None,
        "querystring_auth": True,
        # A download is read into memory up to this size, then into a temporary file.
        "max_memory_size": max_memory_size,
        "client_config": Config(
            s3={"addressing_style": addressing_style},
            signature_version="s3v4",
            # A request waits on a slow store for seconds, not for the minutes of boto3's defaults.
            connect_timeout=5,
            read_timeout=30,
            retries={"max_attempts": 3, "mode": "standard"},
            # Checksums only where S3 requires them: servers other than Amazon's may refuse the
            # newer ones botocore would send by default.
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
        ),
    }
    backend = "cocrea.core.s3.S3Storage"
    return {
        "default": {
            "BACKEND": backend,
            "OPTIONS": {
                **common,
                "bucket_name": bucket,
                "location": PUBLIC_LOCATION,
                "base_url": media_url,
            },
        },
        "private": {
            "BACKEND": backend,
            "OPTIONS": {
                **common,
                "bucket_name": private_bucket or bucket,
                "location": PRIVATE_LOCATION,
                "base_url": "/no-public-address/",
            },
        },
    }
