"""Settings, read from the environment (12-factor). Every variable is documented in docs/settings.md."""

import ipaddress
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

from cco.broker import filesystem_transport_options

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)  # SQLite files, the embedded broker and logs: a fresh clone has no var/ yet

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# A secret is required outside debug; the fallback is for local development only.
SECRET_KEY = env.str("SECRET_KEY") if not DEBUG else env.str("SECRET_KEY", default="dev-only-insecure-key")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "review.apps.CCOAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "import_export",
    "axes",
    # The project's apps, floor by floor, lowest first (docs/architecture.md).
    "core",
    "org",
    "customers",
    "roadmap",
    "accountability",
    "integrations",
    "review",
    "demo",
]

MIDDLEWARE = [
    # First: the request id is bound for every later log line, and every answer is counted and timed.
    "core.request_id.RequestIdMiddleware",
    "core.metrics.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Health probes and /metrics answer here, before the host check and the HTTPS redirect: a probe
    # comes by IP over plain HTTP from inside the network (core/probes.py, docs/operations.md).
    "core.probes.ProbeMiddleware",
    # Before anything reads a body: an oversized API request is a JSON 413 (core/body_limit.py).
    "core.body_limit.ApiBodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Authenticated API answers are never stored by browsers or proxies (core/headers.py).
    "core.headers.ApiNoStoreMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that it turns a login refused for a lockout into the lockout answer (core/lockout.py).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cco.urls"
WSGI_APPLICATION = "cco.wsgi.application"

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
                "review.context_processors.notifications",
            ],
        },
    },
]

# Database: an SQLite file by default, PostgreSQL (psycopg 3) through DATABASE_URL.
# An empty DATABASE_URL counts as unset.
_database_url = env.str("DATABASE_URL", default="") or f"sqlite:///{VAR_DIR / 'cco.sqlite3'}"
DATABASES = {"default": env.db_url_config(_database_url)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat write at once: WAL lets readers go on during a write, the busy
    # timeout makes a writer wait instead of failing, and IMMEDIATE takes the write lock at
    # BEGIN so that two transactions never deadlock upgrading a read lock.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": env.int("SQLITE_BUSY_TIMEOUT", default=30),
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # A file, not memory, so that worker processes started by the tests see the test data.
    DATABASES["default"]["TEST"] = {"NAME": env.str("SQLITE_TEST_NAME", default=str(VAR_DIR / "test-cco.sqlite3"))}
    # No CONN_MAX_AGE: SQLite serves runserver, a thread per request, where a kept connection is never
    # used again; production runs PostgreSQL (docs/settings.md).
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Login lockouts (django-axes, docs/security.md): the admin login and the API token endpoint both
# go through authenticate(), where axes refuses an account or a client address that failed
# LOGIN_FAILURE_LIMIT times, until LOGIN_COOLOFF_MINUTES after the last failure. Attempts are
# kept in the database, so they hold across web processes and do not depend on the cache.
AUTHENTICATION_BACKENDS = ["core.auth_backends.LockoutBackend", "django.contrib.auth.backends.ModelBackend"]
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_COOLOFF_MINUTES = env.int("LOGIN_COOLOFF_MINUTES", default=15)
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]  # either one failing too often locks, each on its own
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "core.client_ip.client_ip"

# Single sign-on through an OpenID Connect provider, beside passwords (docs/calendar-and-sso.md).
# Off unless the client id and secret and the provider's four endpoints are all set (org.E001
# when only some are); the names are mozilla-django-oidc's, which reads them.
OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_OP_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_OP_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env.str("OIDC_OP_USER_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_OP_JWKS_ENDPOINT", default="")
OIDC_RP_SIGN_ALGO = env.str("OIDC_RP_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = env.str("OIDC_RP_SCOPES", default="openid email profile")
OIDC_PROVIDER_NAME = env.str("OIDC_PROVIDER_NAME", default="single sign-on")
OIDC_TIMEOUT = env.int("OIDC_TIMEOUT", default=10)
OIDC_USE_PKCE = True
OIDC_ENABLED = all(
    [
        OIDC_RP_CLIENT_ID,
        OIDC_RP_CLIENT_SECRET,
        OIDC_OP_AUTHORIZATION_ENDPOINT,
        OIDC_OP_TOKEN_ENDPOINT,
        OIDC_OP_USER_ENDPOINT,
        OIDC_OP_JWKS_ENDPOINT,
    ]
)
LOGIN_REDIRECT_URL = "/admin/"
LOGIN_REDIRECT_URL_FAILURE = "/admin/login/?sso=refused"
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS = [*AUTHENTICATION_BACKENDS, "org.sso_backend.SsoBackend"]
AXES_VERBOSE = False  # lockouts still show as 429 warnings; not every login at INFO
AXES_LOCKOUT_CALLABLE = "core.lockout.lockout_response"
# How many reverse proxies in front of the web server append to X-Forwarded-For. 0: the header
# is ignored and the client is the connection's peer; set it to the real count behind a proxy.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
# One date format everywhere (ISO), also in the admin: see cco/formats/en_GB/formats.py.
FORMAT_MODULE_PATH = ["cco.formats"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/London")
USE_I18N = True
USE_TZ = True
# ISO 4217 code of the money on the review pages and exports (£ for GBP, € for EUR, $ for USD).
CCO_CURRENCY = env.str("CCO_CURRENCY", default="GBP")

STATIC_URL = "static/"
STATIC_ROOT = env.str("STATIC_ROOT", default=str(VAR_DIR / "static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Email through Django's mail framework: console by default, SMTP by EMAIL_URL.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
# A dotted backend path overrides EMAIL_URL's (the crash tests use a slow file backend).
EMAIL_CONFIG["EMAIL_BACKEND"] = env.str("EMAIL_BACKEND", default=EMAIL_CONFIG["EMAIL_BACKEND"])
vars().update(EMAIL_CONFIG)
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="CCO tracker <cco-tracker@localhost>")

# Celery: Redis in production and CI; an embedded filesystem broker (no server) by default.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=env.str("REDIS_URL", default="filesystem://"))
CELERY_BROKER_TRANSPORT_OPTIONS: dict = {
    # A message whose worker died is delivered again after this many seconds (Redis).
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    # A publisher that cannot connect gives up at once instead of retrying for seconds (kombu
    # applies this to every lazy connect). A worker's consumer is not bound by it: it passes
    # CELERY_BROKER_CONNECTION_MAX_RETRIES (None: forever) to its own reconnection loop.
    "max_retries": 0,
    # How often a worker looks for such messages (kombu's defaults: every 10 s, a scan every 10th time).
    "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_INTERVAL", default=10),
    "unacked_restore_throttle": env.int("CELERY_UNACKED_RESTORE_THROTTLE", default=10),
    # Enqueueing must not hang a request when Redis is down: fail fast (a refused connection
    # in milliseconds, a hung server in 1.5 s), the database knows what is stale and a sweep
    # catches up. socket_timeout stays above the worker's 1 s BRPOP timeout. (Redis options;
    # the filesystem transport ignores them.)
    "socket_connect_timeout": 1,
    "socket_timeout": 1.5,
}
_broker_dir = Path(env.str("CELERY_FILESYSTEM_DIR", default=str(VAR_DIR / "broker")))
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS.update(filesystem_transport_options(_broker_dir))
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
CELERY_TIMEZONE = "UTC"
CELERY_ENABLE_UTC = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# The beat schedule is declared in code, in UTC, as coarse sweeps that are safe to run twice:
# what CCO staff decide (the nightly hour, when periods close) is read by the sweeps from the
# database. SCORECARD_SWEEP_SECONDS > 0 replaces every schedule by that interval (tests, demos).
SCORECARD_SWEEP_SECONDS = env.float("SCORECARD_SWEEP_SECONDS", default=0)
# The first change after a quiet spell is recomputed at once; in a burst of changes, sweeps
# start at most once per this many seconds (the edits in between coalesce) ...
SCORECARD_RECOMPUTE_DELAY = env.float("SCORECARD_RECOMPUTE_DELAY", default=2)
# ... and no second message is sent for a pending request within this many seconds.
SCORECARD_ENQUEUE_WINDOW = env.float("SCORECARD_ENQUEUE_WINDOW", default=60)
SCORECARD_SWEEP_BATCH = env.int("SCORECARD_SWEEP_BATCH", default=50)


def _every(default: crontab, expires: float) -> dict:
    return {"schedule": SCORECARD_SWEEP_SECONDS or default, "options": {"expires": SCORECARD_SWEEP_SECONDS or expires}}


CELERY_BEAT_SCHEDULE: dict = {
    "scorecards-recompute-requests": {
        "task": "accountability.scorecards_sweep_recompute_requests",
        **_every(crontab(), expires=50),
    },
    "scorecards-nightly-recompute": {
        "task": "accountability.scorecards_nightly_recompute",
        **_every(crontab(minute=5), expires=3000),
    },
    "scorecards-close-periods": {
        "task": "accountability.scorecards_close_periods",
        **_every(crontab(minute=10), expires=3000),
    },
}

# Reminders (docs/reminders.md): the sweeps run every REMINDERS_SWEEP_SECONDS and find what is
# due on each recipient's own date; `expires` drops a sweep that waited longer than its period.
REMINDERS_SWEEP_SECONDS = env.float("REMINDERS_SWEEP_SECONDS", default=900)
# A message claimed by a worker that died is sent again after this lease; keep it at or below the
# visibility timeout and above the longest single send (EMAIL_TIMEOUT).
REMINDERS_LEASE_SECONDS = env.int("REMINDERS_LEASE_SECONDS", default=900)
REMINDERS_MAX_ATTEMPTS = env.int("REMINDERS_MAX_ATTEMPTS", default=8)
REMINDERS_RETRY_BACKOFF_SECONDS = env.float("REMINDERS_RETRY_BACKOFF_SECONDS", default=30)
REMINDERS_RETRY_BACKOFF_MAX_SECONDS = env.float("REMINDERS_RETRY_BACKOFF_MAX_SECONDS", default=1800)
REMINDERS_BATCH_SOFT_TIME_LIMIT = env.int("REMINDERS_BATCH_SOFT_TIME_LIMIT", default=600)
# Where a batch notes each message the mail server accepted (accountability/reminders/journal.py):
# the message's own row by default, which survives a Redis restart; redis:// or file:/// to save
# that write (docs/adr/0007-sent-journal-in-the-database.md).
REMINDERS_JOURNAL_URL = env.str("REMINDERS_JOURNAL_URL", default="database://")
CELERY_BEAT_SCHEDULE.update(
    {
        "reminders-fanout": {
            "task": "accountability.reminders_fanout",
            "schedule": REMINDERS_SWEEP_SECONDS,
            "options": {"expires": REMINDERS_SWEEP_SECONDS},
        },
        "digests-fanout": {
            "task": "accountability.digests_fanout",
            "schedule": REMINDERS_SWEEP_SECONDS,
            "options": {"expires": REMINDERS_SWEEP_SECONDS},
        },
        # Task forces that faded last month (docs/domain.md): hourly is plenty, a month is judged once over.
        "fade-alerts-fanout": {
            "task": "accountability.fade_alerts_fanout",
            **_every(crontab(minute=20), expires=3000),
        },
    }
)

# Chat notifications (docs/chat.md): every message also goes to the chat channels it concerns.
CHAT_SWEEP_SECONDS = env.float("CHAT_SWEEP_SECONDS", default=60)
CHAT_LOOKBACK_HOURS = env.int("CHAT_LOOKBACK_HOURS", default=48)
CHAT_BATCH_SIZE = env.int("CHAT_BATCH_SIZE", default=50)
CHAT_MAX_ATTEMPTS = env.int("CHAT_MAX_ATTEMPTS", default=6)
CHAT_RETRY_BACKOFF_SECONDS = env.float("CHAT_RETRY_BACKOFF_SECONDS", default=30)
CHAT_RETRY_BACKOFF_MAX_SECONDS = env.float("CHAT_RETRY_BACKOFF_MAX_SECONDS", default=1800)
CHAT_BATCH_SOFT_TIME_LIMIT = env.int("CHAT_BATCH_SOFT_TIME_LIMIT", default=300)
# Outgoing webhooks (docs/webhooks.md).
WEBHOOKS_SWEEP_SECONDS = env.float("WEBHOOKS_SWEEP_SECONDS", default=30)
WEBHOOKS_TIMEOUT = env.float("WEBHOOKS_TIMEOUT", default=10)
WEBHOOKS_LEASE_SECONDS = env.int("WEBHOOKS_LEASE_SECONDS", default=600)
WEBHOOKS_BATCH_SOFT_TIME_LIMIT = env.int("WEBHOOKS_BATCH_SOFT_TIME_LIMIT", default=300)
WEBHOOKS_RETRY_BACKOFF_SECONDS = env.float("WEBHOOKS_RETRY_BACKOFF_SECONDS", default=30)
WEBHOOKS_RETRY_BACKOFF_MAX_SECONDS = env.float("WEBHOOKS_RETRY_BACKOFF_MAX_SECONDS", default=3600)
WEBHOOKS_RETRY_FOR_SECONDS = env.int("WEBHOOKS_RETRY_FOR_SECONDS", default=86400)
CELERY_BEAT_SCHEDULE.update(
    {
        "chat-fanout": {
            "task": "integrations.chat_fanout",
            "schedule": CHAT_SWEEP_SECONDS,
            "options": {"expires": CHAT_SWEEP_SECONDS},
        },
        "webhooks-sweep": {
            "task": "integrations.webhooks_sweep",
            "schedule": WEBHOOKS_SWEEP_SECONDS,
            "options": {"expires": WEBHOOKS_SWEEP_SECONDS},
        },
    }
)
CELERY_BEAT_SCHEDULE_FILENAME = env.str("CELERY_BEAT_SCHEDULE_FILENAME", default=str(VAR_DIR / "celerybeat-schedule"))

REST_FRAMEWORK = {
    # Token first, so that an anonymous request gets 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "org.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["org.permissions.SignedIn"],  # no role, no model permission: 403
    "DEFAULT_FILTER_BACKENDS": [
        "core.api_filters.FilterBackend",
        "rest_framework.filters.OrderingFilter",
        "core.api.SearchFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.api_exception_handler",
    # Throttles key on the client address as the trusted proxies report it (core/client_ip.py).
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    # Scoped throttles (per user, or per IP when anonymous) on token login and bulk feeds.
    "DEFAULT_THROTTLE_RATES": {
        "auth": env.str("API_THROTTLE_AUTH", default="10/min"),
        "bulk": env.str("API_THROTTLE_BULK", default="30/min"),
    },
}
API_BULK_MAX_ROWS = env.int("API_BULK_MAX_ROWS", default=5000)
# The largest request body (and form) accepted, in MiB. 16 fits 5,000 movement rows with
# 500-character notes even in non-Latin scripts (about 10 MB as UTF-8 JSON).
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("API_MAX_BODY_MB", default=16) * 2**20
# Days an API key works after it is made (docs/security.md#api-keys).
API_KEY_DAYS = env.int("API_KEY_DAYS", default=90)
# Seconds each process remembers who an API key is and their roles (org/auth_cache.py); changes
# in the same process are seen at once, others within this long. 0: ask the database every request.
API_AUTH_CACHE_SECONDS = env.float("API_AUTH_CACHE_SECONDS", default=2.0)
# Days a calendar link works after it is made (docs/calendar-and-sso.md).
CALENDAR_FEED_DAYS = env.int("CALENDAR_FEED_DAYS", default=365)
# Django's cache holds the API throttle counters: per process by default; with several web
# processes, point CACHE_URL at a shared cache (e.g. redis://host:6379/1) so the limits hold.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"].endswith("RedisCache"):
    # A cache that is down or hung must not hold a request for long: the throttles then let it
    # through (core/throttles.py) after at most this many seconds.
    _cache_timeout = env.float("CACHE_SOCKET_TIMEOUT", default=0.5)
    CACHES["default"].setdefault("OPTIONS", {}).update(
        {"socket_connect_timeout": _cache_timeout, "socket_timeout": _cache_timeout}
    )
# A view that returns task rows straight from .values(), only for bench/api.py to compare with.
BENCH_BARE_VIEW = env.bool("BENCH_BARE_VIEW", default=False)
SPECTACULAR_SETTINGS = {
    "TITLE": "CCO accountability tracker API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["org.permissions.SignedIn"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Every operation's error answers (400, 401, 403, 404, 409, 412, 413, 429), after the enum hook.
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "core.schema.add_error_responses"],
    "ENUM_NAME_OVERRIDES": {
        "HealthEnum": "roadmap.models.Health",
        "MovementKindEnum": "customers.models.movements.CustomerMovement.Kind",
        "MessageKindEnum": "accountability.models.reminders.Message.Kind",
        "MessageStatusEnum": "accountability.models.reminders.Message.Status",
    },
}

# Production hardening; `manage.py check --deploy` is clean when DEBUG is off.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Probes and the metrics scraper speak plain HTTP inside the network (core/probes.py answers them).
SECURE_REDIRECT_EXEMPT = [r"^health/", r"^metrics/?$"]
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp, docs/security.md#headers): scripts only from this site, no
# inline or eval'd script; inline styles stay allowed (the admin, badges and SVG charts use them).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# LOG_FORMAT=json: one JSON object per line for a log shipper; text otherwise. Both carry the
# request id (X-Request-ID) and the running task (core/request_id.py, docs/operations.md#logs).
LOG_FORMAT = env.str("LOG_FORMAT", default="text")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, not {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Web, worker and beat log the same way, each line with its time (UTC) and process, so that
    # an incident can be followed across them.
    "formatters": {
        "text": {
            "format": "%(asctime)s %(levelname)s [%(processName)s] %(name)s: %(message)s",
            "()": "cco.log_format.TextFormatter",
        },
        "json": {"()": "cco.log_format.JSONFormatter"},
    },
    # Each line names the request (or the task it caused); a calendar link's token travels in its URL, so
    # every line that could name it is redacted.
    "filters": {
        "request_id": {"()": "core.request_id.RequestIdFilter"},
        "redact_secret_paths": {"()": "core.log_redaction.RedactSecretPaths"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id", "redact_secret_paths"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Django's own handlers (its request and development server lines) would bypass the filter:
    # its lines go up to the root's handler instead.
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
    },
}

# Health probes (core/health.py): the worker heartbeat is sent by beat this often, and is stale
# (readiness fails) after HEALTH_WORKER_STALE_MINUTES; beat is stale when it sent nothing for
# HEALTH_BEAT_STALE_MINUTES; a scheduled job is late when it has not succeeded for
# HEALTH_JOB_GRACE_MINUTES past the time its schedule should have run it.
HEALTH_HEARTBEAT_SECONDS = env.float("HEALTH_HEARTBEAT_SECONDS", default=60)
HEALTH_WORKER_STALE_MINUTES = env.float("HEALTH_WORKER_STALE_MINUTES", default=5)
HEALTH_BEAT_STALE_MINUTES = env.float("HEALTH_BEAT_STALE_MINUTES", default=5)
HEALTH_JOB_GRACE_MINUTES = env.float("HEALTH_JOB_GRACE_MINUTES", default=15)
CELERY_BEAT_SCHEDULE["worker-heartbeat"] = {
    "task": "core.heartbeat",
    "schedule": HEALTH_HEARTBEAT_SECONDS,
    "options": {"expires": HEALTH_HEARTBEAT_SECONDS},
}

# Prometheus metrics at /metrics (core/metrics.py): a scraper shows METRICS_TOKEN as a bearer
# token, or comes from one of METRICS_ALLOWED_IPS (addresses or networks); with neither set,
# nobody may read them. Gunicorn's workers share their request counts through the folder in
# PROMETHEUS_MULTIPROC_DIR (read by prometheus_client itself; bin/run --production sets it).
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
METRICS_ALLOWED_IPS = env.list("METRICS_ALLOWED_IPS", default=[])
for _network in METRICS_ALLOWED_IPS:
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError:
        raise ImproperlyConfigured(f"METRICS_ALLOWED_IPS: {_network!r} is not an address or a network.") from None
# Figures read from the database at each scrape, one function per floor that owns them (fixed in code).
METRICS_COLLECTORS = [
    "core.metrics.job_metrics",
    "org.metrics.recompute_metrics",
    "accountability.reminders.metrics.reminder_metrics",
]

# Error reporting (optional): with SENTRY_DSN set, errors of web, worker and beat go to Sentry
# (cco/sentry.py); nothing is initialised without it.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    from cco.sentry import sentry_init

    sentry_init(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )
