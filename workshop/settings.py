"""Settings for the dialogue workshop app. Every value comes from the environment.

See README.md ("Configuration") for the variables. Without any of them the app
runs on a SQLite file with background jobs run in-process, in DEBUG mode.
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from workshop.env import (
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_str,
    parse_cache_url,
    parse_database_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off "
            "(generate one with: python -c 'import secrets; "
            "print(secrets.token_urlsafe(50))')."
        )
    # Only for local development: a fixed, obviously-insecure key.
    SECRET_KEY = "django-insecure-local-development-only-key"  # noqa: S105

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "dialogue",
]

MIDDLEWARE = [
    "workshop.middleware.ContentSecurityPolicyMiddleware",
    "workshop.middleware.HealthCheckMiddleware",
    "workshop.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "workshop.middleware.TimeZoneMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "workshop.urls"
WSGI_APPLICATION = "workshop.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            # People's display names and times with their zone, on every page
            # without a {% load %} (dialogue.naming, dialogue.times).
            "builtins": ["dialogue.templatetags.dialogue_display"],
        },
    },
]

DATABASES = {
    "default": parse_database_url(
        env_str("DATABASE_URL", "sqlite:///db.sqlite3"), base_dir=BASE_DIR
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


# The cache holds sessions (read on every request without a query) and the
# sign-in throttle. Without CACHE_URL it is per process, which is right for
# `make run`; with several processes, point CACHE_URL at Redis. While Redis
# is away the cache is empty, not an error (workshop/cache.py): sessions are
# read from the database, which keeps them all.
CACHES = {"default": parse_cache_url(env_str("CACHE_URL"))}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Invitations: links are built on SITE_URL and expire after this many days.
SITE_URL = (env_str("SITE_URL") or "http://127.0.0.1:8000").rstrip("/")
INVITATION_DAYS = env_int("INVITATION_DAYS", 14, minimum=1)
# Sign-in throttle: this many failures per username (or 4x per address)
# within the window lock further attempts until the window has passed.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_FAILURE_WINDOW = env_int("LOGIN_FAILURE_WINDOW", 900, minimum=1)
# How many reverse proxies that append to X-Forwarded-For stand in front of
# the app (0: use the connection's address).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# Delegates may edit their own comment for this many seconds.
COMMENT_EDIT_SECONDS = env_int("COMMENT_EDIT_SECONDS", 900, minimum=0)
COMMENT_MAX_LENGTH = 10_000
# How often live pages ask for changes, in seconds.
LIVE_POLL_SECONDS = env_int("LIVE_POLL_SECONDS", 3, minimum=1)
# Keep the rows live tags are built from in the cache (dialogue.live): only
# where every process shares it, so on by default with a Redis CACHE_URL.
LIVE_TAG_CACHE = env_bool(
    "LIVE_TAG_CACHE",
    CACHES["default"]["BACKEND"] != "django.core.cache.backends.locmem.LocMemCache",
)
# Summaries: a compiling worker shows a sign of life every HEARTBEAT seconds;
# STALE seconds after its last one it is taken to have stopped and the sweep
# sends its report again; a sent report no worker took within START_GRACE is
# taken to be lost; Celery beat runs the sweep every SWEEP seconds.
SUMMARY_HEARTBEAT_SECONDS = env_int("SUMMARY_HEARTBEAT_SECONDS", 5, minimum=1)
SUMMARY_STALE_SECONDS = env_int(
    "SUMMARY_STALE_SECONDS", 30, minimum=3 * SUMMARY_HEARTBEAT_SECONDS
)
SUMMARY_START_GRACE_SECONDS = env_int("SUMMARY_START_GRACE_SECONDS", 120, minimum=10)
SUMMARY_SWEEP_SECONDS = env_int("SUMMARY_SWEEP_SECONDS", 30, minimum=1)

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Languages: the interface speaks English and Simplified Chinese.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The language cookie (set by /accounts/language/ and /i18n/setlang/) goes
# with first-party requests only, over HTTPS only when DEBUG is off. No
# script reads it, so scripts may not.
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = not DEBUG
USE_I18N = True
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Uploaded workshop files are validated against this limit too.
WORKSHOP_FILE_MAX_BYTES = env_int("WORKSHOP_FILE_MAX_BYTES", 2 * 1024 * 1024, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = WORKSHOP_FILE_MAX_BYTES + 64 * 1024

# Security. With DEBUG off, HTTPS is assumed (a proxy terminates TLS and sets
# X-Forwarded-Proto); set SECURE_SSL_REDIRECT=0 only behind a proxy that
# already redirects.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# Content Security Policy, sent on every response by
# workshop.middleware.ContentSecurityPolicyMiddleware. No inline scripts or
# styles anywhere: htmx and the app's own scripts are vendored in static/.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)

# Celery. Without CELERY_BROKER_URL, tasks run in-process (eagerly) so the
# app works on a bare machine; with it, a real worker runs them.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or None
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL is None
CELERY_TASK_EAGER_PROPAGATES = True
if CELERY_BROKER_URL is None:
    CELERY_BROKER_URL = "memory://"
# Without a broker, a summary compiles in a background thread after the
# request ("thread"), or inside the request ("inline").
SUMMARY_IN_PROCESS = env_choice("SUMMARY_IN_PROCESS", "thread", ("thread", "inline"))
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# One visibility timeout, used by the broker and by the tasks' own limits.
CELERY_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 3600, minimum=60)
# A broker that is down, or frozen with its connections open, costs a
# publish (a summary request) seconds, not a hung request: each connection
# attempt and each command gives up after these timeouts (longer than the
# worker's one-second BRPOP wait for work, as kombu needs).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    "socket_connect_timeout": 2,
    "socket_timeout": 3,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_TIME_LIMIT = CELERY_VISIBILITY_TIMEOUT - 30

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
