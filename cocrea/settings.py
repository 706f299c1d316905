"""Cocrea's one settings module. Every value that differs between machines comes from the
environment; `.env.example` documents each variable."""

from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from cocrea.core.env import env_bool, env_choice, env_int, env_list, env_pairs, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

# development: `make run`; test: the test suite; production: everything else (the safe default).
ENVIRONMENT = env_choice("COCREA_ENVIRONMENT", ("development", "test", "production"), "production")
DEBUG = env_bool("COCREA_DEBUG", ENVIRONMENT == "development")
if DEBUG and ENVIRONMENT == "production":
    raise ImproperlyConfigured("COCREA_DEBUG cannot be on in production.")

SECRET_KEY = env_str("COCREA_SECRET_KEY")
if not SECRET_KEY:
    if ENVIRONMENT == "production":
        raise ImproperlyConfigured("COCREA_SECRET_KEY must be set in production.")
    SECRET_KEY = "insecure-key-for-development-and-tests-only"  # noqa: S105

ALLOWED_HOSTS = env_list(
    "COCREA_ALLOWED_HOSTS",
    ["127.0.0.1", "localhost", "testserver"] if ENVIRONMENT != "production" else [],
)
CSRF_TRUSTED_ORIGINS = env_list("COCREA_CSRF_TRUSTED_ORIGINS")
# OGP members served at a host name of their own, "host=member-slug,..." (cocrea.core.memberhost):
# "/" on such a host is that member's home; the hosts are allowed like the site's own.
COCREA_MEMBER_HOSTS = env_pairs("COCREA_MEMBER_HOSTS")
ALLOWED_HOSTS += [host for host in COCREA_MEMBER_HOSTS if host not in ALLOWED_HOSTS]

INSTALLED_APPS = [
    # Django's admin, behind two factors for everyone who uses it (cocrea/accounts/admin_site.py).
    "cocrea.accounts.admin_site.CocreaAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "csp",
    "cocrea.core",
    "cocrea.audit",
    "cocrea.accounts",
    "cocrea.plans",
    "cocrea.tracking",
    "cocrea.forum",
    "cocrea.participation",
    "cocrea.drafting",
    "cocrea.opendata",
    "cocrea.notifications",
    "cocrea.search",
    "cocrea.explorer",
    "ninja",
    "corsheaders",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Reads of the API from any origin (CORS_URLS_REGEX); nothing else is shared.
    "corsheaders.middleware.CorsMiddleware",
    # Bodies past their view's limit refused from Content-Length (413) in the first process_view,
    # before any other reads them (cocrea.core.bodylimit).
    "cocrea.core.bodylimit.BodyLimitMiddleware",
    # A NUL character in the address or a form is a 400, before anything reads it (issue 20).
    "cocrea.core.badinput.RefuseNul",
    # Which member's own host the request came to (COCREA_MEMBER_HOSTS), for the home page.
    "cocrea.core.memberhost.MemberHostMiddleware",
    # Outside all that shapes a page, so a cached page skips all of it (cocrea.core.pagecache).
    "cocrea.core.pagecache.PageCacheMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Someone who just changed something reads the next pages from the primary, not the replica
    # (a signed cookie, so any app server knows; cocrea.core.replica).
    "cocrea.core.replica.ReadYourWrites",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # A method a page does not take gets our 405 page in the visitor's language (Allow kept).
    "cocrea.core.notallowed.NotAllowedPage",
    # A request whose database connection was closed half-way runs again on a new one, when
    # nothing was committed yet (issue 20).
    "cocrea.core.reconnect.RetryLostConnection",
]

ROOT_URLCONF = "cocrea.urls"
WSGI_APPLICATION = "cocrea.wsgi.application"

COCREA_JINJA_GLOBALS = [
    "cocrea.plans.jinja_globals.JINJA_GLOBALS",
    "cocrea.tracking.jinja_globals.JINJA_GLOBALS",
    "cocrea.forum.jinja_globals.JINJA_GLOBALS",
    "cocrea.notifications.jinja_globals.JINJA_GLOBALS",
]
# What each domain app adds to a person's space, public profile and data download.
COCREA_MY_SPACE_SECTIONS = [
    "cocrea.plans.myspace.desk_section",
    "cocrea.plans.myspace.my_space_section",
    "cocrea.tracking.myspace.my_space_section",
    "cocrea.participation.sections.my_space_section",
    "cocrea.opendata.sections.my_space_section",
    "cocrea.notifications.sections.my_space_section",
]
# What domain apps add to a commitment's public page (plans imports no app above it).
COCREA_COMMITMENT_SECTIONS = [
    "cocrea.tracking.sections.commitment_section",
    "cocrea.participation.sections.commitment_section",
]
# What apps above plans add to `manage.py seed_demo`: functions seed(stdout, today=None), run
# after the plans, each doing nothing once its part exists.
COCREA_DEMO_SEEDERS = [
    "cocrea.tracking.demo.seed",
    "cocrea.forum.demo.seed",
    "cocrea.participation.demo.seed",
    "cocrea.drafting.demo.seed",  # after participation's: it needs the consultation
    "cocrea.notifications.demo.seed",  # after the others: tells their news to demo followers
    "cocrea.search.demo.seed",  # after every app with content: indexes it all
    "cocrea.accounts.demo.seed",  # last: opens the demo's accounts (development only)
]
# The demo's accounts open with this password, and a second factor with this secret, so each
# kind of user can log in after `make run` (cocrea/accounts/demo.py). Empty: closed, the default
# everywhere but development.
COCREA_DEMO_PASSWORD = env_str(
    "COCREA_DEMO_PASSWORD", "demo-cocrea-2026" if ENVIRONMENT == "development" else ""
)
COCREA_DEMO_TOTP_SECRET = env_str("COCREA_DEMO_TOTP_SECRET", "DEMOCOCREADEMOCOCREA2345")
# What apps above plans add to `manage.py seed_scale`: modules with add_arguments(parser),
# clear() and seed(rng=, options=, plans=, stdout=).
COCREA_SCALE_SEEDERS = [
    "cocrea.participation.scale",
    "cocrea.explorer.scale",
    "cocrea.search.scale",
]
# Which of a list of commitments civil society's current view disagrees with (the plan filter).
COCREA_DISPUTED_COMMITMENTS = "cocrea.tracking.selectors.disputed_commitment_ids"
# Which of a list of milestone ids it disagrees with (the institution page's milestone rows).
COCREA_DISPUTED_MILESTONES = "cocrea.tracking.selectors.disputed_milestone_ids"
# What apps above plans put at the top of the home page: what a visitor can do now.
COCREA_HOME_SECTIONS = ["cocrea.participation.home.home_section"]
COCREA_PROFILE_SECTIONS = ["cocrea.plans.myspace.profile_section"]
COCREA_PERSONAL_DATA_SECTIONS = [
    "cocrea.plans.myspace.personal_data",
    "cocrea.tracking.myspace.personal_data",
    "cocrea.participation.sections.personal_data",
    "cocrea.notifications.personal_data.personal_data",
    "cocrea.notifications.personal_data_mail.personal_data",
]
# Called by accounts.services.user_delete, inside its transaction, with the user: each app that
# stores something of the person's own deletes it (accounts imports no app above it).
COCREA_ACCOUNT_DELETION_HOOKS = ["cocrea.notifications.personal_data.forget"]
# A Jinja2 template that reads a missing attribute or variable fails in development and tests
# (StrictUndefined) instead of printing nothing; production keeps Jinja's lenient default, so a
# slip that no test caught shows a gap rather than an error page.
COCREA_STRICT_TEMPLATES = ENVIRONMENT != "production"
# Public pages are Jinja2 (cocrea/jinja2/, docs/adr/0002); the admin and other Django apps
# keep Django templates.
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "cocrea" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "cocrea.core.jinja.environment",
            "context_processors": ["cocrea.core.context_processors.site"],
            "auto_reload": DEBUG,
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "cocrea" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cocrea.core.context_processors.site",
            ],
        },
    },
]


def _database(url: str) -> dict[str, Any]:
    # Connections are kept for a minute and checked before a request (or the task worker's
    # loop) reuses one, so a connection the server closed (a restart, pg_terminate_backend) is
    # replaced instead of failing the request (issue 20).
    database: dict[str, Any] = dict(
        dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    )
    if database["ENGINE"].endswith("postgresql"):
        # Parameters bound by the server, and a statement run five times on a connection
        # prepared, so PostgreSQL stops planning it again (Django turns preparing off unless
        # asked): planning the proposal list's joins took 2.8 ms, running them 0.2 (ADR 3). A
        # pooler in front must keep sessions (pgbouncer in transaction mode cannot keep
        # prepared statements).
        database.setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)
    return database


# SQLite file under the git-ignored var/ folder unless DATABASE_URL names another database.
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": _database(DATABASE_URL)}
else:
    VAR_DIR.mkdir(exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("COCREA_SQLITE_PATH", str(VAR_DIR / "cocrea.sqlite3")),
            # One connection per worker thread, kept: opening one costs more than most queries.
            "CONN_MAX_AGE": None,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                # SQLite has one writer at a time: a write waits for the one before instead of
                # failing with "database is locked" (an OGP import writes for seconds; ADR 7).
                "timeout": 30,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }


def _replica(database: dict[str, Any]) -> dict[str, Any]:
    replica = {**database, "TEST": {"MIRROR": "default"}}
    if replica["ENGINE"].endswith("postgresql"):
        # A replica that does not answer is given up on quickly: its reads go to the primary
        # (cocrea/core/replica.py) instead of each waiting out the system's connect timeout.
        replica["OPTIONS"] = {**replica.get("OPTIONS", {}), "connect_timeout": 2}
    return replica


# A read replica of the primary (PostgreSQL streaming replication): public pages are read from
# it, except by someone who changed something in the last COCREA_REPLICA_STICKY_SECONDS; every
# write and everything else goes to the primary, and so do the reads while the replica is down
# or too far behind (cocrea/core/replica.py, ADR 11). In the test suite the replica alias is the
# test database itself (a mirror), and reads go to it only where a test says so.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
COCREA_REPLICA_READS = bool(DATABASE_REPLICA_URL)
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = _replica(_database(DATABASE_REPLICA_URL))
elif ENVIRONMENT == "test":
    DATABASES["replica"] = _replica(DATABASES["default"])
DATABASE_ROUTERS = ["cocrea.core.replica.ReplicaRouter"]
COCREA_REPLICA_STICKY_SECONDS = env_int("COCREA_REPLICA_STICKY_SECONDS", 10)
COCREA_REPLICA_RETRY_SECONDS = env_int("COCREA_REPLICA_RETRY_SECONDS", 5)
COCREA_REPLICA_MAX_LAG_SECONDS = env_int("COCREA_REPLICA_MAX_LAG_SECONDS", 30)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

if ENVIRONMENT == "test":
    # Hashing passwords properly is slow by design; the suite creates hundreds of accounts.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Accounts (django-allauth): log in with the email address, which stays private; the public sees
# only the public name chosen at sign-up. Email verification is mandatory.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "cocrea.accounts.forms.SignupExtraForm"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
ACCOUNT_USER_DISPLAY = "cocrea.accounts.models.public_name_of"
# Email queued for the worker, failed log-ins counted per account and address (adapter.py); the
# sign-up that answers a taken address after the same work, and races cleanly (signup.py).
ACCOUNT_ADAPTER = "cocrea.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"signup": "cocrea.accounts.signup.SignupForm"}
# Limits on abuse, per IP address and per key. The "login_failed" key is the account *and* the
# client's address, so a lockout never reaches the owner on another address.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "10/m/ip",
    "reset_password": "10/m/ip,3/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "manage_email": "10/m/user",
    "change_password": "5/m/user",
    # Our own forms that publish or submit (cocrea.core.ratelimits).
    "submission": "20/m/user,200/h/user",
}
# The client's address (rate limits, lockout): REMOTE_ADDR, or behind proxies the entry of
# X-Forwarded-For that the outermost of this many trusted proxies added (it appends what it saw).
ALLAUTH_TRUSTED_PROXY_COUNT = env_int(
    "COCREA_TRUSTED_PROXIES", 1 if env_bool("COCREA_BEHIND_PROXY", False) else 0
)
# The API's rate limit (django-ninja) takes the client's address the same way: without it, ninja
# would count each X-Forwarded-For value a client makes up as a client of its own.
NINJA_NUM_PROXIES = ALLAUTH_TRUSTED_PROXY_COUNT
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env_str("COCREA_SITE_NAME", "Cocrea")
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:my_space"
ACCOUNT_LOGOUT_REDIRECT_URL = "plans:home"

# Spanish first; every string is translatable so more languages (K'iche', Q'eqchi'...) can follow.
LANGUAGE_CODE = "es"
LANGUAGES = [("es", _("Spanish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "cocrea" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("COCREA_TIME_ZONE", "America/Guatemala")

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("COCREA_STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = ENVIRONMENT != "production"
STATICFILES_DIRS = [BASE_DIR / "cocrea" / "static"]
MEDIA_URL = "/media/"
# Uploaded files (evidence, forum documents; "private": OGP files waiting to be imported, which
# only staff read). Every app server must see the same files: a folder they all mount (NFS, the
# default) or S3-compatible object storage (COCREA_STORAGE=s3, cocrea/core/s3.py). Neither is
# ever served as it is: files go out through views that check who may read them.
COCREA_STORAGE = env_choice("COCREA_STORAGE", ("filesystem", "s3"), "filesystem")
MEDIA_ROOT = Path(env_str("COCREA_MEDIA_ROOT", str(VAR_DIR / "media")))
# Never under MEDIA_ROOT.
COCREA_PRIVATE_ROOT = Path(env_str("COCREA_PRIVATE_ROOT", str(VAR_DIR / "private")))
_files: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": COCREA_PRIVATE_ROOT, "base_url": "/no-public-address/"},
    },
}
_s3_bucket = env_str("COCREA_S3_BUCKET")
_s3_endpoint = env_str("COCREA_S3_ENDPOINT_URL")
_s3_key_id = env_str("COCREA_S3_ACCESS_KEY_ID")
_s3_secret = env_str("COCREA_S3_SECRET_ACCESS_KEY")
_s3_style = env_str("COCREA_S3_ADDRESSING_STYLE").strip() or ("path" if _s3_endpoint else "auto")
if _s3_style not in ("auto", "path", "virtual"):
    raise ImproperlyConfigured(
        f"COCREA_S3_ADDRESSING_STYLE must be one of auto, path, virtual, not {_s3_style!r}"
    )
if COCREA_STORAGE == "s3":
    if not _s3_bucket:
        raise ImproperlyConfigured(
            "COCREA_STORAGE=s3 needs COCREA_S3_BUCKET, the bucket that keeps uploaded files."
        )
    if bool(_s3_key_id) != bool(_s3_secret):
        raise ImproperlyConfigured(
            "COCREA_S3_ACCESS_KEY_ID and COCREA_S3_SECRET_ACCESS_KEY go together: set both, or "
            "neither to let boto3 find credentials (AWS_ACCESS_KEY_ID, a profile, a role)."
        )
    from cocrea.core.s3 import s3_storages

    _files = s3_storages(
        bucket=_s3_bucket,
        private_bucket=env_str("COCREA_S3_PRIVATE_BUCKET"),
        endpoint_url=_s3_endpoint,
        region=env_str("COCREA_S3_REGION"),
        access_key_id=_s3_key_id,
        secret_access_key=_s3_secret,
        addressing_style=_s3_style,
        media_url=MEDIA_URL,
        max_memory_size=2_621_440,  # read into memory up to 2.5 MB (as uploads are), then a file
    )
STORAGES = {
    **_files,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if ENVIRONMENT == "production"
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Security: strict by default, relaxed only where plain HTTP on loopback needs it.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
_https = env_bool("COCREA_HTTPS", ENVIRONMENT == "production")
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
SECURE_SSL_REDIRECT = env_bool("COCREA_SSL_REDIRECT", _https)
SECURE_HSTS_SECONDS = env_int("COCREA_HSTS_SECONDS", 31536000 if _https else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _https
SECURE_HSTS_PRELOAD = _https
if env_bool("COCREA_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    if _https and not SECURE_SSL_REDIRECT:
        # The proxy redirects plain HTTP (deploy/nginx/cocrea.conf) and the app servers answer
        # their health checks over plain HTTP on loopback: Django's deploy check need not warn.
        SILENCED_SYSTEM_CHECKS = ["security.W008"]
# Content-Security-Policy: our own files only; no inline script or style anywhere; never framed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        # data: only for images: the QR code of the authenticator app set-up is one.
        "img-src": [SELF, "data:"],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
    },
}
# Every powerful browser feature off: Cocrea needs none of them.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    )
}
# Bounded request bodies: large input is refused before it is parsed.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

EMAIL_BACKEND = (
    "django.core.mail.backends.console.EmailBackend"
    if ENVIRONMENT == "development"
    else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = env_str("COCREA_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("COCREA_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("COCREA_EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("COCREA_EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("COCREA_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("COCREA_DEFAULT_FROM_EMAIL", "Cocrea <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Local memory by default, one per worker process: enough for the page cache, whose keys carry the
# data version. Redis through REDIS_URL in production, so that allauth's rate limits (log-in
# lockout included) count across every worker and every app server. A Redis that is down or
# restarting is an empty cache, not an error (cocrea/core/cache.py): pages still answer, rate
# limits let requests through meanwhile. Sessions stay in the database, so a Redis restart logs
# nobody out.
REDIS_URL = env_str("REDIS_URL")
CACHES = {
    "default": (
        {
            "BACKEND": "cocrea.core.cache.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            # Redis answers in a millisecond on its network: one that does not is treated as away.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
        }
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    )
}
# Whole public pages for anonymous visitors, until the data changes (cocrea.core.pagecache).
# Off by default in the test suite, where factories write without the services; tests of the
# cache switch it on.
COCREA_PAGE_CACHE = env_bool("COCREA_PAGE_CACHE", ENVIRONMENT != "test")
COCREA_PAGE_CACHE_SECONDS = env_int("COCREA_PAGE_CACHE_SECONDS", 3600)

# Evidence files (tracking.uploads): the largest accepted, in bytes.
COCREA_EVIDENCE_MAX_BYTES = env_int("COCREA_EVIDENCE_MAX_BYTES", 20 * 1024 * 1024)
# Largest OGP commitments file the administration accepts for import (opendata/imports.py).
COCREA_IMPORT_MAX_BYTES = env_int("COCREA_IMPORT_MAX_BYTES", 50 * 1024 * 1024)
# No uploaded file is read past this size (cocrea.core.uploads): the largest of the limits; each
# form then checks its own.
COCREA_UPLOAD_MAX_BYTES = max(COCREA_EVIDENCE_MAX_BYTES, COCREA_IMPORT_MAX_BYTES)
# Office files (zip files) and images are refused past these, before anything is unpacked or
# decoded (cocrea.core.filecheck, cocrea.core.scrub): the sum of the members' unpacked sizes,
# their number, and an image's pixels (all its frames).
COCREA_OFFICE_MAX_UNPACKED_BYTES = env_int("COCREA_OFFICE_MAX_UNPACKED_BYTES", 256 * 1024 * 1024)
COCREA_OFFICE_MAX_MEMBERS = env_int("COCREA_OFFICE_MAX_MEMBERS", 2000)
COCREA_IMAGE_MAX_PIXELS = env_int("COCREA_IMAGE_MAX_PIXELS", 50_000_000)
# The views that take files, by URL name, with the setting that holds their file limit: their
# request bodies may hold that much more than DATA_UPLOAD_MAX_MEMORY_SIZE (cocrea.core.bodylimit).
# Every other request body is refused past DATA_UPLOAD_MAX_MEMORY_SIZE, before it is read.
COCREA_UPLOAD_VIEWS = {
    "tracking:report_new": "COCREA_EVIDENCE_MAX_BYTES",
    "tracking:report": "COCREA_EVIDENCE_MAX_BYTES",
    "tracking:assessment_new": "COCREA_EVIDENCE_MAX_BYTES",
    "forum:document_new": "COCREA_EVIDENCE_MAX_BYTES",
    "api:progress_report_evidence_add": "COCREA_EVIDENCE_MAX_BYTES",
    "admin:opendata_ogpimport_add": "COCREA_IMPORT_MAX_BYTES",
}
FILE_UPLOAD_HANDLERS = [
    "cocrea.core.uploads.SizeLimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("COCREA_LOG_LEVEL", "INFO")},
}

# The site's own identity: one install serves one or several OGP members.
COCREA_SITE_NAME = env_str("COCREA_SITE_NAME", "Cocrea")
# The site's public address, for links in emails sent outside a request.
COCREA_SITE_URL = env_str("COCREA_SITE_URL", "http://127.0.0.1:8000")
# Rows per page of the public lists. Proposals are longer items, each with its author, area,
# counts and answer: 20 a page, as participation platforms show them (and half the rendering).
COCREA_PAGE_SIZE = 50
COCREA_PROPOSALS_PAGE_SIZE = 20

# Where `manage.py export_opendata` writes the bulk files the open-data page offers.
COCREA_OPENDATA_ROOT = Path(env_str("COCREA_OPENDATA_ROOT", str(VAR_DIR / "opendata")))
# Backups (bin/backup, cocrea/core/backup.py): where they are written, and how many are kept
# there, the oldest removed after each new one (0: all). docs/backups.md.
COCREA_BACKUP_DIR = Path(env_str("COCREA_BACKUP_DIR", str(VAR_DIR / "backups")))
COCREA_BACKUP_KEEP = env_int("COCREA_BACKUP_KEEP", 14)
# Seconds between a public change and the background export that includes it: the changes of
# that span are exported together (cocrea/opendata/tasks.py).
COCREA_OPENDATA_EXPORT_DELAY = env_int("COCREA_OPENDATA_EXPORT_DELAY", 300)
# Background work (django-tasks): tasks are rows in the database, run by `manage.py run_worker`
# (django-tasks-db's worker, kept going through database errors: cocrea/core/management/commands/
# run_worker.py; `make run` starts one beside the server; production runs it as a service of its
# own, docs/deployment.md).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# The TASKS backend of accounts' emails (cocrea/accounts/tasks.py): the database, so the worker
# sends them. The test suite sends them at once (django-tasks' ImmediateBackend), so a test reads
# an email right after its request; the tests of the queue itself switch to "default".
COCREA_MAIL_TASKS = "default"
if ENVIRONMENT == "test":
    TASKS["immediate"] = {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    COCREA_MAIL_TASKS = "immediate"
# Notifications (cocrea/notifications): the fan-out of new public events to their followers runs
# this many seconds after a change, so the changes of those seconds are told together.
COCREA_NOTIFICATIONS_DELAY = env_int("COCREA_NOTIFICATIONS_DELAY", 5)
# Days a proposal may wait for an answer before the point of contact is told it waits
# (`manage.py send_notifications`, cocrea/notifications/periodic.py).
COCREA_UNANSWERED_DAYS = env_int("COCREA_UNANSWERED_DAYS", 14)
# Search (cocrea/search): the index follows the audit log this many seconds after a change.
COCREA_SEARCH_DELAY = env_int("COCREA_SEARCH_DELAY", 5)
# The worker (`manage.py run_worker`) records that it is alive at most this often (seconds), and
# `/health/worker/` answers 503 when no worker has been seen for COCREA_WORKER_STALE_SECONDS.
COCREA_WORKER_HEARTBEAT_SECONDS = env_int("COCREA_WORKER_HEARTBEAT_SECONDS", 30)
COCREA_WORKER_STALE_SECONDS = env_int("COCREA_WORKER_STALE_SECONDS", 300)
# The public API (cocrea/opendata): requests per client address, and its pages.
COCREA_API_RATE = env_str("COCREA_API_RATE", "600/m")
NINJA_PAGINATION_PER_PAGE = 50
NINJA_MAX_PER_PAGE_SIZE = 200
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified"]
