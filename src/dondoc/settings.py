"""Django settings for dondoc, read from the environment (see config.py and the README)."""

from __future__ import annotations

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from dondoc import config
from dondoc.config import env, env_bool, env_int
from dondoc.parsing import env as _parsing_env

BASE_DIR = config.PACKAGE_DIR
DATA_DIR = config.data_dir()
PRODUCTION = config.production()

if PRODUCTION:
    SECRET_KEY = env("DONDOC_SECRET_KEY")
    if not SECRET_KEY:
        raise ImproperlyConfigured(
            "DONDOC_PRODUCTION=1 requires DONDOC_SECRET_KEY (a long random string, e.g. "
            "`python3 -c 'import secrets; print(secrets.token_urlsafe(50))'`)."
        )
else:
    # Demo mode on a laptop: a fixed key is acceptable, production refuses to start without its own.
    SECRET_KEY = env("DONDOC_SECRET_KEY", config.DEMO_SECRET_KEY)

# Demo clock: the day the application takes as today (see core/clock.py).
_today = env("DONDOC_TODAY")
if _today and PRODUCTION:
    raise ImproperlyConfigured("DONDOC_TODAY (the demo clock) is refused in production mode.")
try:
    import datetime as _dt

    DEMO_TODAY = _dt.date.fromisoformat(_today) if _today else None
except ValueError:
    raise ImproperlyConfigured(f"DONDOC_TODAY must be a date YYYY-MM-DD, got {_today!r}.")

DEBUG = env_bool("DONDOC_DEBUG", False) and not PRODUCTION

ALLOWED_HOSTS = [h.strip() for h in (env("DONDOC_ALLOWED_HOSTS") or "").split(",") if h.strip()]
if not ALLOWED_HOSTS:
    if PRODUCTION:
        raise ImproperlyConfigured("DONDOC_PRODUCTION=1 requires DONDOC_ALLOWED_HOSTS (comma-separated host names).")
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in (env("DONDOC_CSRF_TRUSTED_ORIGINS") or "").split(",") if o.strip()]

# The status cache's covering index (INCLUDE) serves PostgreSQL; SQLite keeps the key columns, which is enough there.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

INSTALLED_APPS = [
    "dondoc.core",
    "dondoc.accounts",
    "dondoc.orgs",
    "dondoc.audit",
    "dondoc.plans",
    "dondoc.tracking",
    "dondoc.dashboard",
    "dondoc.notify",
    "dondoc.reports",
    "dondoc.targets",
    "dondoc.api",
    "dondoc.web",
    "dondoc.demo",
    "dondoc.core.apps.DondocAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks",
    "dondoc.core.apps.TasksDatabaseConfig",  # django_tasks_db, named in Vietnamese
    "ninja",
    "django_otp",
    "django_otp.plugins.otp_totp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "dondoc.core.headers.SecurityHeadersMiddleware",  # CSP, Permissions-Policy (core/headers.py)
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "dondoc.core.middleware.InputGuardMiddleware",  # NUL bytes, lone surrogates, ids past bigint: never a 500
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "dondoc.tracking.middleware.StatusVersionMiddleware",  # a page read reads the status version once
]

ROOT_URLCONF = "dondoc.urls"
WSGI_APPLICATION = "dondoc.wsgi.application"

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
                "dondoc.web.context_processors.navigation",
            ],
        },
    }
]

# Database: SQLite under the data directory by default; DATABASE_URL=postgres://... for PostgreSQL.
_default_db = f"sqlite:///{DATA_DIR / 'dondoc.sqlite3'}"
# Persistent connections: opening a PostgreSQL connection per request costs more than most pages.
DATABASES = {"default": dj_database_url.parse(env("DATABASE_URL", _default_db), conn_max_age=env_int("DONDOC_DB_CONN_MAX_AGE", 60),
                                              conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web server and the worker read while one of them writes.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"].setdefault("TEST", {})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["dondoc.accounts.backends.DondocBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lockout: failed logins are counted in the database, so the limit holds across app servers.
# Days after a hand-over (issue 18) before a successor counts late on work that was already late or due sooner.
HANDOVER_GRACE_DAYS = env_int("DONDOC_HANDOVER_GRACE_DAYS", 0)
LOCKOUT_THRESHOLD = env_int("DONDOC_LOCKOUT_THRESHOLD", 5)
LOCKOUT_MINUTES = env_int("DONDOC_LOCKOUT_MINUTES", 15)

# Two-factor sign-in (accounts/two_factor.py): required for these roles, optional for the others.
TWO_FACTOR_ROLES = tuple(r.strip() for r in (env("DONDOC_2FA_ROLES", "admin,coordinator") or "").split(",") if r.strip())
if set(TWO_FACTOR_ROLES) - {"admin", "leader", "coordinator", "head", "focal", "viewer"}:
    raise ImproperlyConfigured(f"DONDOC_2FA_ROLES: unknown role in {TWO_FACTOR_ROLES!r} (use admin, leader, coordinator, "
                               "head, focal, viewer, comma-separated).")
OTP_TOTP_ISSUER = "dondoc"
OTP_TOTP_THROTTLE_FACTOR = 0  # wrong codes count against the lockout above, across app servers

SESSION_ENGINE = "dondoc.accounts.sessions"  # the database backend, its read compiled once
SESSION_COOKIE_AGE = env_int("DONDOC_SESSION_HOURS", 8) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "dondoc.web.views.csrf_failure"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Production serves collected files; demo mode serves straight from the packages (WHITENOISE_USE_FINDERS).
STATIC_ROOT = DATA_DIR / "static" if PRODUCTION else None
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(DATA_DIR / "media")}},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MAX_UPLOAD_MB = env_int("DONDOC_MAX_UPLOAD_MB", 50)
# The parser reads its own variables when it parses (parsing/env.py); a meaningless one is refused here, at start.
_parsing_env.check()
# Evidence attached to a progress update (tracking/files.py): per file, per request, and what a zip may inflate to.
EVIDENCE_MAX_MB = env_int("DONDOC_EVIDENCE_MAX_MB", 20)
EVIDENCE_MAX_FILES = env_int("DONDOC_EVIDENCE_MAX_FILES", 10)
EVIDENCE_MAX_REQUEST_MB = env_int("DONDOC_EVIDENCE_MAX_REQUEST_MB", 50)
EVIDENCE_MAX_UNZIPPED_MB = env_int("DONDOC_EVIDENCE_MAX_UNZIPPED_MB", 200)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A background job (plan import) whose worker has not shown a heartbeat for this long is taken as dead: the
# worker's scheduler retries it once, then marks it failed (plans/jobs.py).
JOB_STALE_SECONDS = env_int("DONDOC_JOB_STALE_SECONDS", 300)

EMAIL_HOST = env("DONDOC_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DONDOC_EMAIL_PORT", 25)
EMAIL_HOST_USER = env("DONDOC_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env("DONDOC_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DONDOC_EMAIL_TLS", False)
EMAIL_TIMEOUT = env_int("DONDOC_EMAIL_TIMEOUT", 30)
DONDOC_BASE_URL = env("DONDOC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")  # links in e-mails and calendar feeds
DONDOC_REMINDER_SWEEP_MINUTES = env_int("DONDOC_REMINDER_SWEEP_MINUTES", 10)
DONDOC_SMTP_CONNECTIONS = env_int("DONDOC_SMTP_CONNECTIONS", 4)
# Seconds a webhook's receiver has to answer a POST, connection included (notify/webhooks.py): a slow one fails the try.
WEBHOOK_TIMEOUT = env_int("DONDOC_WEBHOOK_TIMEOUT", 5)
if not 1 <= WEBHOOK_TIMEOUT <= 60:
    raise ImproperlyConfigured(f"DONDOC_WEBHOOK_TIMEOUT must be between 1 and 60 seconds, got {WEBHOOK_TIMEOUT}.")
# Working days after a period's data cut-off by which agencies, then the coordinator, report (reports/deadlines.py).
REPORT_WORKING_DAYS = env_int("DONDOC_REPORT_WORKING_DAYS", 1)
REPORT_COORDINATOR_WORKING_DAYS = env_int("DONDOC_COORDINATOR_REPORT_WORKING_DAYS", 4)
# Behind a reverse proxy: audit the client's address from X-Forwarded-For (audit/recorder.py).
TRUST_X_FORWARDED_FOR = env_bool("DONDOC_TRUST_X_FORWARDED_FOR", False)
DEFAULT_FROM_EMAIL = env("DONDOC_EMAIL_FROM", "dondoc <dondoc@localhost>")
# A laptop without a mail server (`make run`): every e-mail is written as a .eml file to <data dir>/mail/ instead of
# sent (core/mail.py), and the page "Thư đã ghi" lists them. Production sends over SMTP and refuses it.
EMAIL_FOLDER = DATA_DIR / "mail" if env_bool("DONDOC_EMAIL_FOLDER", False) else None
if EMAIL_FOLDER is not None:
    if PRODUCTION:
        raise ImproperlyConfigured("DONDOC_EMAIL_FOLDER (e-mail written to a folder, never sent) is refused in production "
                                   "mode: set DONDOC_EMAIL_HOST and the other DONDOC_EMAIL_* variables.")
    EMAIL_BACKEND = "dondoc.core.mail.FolderBackend"
    EMAIL_FILE_PATH = EMAIL_FOLDER

# Django's deployment checklist, on in production mode (`dondoc check --deploy`).
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("DONDOC_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("DONDOC_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DONDOC_HSTS_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DONDOC_HSTS_PRELOAD", True)
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"  # in demo mode too: no address of a page leaves for another site

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DONDOC_LOG_LEVEL", "WARNING")},
}
