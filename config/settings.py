"""Leerregie settings, read from environment variables.

Defaults are safe for a teacher's laptop: DEBUG off, SQLite in WAL mode, the in-memory
channel layer, and a secret key generated on first run and kept in the data directory
(outside the repository). A production configuration is described in docs/deploy.md.
"""

import contextlib
import os
import secrets
import stat
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Everything the server writes (database, secret key, photos) lives here unless a
# variable says otherwise, so a fresh clone never mixes data into the source tree.
DATA_DIR = Path(
    os.environ.get("LEERREGIE_DATA_DIR")
    or Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "leerregie"
)


def _owner_only(path: Path, mode: int) -> None:
    """Give `path` `mode` if we own it and it has another: a data directory or database
    made by an older version (or under a lax umask) is tightened on the next start. A
    path of another user's is left alone (and would fail loudly later if unreadable)."""
    try:
        found = path.stat()
    except FileNotFoundError:
        return
    if found.st_uid == os.getuid() and stat.S_IMODE(found.st_mode) != mode:
        path.chmod(mode)


def _private_dir(path: Path) -> Path:
    """Create `path` for the owner only (0700; mkdir's mode is cut by the umask and
    ignored for a folder that exists, hence the chmod)."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    _owner_only(path, 0o700)
    return path


def _private_sqlite_file(name) -> None:
    """Create the SQLite file 0600 before SQLite does (with the umask's 0644): SQLite
    gives its -wal and -shm files the database file's mode."""
    if not name or str(name) == ":memory:" or str(name).startswith("file:"):
        return
    path = Path(name)
    if path.parent.is_dir():
        with contextlib.suppress(FileExistsError):
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        for sibling in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            _owner_only(sibling, 0o600)


# An existing data directory is tightened too (photos, database and key live in it).
if DATA_DIR.is_dir():
    _owner_only(DATA_DIR, 0o700)


def _secret_key() -> str:
    if key := os.environ.get("SECRET_KEY"):
        return key
    # Generated once, kept outside the repository, readable by the owner only.
    key_file = DATA_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    _private_dir(DATA_DIR)
    key = secrets.token_urlsafe(50)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


DEBUG = env_bool("DEBUG")
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
# The WebSocket Origin check (config/origins.py): full origins such as
# "https://leerregie.school.nl". Empty: exactly the origin the browser connected to
# (http or, with HTTPS=1, https; the Host header; one of ALLOWED_HOSTS).
WEBSOCKET_ALLOWED_ORIGINS = env_list("WEBSOCKET_ALLOWED_ORIGINS", "")

# Behind TLS (a reverse proxy or a load balancer), HTTPS=1 switches on everything
# `manage.py check --deploy` asks for.
HTTPS = env_bool("HTTPS")
if HTTPS:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    # Leerregie runs on a host of its own, so its subdomains can be HTTPS-only too.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
# Content-Security-Policy (django-csp): scripts, styles, images, fonts and connections
# from this site only; no inline script (the pages' data travel as JSON in
# <script type="application/json">, which does not run); style attributes stay allowed
# for the avatars' colours; photos preview from blob: and data: URLs; no plugins, no
# framing, forms post here only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "media-src": ["'self'", "blob:"],
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# A school day on a shared Chromebook; "switch pupil" ends a session earlier.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(10 * 60 * 60)))

INSTALLED_APPS = [
    "daphne",
    "classroom.beheer.BeheerAdminConfig",  # django.contrib.admin with the BeheerSite
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "classroom",
    "goals",
    "logbook",
    "planboard",
    "research",
    "frontend",
]

MIDDLEWARE = [
    # First, so that it compresses every text response on its way out, static files too.
    "config.middleware.TextGZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.StaticFilesMiddleware",  # WhiteNoise, also in an async chain
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Nothing a logged-in user sees (pupils' data, exports) is kept in a browser's or a
    # proxy's cache: Cache-Control: no-store (static files never get this far).
    "config.middleware.NoStoreMiddleware",
    # Only the app's own scripts and styles (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    "config.middleware.PupilLanguageMiddleware",  # after auth: it asks who the pupil is
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.middleware.BusyDatabaseMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = None
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "frontend.context.roles",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------

SQLITE_OPTIONS = {
    # IMMEDIATE takes the write lock at BEGIN, so two writers queue on the busy timeout
    # instead of one failing with "database is locked" when it upgrades its lock.
    "transaction_mode": "IMMEDIATE",
    "timeout": float(os.environ.get("SQLITE_BUSY_TIMEOUT", "20")),
    # secure_delete: deleted rows are overwritten with zeros, so an erased pupil's name is
    # not left in free pages of the file (research/erasure.py also checkpoints the WAL).
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA secure_delete=ON;",
}

if database_url := os.environ.get("DATABASE_URL"):
    _db = dj_database_url.parse(database_url, conn_max_age=0)
    if _db["ENGINE"] == "django.db.backends.postgresql":
        # Django's own pool (psycopg_pool); CONN_MAX_AGE must stay 0 with it and under ASGI.
        _db["OPTIONS"] = {
            "pool": {
                "min_size": int(os.environ.get("DB_POOL_MIN", "2")),
                "max_size": int(os.environ.get("DB_POOL_MAX", "20")),
                "timeout": int(os.environ.get("DB_POOL_TIMEOUT", "20")),
            }
        }
    elif _db["ENGINE"] == "django.db.backends.sqlite3":
        _db["ENGINE"] = "config.sqlite"  # SQLite, writers queued in-process (config/sqlite)
        _db["OPTIONS"] = dict(SQLITE_OPTIONS)
        # Tests (and the browser tests' daphne) share one file-based test database.
        _db["TEST"] = {"NAME": os.environ.get("SQLITE_TEST_NAME") or None}
        _private_sqlite_file(_db["NAME"])
else:
    # SQLite cannot create its file in a folder that does not exist yet.
    _private_dir(DATA_DIR)
    _private_sqlite_file(DATA_DIR / "db.sqlite3")
    _db = {
        "ENGINE": "config.sqlite",  # SQLite, writers queued in-process (config/sqlite)
        "NAME": DATA_DIR / "db.sqlite3",
        "OPTIONS": dict(SQLITE_OPTIONS),
        "TEST": {"NAME": os.environ.get("SQLITE_TEST_NAME") or None},
    }
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Realtime -----------------------------------------------------------------------

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            # The pub/sub layer fans out to a class or a school markedly faster than the
            # list-based core layer (measured, see docs/decisions/0002-realtime-layer.md).
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {
                "hosts": [
                    {
                        "address": REDIS_URL,
                        # redis-py's async pool fails at once when exhausted; a school of
                        # 900 pupils connecting at the bell must not hit that ceiling.
                        "max_connections": int(os.environ.get("REDIS_MAX_CONNECTIONS", "2000")),
                    }
                ],
                "prefix": os.environ.get("REDIS_PREFIX", "leerregie"),
            },
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# A burst of pupils' changes to one lesson gets the class's summary (the quadrant) at most
# once per this many seconds per process, the last change's always (logbook/dashboard.py
# `Summaries`, decision 0023).
LESSON_SUMMARY_SECONDS = float(os.environ.get("LESSON_SUMMARY_SECONDS", "1"))

# The throttles' counts (classroom/throttle.py): shared through Redis when there is one
# (several processes must share them), else in this process's memory, large enough that
# a flood of keys cannot push the counts out.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("REDIS_PREFIX", "leerregie"),
            # Without Redis the throttles let logins through (classroom/throttle.py).
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }

# --- Auth ---------------------------------------------------------------------------

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend, with the pupil record read with the user (classroom/backends.py)
    "classroom.backends.AccountBackend",
    # The school's own account, when set up (classroom/school_account.py).
    "classroom.school_account.SchoolAccountBackend",
]
LOGIN_URL = "frontend:teacher-login"
LOGIN_REDIRECT_URL = "frontend:home"
LOGOUT_REDIRECT_URL = "frontend:start"
# A new teacher's link to choose a password (frontend/views/staff.py) works for a week
# and only until a password is chosen.
PASSWORD_RESET_TIMEOUT = 7 * 24 * 60 * 60
# The second factor (frontend/views/second_factor.py): the name authenticator apps show.
OTP_TOTP_ISSUER = "Leerregie"
# Staff sign in with the school's own account (OpenID Connect, classroom/school_account.py;
# docs/deploy.md): off unless OIDC_ISSUER and OIDC_CLIENT_ID are set. The endpoints come
# from the issuer's discovery document; accounts are matched, never created.
OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "").strip().rstrip("/")
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "").strip()
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "").strip()
OIDC_MATCH_CLAIM = os.environ.get("OIDC_CLAIM", "email").strip()
OIDC_RP_SCOPES = os.environ.get("OIDC_SCOPES", "openid email profile").strip()
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_SIGN_ALGO", "RS256").strip()
# The button's words: "Inloggen met <name>" (e.g. Entree, Microsoft).
OIDC_PROVIDER_NAME = os.environ.get("OIDC_PROVIDER_NAME", "").strip()
OIDC_CREATE_USER = False
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "frontend:school-account-callback"

# Teacher logins: five wrong passwords for one username from one address lock that pair
# for 15 minutes (django-axes); 20 from one address, whatever the usernames, lock the
# address (classroom/axes_handler.py). Pupils have their own lock on the picture code.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_ADDRESS_FAILURE_LIMIT = int(os.environ.get("AXES_ADDRESS_FAILURE_LIMIT", "20"))
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "classroom.axes_handler.AddressLimitHandler"
AXES_CLIENT_IP_CALLABLE = "classroom.throttle.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_VERBOSE = False
# No row per successful login (axes' AccessLog: username, address, browser, path, time):
# nothing here needs it, and login times name pupils in research data. Wrong teacher
# passwords are still counted (AccessAttempt) for the locks above.
AXES_DISABLE_ACCESS_LOG = True
# What is kept of logins at all (axes' rows, expired sessions) is removed after this
# many days by `manage.py purge_access_logs` (run daily, docs/deploy.md).
ACCESS_LOG_RETENTION_DAYS = int(os.environ.get("ACCESS_LOG_RETENTION_DAYS", "7"))
# The school year's turn (classroom/school_year.py) opens this many weeks before 1 August.
SCHOOL_YEAR_TURN_WEEKS = int(os.environ.get("SCHOOL_YEAR_TURN_WEEKS", "8"))
# How many days the rest is kept, per kind (research/retention.py; applied by
# `manage.py apply_retention`, run daily; docs/school-setup.md): pupils who left, lessons
# and boards of earlier school years, the usage log, the audit log.
RETENTION_DAYS = {
    "leavers": int(os.environ.get("RETENTION_LEAVERS_DAYS", "365")),
    "past_years": int(os.environ.get("RETENTION_PAST_YEARS_DAYS", "730")),
    "usage_events": int(os.environ.get("RETENTION_USAGE_EVENTS_DAYS", str(3 * 365))),
    "audit_log": int(os.environ.get("RETENTION_AUDIT_LOG_DAYS", str(5 * 365))),
}

# Guessing throttles for pupils (classroom/throttle.py, docs/architecture.md "Logins").
CLASS_CODE_MISS_LIMIT = 10  # wrong class codes from one address, then it waits
CLASS_CODE_MISS_MINUTES = 10  # misses are forgotten after this; the wait is as long
PUPIL_CODE_FAILURE_LIMIT = 5  # wrong picture codes in a row lock the pupil on that device
PUPIL_CODE_LOCK_MINUTES = 5
PUPIL_CODE_WINDOW_MINUTES = 10  # wrong picture codes are forgotten after this
PUPIL_CODE_DEVICE_PUPILS = 3  # a device wrong for this many pupils is slowed
PUPIL_CODE_ADDRESS_PUPILS = 10  # an address wrong for this many pupils is slowed
PUPIL_CODE_ADDRESS_FAILURES = 30  # ... or with this many wrong codes
PUPIL_CODE_SLOW_SECONDS = 30  # slowed: one picture code per this many seconds
# The reverse proxies in front (addresses or networks): only a request from one of them
# has its client address read from X-Forwarded-For (classroom.throttle.client_address).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Language -----------------------------------------------------------------------

LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "nl")
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "frontend" / "locale"]
USE_I18N = True
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Amsterdam")
USE_TZ = True

# --- Files --------------------------------------------------------------------------

STATIC_URL = "/static/"
# Only for `collectstatic` on a server (docs/deploy.md); daphne serves from the apps.
STATIC_ROOT = os.environ.get("STATIC_ROOT") or None
# Photos of children live outside the static root and are served only through views
# that check who is asking.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or DATA_DIR / "media")
if MEDIA_ROOT.is_dir():  # made before FILE_UPLOAD_DIRECTORY_PERMISSIONS (below) existed
    _owner_only(MEDIA_ROOT, 0o700)
MEDIA_URL = "/media-not-served/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# daphne serves the static files itself through WhiteNoise; no collectstatic needed
# for a laptop or a single school server.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
# Photos of children and their folders are the server's own: 0600 and 0700, whatever
# the umask. FileSystemStorage applies these to every file it saves, uploads as well
# as the thumbnails and portraits made from them.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
PUPIL_PHOTO_MAX_BYTES = 10 * 1024 * 1024
# Whole request bodies (config/limits.py): uploads as large as a photo and its form,
# everything else a little over Django's own limit for form data.
UPLOAD_MAX_BYTES = PUPIL_PHOTO_MAX_BYTES + 1024 * 1024
REQUEST_MAX_BYTES = DATA_UPLOAD_MAX_MEMORY_SIZE + 512 * 1024

# --- Research -----------------------------------------------------------------------

# The IRI under which xAPI statements name verbs, activities and the study's accounts.
# They need not resolve; an installation may use its own domain.
RESEARCH_XAPI_BASE = os.environ.get("RESEARCH_XAPI_BASE", "https://leerregie.invalid/xapi")

# --- API ----------------------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["classroom.permissions.DeclaredPermission"],
    # JSON only: the app's scripts are the API's browser; DRF's browsable pages would
    # need inline styles and scripts the Content-Security-Policy refuses.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "classroom.pagination.CappedLimitOffsetPagination",
    # Bounded JSON (depth, number size), no NUL or lone surrogates (classroom/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "classroom.parsers.StrictJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "PAGE_SIZE": 100,
    "EXCEPTION_HANDLER": "classroom.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Leerregie API",
    "DESCRIPTION": "Classroom toolkit for personalised learning. Session authentication.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "OpennessEnum": "classroom.models.Openness",
        "PictogramEnum": "classroom.pictograms.PICTOGRAM_CHOICES",
        "PlaceIconEnum": "classroom.pictograms.PLACE_ICON_CHOICES",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"level": "ERROR"}, "axes": {"level": "WARNING"}},
}
