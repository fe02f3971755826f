"""Settings for yiwang, read from the environment.

Development defaults are safe to run on a laptop; with ``YIWANG_DEBUG`` off the site refuses to
start without a secret key and allowed hosts, and turns on secure cookies and HSTS.
"""

import base64
import binascii
import hashlib
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from yiwang.common.keys import (
    DEV_SECRET_KEY,
    ensure_rsa_key,
    parse_index_keys,
    parse_personal_data_keys,
    secret_key_weakness,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("YIWANG_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


DEBUG = env_bool("YIWANG_DEBUG")

SECRET_KEY = os.environ.get("YIWANG_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "YIWANG_SECRET_KEY must be set when YIWANG_DEBUG is off (production)."
        )
    SECRET_KEY = DEV_SECRET_KEY
elif not DEBUG and (_weakness := secret_key_weakness(SECRET_KEY)):
    raise ImproperlyConfigured(
        f"YIWANG_SECRET_KEY is too weak for production: {_weakness}. Generate one with "
        "`python -c 'import secrets; print(secrets.token_urlsafe(64))'`."
    )

ALLOWED_HOSTS = env_list("YIWANG_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("YIWANG_ALLOWED_HOSTS must be set when YIWANG_DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("YIWANG_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    # django-ninja's Swagger UI assets come from its own static files: our CSP and offline
    # deployments both rule out the CDN it uses when "ninja" is not installed.
    "ninja",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "yiwang.common",
    "yiwang.regions",
    "yiwang.orgs",
    "yiwang.calendar",
    "yiwang.notify",
    "yiwang.accounts",
    "yiwang.supervision",
    # After accounts, whose Chinese consent and log-out templates override the toolkit's.
    "oauth2_provider",
    "yiwang.catalog",
    "yiwang.cases",
    "yiwang.seals",
    "yiwang.licences",
    "yiwang.archives",
    "yiwang.hall",
    "yiwang.evaluation",
    "yiwang.complaints",
    "yiwang.exchange",
    "yiwang.backups",
    "yiwang.portal",
    "yiwang.workbench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # django-ninja's 405 in the API's JSON error shape.
    "yiwang.api.json_method_not_allowed",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "yiwang.accounts.middleware.StaffSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a locked-out log-in attempt into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

if DEBUG:
    # runserver serves static files itself in development; whitenoise serves the collected ones.
    MIDDLEWARE.remove("whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "yiwang.urls"
WSGI_APPLICATION = "yiwang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "yiwang" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'yiwang.sqlite3'}"),
        conn_max_age=int(os.environ.get("YIWANG_DB_CONN_MAX_AGE", "60")),
    )
}
_engine = DATABASES["default"]["ENGINE"]
if _engine.endswith("sqlite3"):
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the web process read while the task worker writes; the busy timeout turns a
    # momentary lock into a short wait instead of "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif _engine.endswith("mysql"):
    DATABASES["default"]["OPTIONS"] = {
        "charset": "utf8mb4",
        "init_command": "SET sql_mode='STRICT_TRANS_TABLES'",
    }
    DATABASES["default"]["TEST"] = {"CHARSET": "utf8mb4", "COLLATION": "utf8mb4_bin"}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "yiwang" / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_ROOT = Path(os.environ.get("YIWANG_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/accounts/me/"
LOGOUT_REDIRECT_URL = "/"

# --- Unified identity (统一身份认证) ------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out name before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "yiwang.accounts.backends.IdentifierBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("YIWANG_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("YIWANG_LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "yiwang.accounts.backends.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# Behind a reverse proxy, name the header that carries the client address.
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
SESSION_COOKIE_AGE = 8 * 3600
# 自然人注册 attempts in an hour, per client address and per ID number (accounts.services).
REGISTRATION_ATTEMPTS_PER_ADDRESS = int(os.environ.get("YIWANG_REGISTRATION_PER_ADDRESS", "20"))
REGISTRATION_ATTEMPTS_PER_ID_NUMBER = int(os.environ.get("YIWANG_REGISTRATION_PER_ID_NUMBER", "5"))
# 曝光纠错 reports from one client address in an hour (complaints.services.error_reports).
ERROR_REPORTS_PER_ADDRESS = int(os.environ.get("YIWANG_ERROR_REPORTS_PER_ADDRESS", "10"))
OTP_TOTP_ISSUER = "一网通办"
POPULATION_REGISTRY = os.environ.get("YIWANG_POPULATION_REGISTRY",
                                     "yiwang.accounts.registry.LocalPopulationRegistry")
ENTERPRISE_REGISTRY = os.environ.get("YIWANG_ENTERPRISE_REGISTRY",
                                     "yiwang.accounts.registry.LocalEnterpriseRegistry")
# 好差评: days after the service within which the person may rate (and change the rating), and
# the working days a department has to rectify a 差评; a region's EvaluationPolicy overrides both.
EVALUATION_RATING_DAYS = int(os.environ.get("YIWANG_EVALUATION_RATING_DAYS", "15"))
EVALUATION_RECTIFICATION_WORKING_DAYS = int(
    os.environ.get("YIWANG_EVALUATION_RECTIFICATION_WORKING_DAYS", "15"))
# 12345: reply deadlines by request kind in working days (a region's ReplyDeadline overrides), the
# days after an answer within which the requester may rate it (then it is closed as answered),
# how often an unsatisfied requester can have it reopened, and the working days a department has
# for a 曝光纠错 report.
COMPLAINTS_REPLY_WORKING_DAYS = {"consult": 1, "help": 3, "complaint": 5, "report": 15,
                                 "suggestion": 10, "praise": 5}
# New 12345 requests an hour from one citizen account, and from one Open311 app.
COMPLAINTS_REQUESTS_PER_HOUR = int(os.environ.get("YIWANG_COMPLAINTS_REQUESTS_PER_HOUR", "20"))
COMPLAINTS_OPEN311_REQUESTS_PER_HOUR = int(
    os.environ.get("YIWANG_COMPLAINTS_OPEN311_REQUESTS_PER_HOUR", "600"))
COMPLAINTS_RATING_DAYS = int(os.environ.get("YIWANG_COMPLAINTS_RATING_DAYS", "7"))
COMPLAINTS_MAX_REOPENS = int(os.environ.get("YIWANG_COMPLAINTS_MAX_REOPENS", "2"))
COMPLAINTS_ERROR_REPORT_WORKING_DAYS = int(
    os.environ.get("YIWANG_COMPLAINTS_ERROR_REPORT_WORKING_DAYS", "5"))
# Where the site is reached from outside: links sent by SMS (the rating invitation) start here.
SITE_URL = os.environ.get("YIWANG_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# 身份证读卡器: decodes what the reader at a hall window or terminal sends (hall.idcard). The
# simulator takes a typed number as a card, so anyone at a kiosk could open another person's
# licences: production reads no card until a real reader's class is named.
SIMULATED_IDCARD_READER = "yiwang.hall.idcard.SimulatedIdCardReader"
IDCARD_READER = os.environ.get("YIWANG_IDCARD_READER", SIMULATED_IDCARD_READER if DEBUG
                               else "yiwang.hall.idcard.NoIdCardReader")
if not DEBUG and IDCARD_READER == SIMULATED_IDCARD_READER:
    raise ImproperlyConfigured(
        "YIWANG_IDCARD_READER names the simulated card reader, which takes a typed ID number as "
        "a card; name the class of the halls' real reader, or leave it unset (no card reading).")
# Development stand-in for phones and mail boxes: /dev/outbox/ shows every SMS and e-mail, and
# verification codes keep their text. Off in production, where a delivered code is blanked.
DEV_OUTBOX_ENABLED = env_bool("YIWANG_DEV_OUTBOX", DEBUG)
NOTIFY_SMS_BACKEND = os.environ.get("YIWANG_SMS_BACKEND", "yiwang.notify.backends.ConsoleSmsBackend")
EMAIL_BACKEND = os.environ.get("YIWANG_EMAIL_BACKEND",
                               "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("YIWANG_FROM_EMAIL", "noreply@yiwang.invalid")


def _oidc_private_key() -> str:
    """The RS256 key that signs ID tokens. Production names a PEM file kept outside the repo;
    development makes one in var/ on first start."""
    configured = os.environ.get("YIWANG_OIDC_KEY_FILE")
    if configured:
        return Path(configured).read_text()
    if not DEBUG:
        raise ImproperlyConfigured("YIWANG_OIDC_KEY_FILE must name the OIDC signing key (PEM) "
                                   "when YIWANG_DEBUG is off.")
    path = ensure_rsa_key(VAR_DIR / "oidc-signing-key.pem")
    return path.read_text()


OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    # One issuer whatever Host a request came in on; production sets its public URL.
    "OIDC_ISS_ENDPOINT": os.environ.get("YIWANG_OIDC_ISSUER", ""),
    "OIDC_RSA_PRIVATE_KEY": _oidc_private_key(),
    "PKCE_REQUIRED": True,
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    "OIDC_RP_INITIATED_LOGOUT_ALWAYS_PROMPT": False,
    "OIDC_RP_INITIATED_LOGOUT_STRICT_REDIRECT_URIS": True,
    "OAUTH2_VALIDATOR_CLASS": "yiwang.accounts.oidc.ClaimsValidator",
    "SCOPES": {
        "openid": "登录身份（用户编号）",
        "profile": "姓名、实名等级和身份类型",
        "phone": "手机号码",
        "id_card": "居民身份证号",
        "company": "您可代表办理的企业（名称和统一社会信用代码）",
    },
    "DEFAULT_SCOPES": ["openid"],
    "ACCESS_TOKEN_EXPIRE_SECONDS": 3600,
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https", "http"] if DEBUG else ["https"],
    "APPLICATION_ADMIN_CLASS": "yiwang.accounts.oidc_admin.ApplicationAdmin",
    # RFC 9700 (OAuth 2.0 Security BCP), enforced rather than warned about: no implicit or
    # password grant, PKCE "S256" only, access tokens never from the query string, the `iss`
    # parameter in authorization responses (RFC 9207), access and refresh tokens stored only as
    # SHA-256 checksums (so no grace period for a lost refresh response: the client logs in
    # again). Refresh tokens rotate on every use; a used one coming back revokes its family.
    # Discovery names only what the endpoints accept (accounts.oidc.ClaimsValidator).
    "OIDC_RESPONSE_TYPES_SUPPORTED": ["code"],
    "OAUTH2_RESPONSE_TYPES_SUPPORTED": ["code"],
    "OAUTH2_GRANT_TYPES_SUPPORTED": ["authorization_code", "refresh_token"],
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "ROTATE_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "REFRESH_TOKEN_GRACE_PERIOD_SECONDS": 0,
    # The configuration gates make `check --deploy` fail (an error, not a warning) if one of
    # the settings above is loosened; development's http redirect URIs stay a warning.
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": not DEBUG,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_MATCHING": True,
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
}


def _seal_key_encryption_key() -> bytes:
    """The AES-256 key that encrypts the seals' SM2 private keys at rest: 32 bytes in base64
    (``openssl rand -base64 32``), kept outside the repo and the database."""
    configured = os.environ.get("YIWANG_SEAL_KEY")
    if configured:
        try:
            key = base64.b64decode(configured, validate=True)
        except binascii.Error:
            key = b""
        if len(key) != 32:
            raise ImproperlyConfigured("YIWANG_SEAL_KEY must be 32 bytes in base64 "
                                       "(openssl rand -base64 32).")
        return key
    if not DEBUG:
        raise ImproperlyConfigured("YIWANG_SEAL_KEY must hold the seal key-encryption key "
                                   "(32 bytes in base64) when YIWANG_DEBUG is off.")
    # Development and tests only: a fixed key derived from a public string, so a laptop's var/
    # database stays readable across restarts. It protects nothing.
    return hashlib.sha256(b"yiwang development seal key - never in production").digest()


SEAL_KEY_ENCRYPTION_KEY = _seal_key_encryption_key()
# 四性检测's virus scan: a dotted path to ``(path, content) -> threat name or None`` (archives.checks).
ARCHIVE_VIRUS_SCANNER = os.environ.get("YIWANG_ARCHIVE_VIRUS_SCANNER", "")

# The platform's own seal (平台存证专用章, kind "audit"), which signs the audit chain's
# checkpoints and archival packages unattended: its seal code (USCC + 2 digits). Empty: the one
# active seal of that kind (seals.services.platform_seal).
PLATFORM_SEAL_CODE = os.environ.get("YIWANG_PLATFORM_SEAL_CODE", "")
# A checkpoint of the audit chain is signed when this many records have been appended since the
# last one (audit.record queues it), or by the sweep (manage.py audit_checkpoint, from cron)
# when this many minutes have passed and the chain has grown.
AUDIT_CHECKPOINT_EVERY_RECORDS = int(os.environ.get("YIWANG_AUDIT_CHECKPOINT_RECORDS", "1000"))
AUDIT_CHECKPOINT_EVERY_MINUTES = int(os.environ.get("YIWANG_AUDIT_CHECKPOINT_MINUTES", "10"))


def _personal_data_keys() -> tuple[str, dict[str, bytes], list[bytes]]:
    """SM4 keys that encrypt ID numbers, mobile numbers and addresses at rest, and the separate
    SM3-HMAC key(s) of their blind index (docs/personal-data.md says how to make and rotate them).
    Returns (current key id, every SM4 key by id, index keys with the current one first)."""
    current = os.environ.get("YIWANG_PII_KEY", "")
    index = os.environ.get("YIWANG_PII_INDEX_KEY", "")
    if not (current and index):
        if not DEBUG:
            raise ImproperlyConfigured(
                "YIWANG_PII_KEY (id:base64 of 16 bytes) and YIWANG_PII_INDEX_KEY (base64 of 32 "
                "bytes) must be set when YIWANG_DEBUG is off.")
        # Development and tests only: fixed keys derived from public strings, so a laptop's
        # database stays readable across restarts. They protect nothing.
        dev = base64.b64encode(hashlib.sha256(b"yiwang development personal data key").digest()[:16])
        current = current or "dev:" + dev.decode()
        index = index or base64.b64encode(
            hashlib.sha256(b"yiwang development blind index key").digest()).decode()
    key_id, keys = parse_personal_data_keys(current, os.environ.get("YIWANG_PII_OLD_KEYS", ""))
    return key_id, keys, parse_index_keys(index, os.environ.get("YIWANG_PII_OLD_INDEX_KEYS", ""))


PERSONAL_DATA_KEY_ID, PERSONAL_DATA_KEYS, PERSONAL_DATA_INDEX_KEYS = _personal_data_keys()

TASKS = {
    "default": {
        "BACKEND": os.environ.get("YIWANG_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Search index (tantivy). The database stays the source of truth; the index can be rebuilt.
SEARCH_INDEX_DIR = Path(os.environ.get("YIWANG_SEARCH_INDEX_DIR", VAR_DIR / "search-index"))

# Backup sets (manage.py backup); keep them on another disk and copy them off-site.
BACKUP_DIR = Path(os.environ.get("YIWANG_BACKUP_DIR", VAR_DIR / "backups"))

# Catalogue imports larger than this are refused before parsing.
CATALOG_IMPORT_MAX_BYTES = int(os.environ.get("YIWANG_IMPORT_MAX_BYTES", str(50 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Security: strict defaults, loosened only in development.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("YIWANG_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("YIWANG_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Django 6 built-in CSP: no inline scripts; styles only from our own origin.
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("YIWANG_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Case handling (办件). Uploads above the limit are refused before they are read; a case turns
# yellow at this many working days left; a decision on commitment (承诺办理) is verified within
# this many working days.
CASE_MAX_UPLOAD_BYTES = int(os.environ.get("YIWANG_CASE_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
CASE_WARNING_WORKING_DAYS = int(os.environ.get("YIWANG_CASE_WARNING_DAYS", "2"))
CASE_COMMITMENT_VERIFY_DAYS = int(os.environ.get("YIWANG_CASE_COMMITMENT_VERIFY_DAYS", "20"))
# Public progress query (办件进度查询): per client address.
CASE_PROGRESS_QUERIES_PER_MINUTE = int(os.environ.get("YIWANG_PROGRESS_QUERIES_PER_MINUTE", "10"))

# 排队叫号: the age from which an ID number's birth date puts a ticket in the elderly priority
# group (适老化), and how long an ordinary ticket waits before it is called like a priority one.
HALL_ELDERLY_AGE = int(os.environ.get("YIWANG_HALL_ELDERLY_AGE", "65"))
HALL_AGEING_MINUTES = int(os.environ.get("YIWANG_HALL_AGEING_MINUTES", "30"))
# 自助终端: seconds without a touch before the kiosk signs the person out and clears the screen.
HALL_KIOSK_IDLE_SECONDS = int(os.environ.get("YIWANG_KIOSK_IDLE_SECONDS", "60"))
# 评价器: minutes after a ticket is finished at a window during which the window's pad offers it.
HALL_PAD_OFFER_MINUTES = int(os.environ.get("YIWANG_HALL_PAD_OFFER_MINUTES", "10"))
