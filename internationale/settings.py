"""The one settings file of Internationale, read strictly from the environment.

Every setting is listed, with its default and meaning, in `.env.example`.
"""

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from internationale.core.env import (
    SettingError,
    env_bool,
    env_int,
    env_list,
    env_secret,
    env_str,
)
from internationale.relay.machine_translation import translator_from_setting

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("INTERNATIONALE_DATA_DIR", str(BASE_DIR.parent / "var"))).resolve()

DEBUG = env_bool("INTERNATIONALE_DEBUG", False)
TESTING = env_bool("INTERNATIONALE_TESTING", False)
_secret_key = env_secret("INTERNATIONALE_SECRET_KEY")
if not _secret_key:
    if not (DEBUG or TESTING):
        raise SettingError(
            "INTERNATIONALE_SECRET_KEY (or INTERNATIONALE_SECRET_KEY_FILE) must be set"
        )
    _secret_key = "insecure-key-for-development-and-tests-only-" + "x" * 20
SECRET_KEY = _secret_key

ALLOWED_HOSTS = env_list("INTERNATIONALE_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("INTERNATIONALE_CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("INTERNATIONALE_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "internationale.core",
    "internationale.network",
    "internationale.treasury",
    "internationale.relay",
    "internationale.archive",
    "internationale.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "internationale.core.middleware.ReaderPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "internationale.urls"
WSGI_APPLICATION = "internationale.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "internationale.core.context_processors.reader",
            ],
        },
    }
]

# Storage. SQLite in write-ahead-log mode needs no server; PostgreSQL through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        env_secret("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'internationale.sqlite3'}",
        conn_max_age=env_int("INTERNATIONALE_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock when a transaction starts, so two writers queue
        # instead of failing half-way with "database is locked".
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "network.Member"
AUTHENTICATION_BACKENDS = ["internationale.network.auth.DisplayNameBackend"]
LOGIN_URL = "network:login"
LOGIN_REDIRECT_URL = "network:home"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
if TESTING:
    # Argon2 is deliberately slow; tests hash hundreds of passwords.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_MAX_FAILURES = env_int("INTERNATIONALE_LOGIN_MAX_FAILURES", 5, minimum=1)
LOGIN_LOCK_MINUTES = env_int("INTERNATIONALE_LOGIN_LOCK_MINUTES", 15, minimum=1)
INVITATION_DAYS = env_int("INTERNATIONALE_INVITATION_DAYS", 7, minimum=1)

# Sessions end after this long without a request.
SESSION_COOKIE_AGE = env_int("INTERNATIONALE_SESSION_IDLE_MINUTES", 120, minimum=5) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Transport security. Off only where TLS is not used at all: the demo on 127.0.0.1, or an
# onion service, whose transport is already encrypted end to end.
HTTPS = env_bool("INTERNATIONALE_HTTPS", not (DEBUG or TESTING))
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = False
if env_bool("INTERNATIONALE_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = (
    "same-origin"  # "no-referrer" makes browsers send Origin: null, which CSRF refuses
)
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# auth.W004: display names are unique ignoring case (a functional constraint this check cannot
# see). security.W021: submitting a domain to the browsers' HSTS preload list binds every
# subdomain of it for good, so it is the operator's decision, not a default.
SILENCED_SYSTEM_CHECKS = ["auth.W004", "security.W021"]
if not HTTPS:
    SILENCED_SYSTEM_CHECKS += ["security.W004", "security.W008", "security.W012", "security.W016"]

# Content-Security-Policy: this site only, no inline script or style, nothing framed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        # blob: lets the recorder play back what was just recorded, before it is sent.
        "media-src": ["'self'", "blob:"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# Languages of the interface; the reader's choice is remembered on the account and in a cookie.
LANGUAGE_CODE = env_str("INTERNATIONALE_LANGUAGE", "en")
LANGUAGES = [
    ("en", _("English")),
    ("pt", _("Portuguese")),
    ("es", _("Spanish")),
    ("fr", _("French")),
    ("tr", _("Turkish")),
    ("ar", _("Arabic")),
]
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise SettingError(f"INTERNATIONALE_LANGUAGE must be one of {', '.join(dict(LANGUAGES))}")
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = HTTPS
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("INTERNATIONALE_TIME_ZONE", "UTC")

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": DATA_DIR / "media"},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING

# The relay. Uploads go to temporary files (never held in memory) and are deleted as soon as
# they are made safe; a report lasts at most ten minutes.
FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.TemporaryFileUploadHandler"]
RELAY_MAX_SECONDS = 600
RELAY_MAX_UPLOAD_BYTES = env_int("INTERNATIONALE_RELAY_MAX_UPLOAD_MB", 200, minimum=1) * 1024 * 1024
# A faster-whisper model directory (`internationale relay install-model` makes one); empty:
# transcripts are written by people only.
WHISPER_MODEL = env_str("INTERNATIONALE_WHISPER_MODEL", "")
# Machine drafts of translations: "" (none), "apertium", "argos" or
# "libretranslate:https://host/path"; checked here so a mistyped value stops the start.
MACHINE_TRANSLATION = env_str("INTERNATIONALE_MACHINE_TRANSLATION", "")
MACHINE_TRANSLATION_API_KEY = env_secret("INTERNATIONALE_MACHINE_TRANSLATION_API_KEY") or ""
MACHINE_TRANSLATION_VIA = env_str("INTERNATIONALE_MACHINE_TRANSLATION_VIA", "")
try:
    translator_from_setting(
        MACHINE_TRANSLATION, api_key=MACHINE_TRANSLATION_API_KEY, via=MACHINE_TRANSLATION_VIA
    )
except ValueError as _error:
    raise SettingError(f"INTERNATIONALE_MACHINE_TRANSLATION: {_error}") from None

# E-mail, used only to tell members who gave an address that something waits for them (a
# circle on duty). Without a host, nothing is sent and members are told in the app only.
EMAIL_HOST = env_str("INTERNATIONALE_EMAIL_HOST", "")
EMAIL_PORT = env_int("INTERNATIONALE_EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env_str("INTERNATIONALE_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_secret("INTERNATIONALE_EMAIL_PASSWORD") or ""
EMAIL_USE_TLS = env_bool("INTERNATIONALE_EMAIL_TLS", True)
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = env_str("INTERNATIONALE_EMAIL_FROM", "internationale@localhost")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.dummy.EmailBackend"
)

# Background work: Django's Tasks API, stored in the database, run by `internationale worker`.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else "django_tasks_db.DatabaseBackend"
        )
    }
}

# Logs carry no IP address and no content: levels, paths of errors, and what failed.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"no_addresses": {"()": "internationale.core.logs.RedactAddresses"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["no_addresses"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("INTERNATIONALE_LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's request logger attaches the request (and so the client's address) to
        # records; keep only warnings about the server itself.
        "django.request": {"level": "ERROR"},
        "django.security.DisallowedHost": {"handlers": [], "propagate": False},
    },
}
