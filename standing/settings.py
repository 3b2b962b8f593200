"""Standing's settings: one module, every value from the environment with a safe local default."""

import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("STANDING_VAR_DIR", BASE_DIR.parent / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env(name, default=""):
    """A value from the environment, or from the file named by NAME_FILE (Docker/K8s secrets)."""
    if path := os.environ.get(f"{name}_FILE"):
        return Path(path).read_text().strip()
    return os.environ.get(name, default)


def envbool(name, default=False):
    return env(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


def envint(name, default):
    return int(env(name, str(default)))


def envlist(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG")
SECRET_KEY = env("SECRET_KEY", "insecure-local-only-change-me-" + "x" * 32)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", f"http://127.0.0.1:{env('PORT', '8000')}")

if envbool("SECURE", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "django.contrib.postgres",
    "django_htmx",
    # Serves Swagger UI for /api/v1/docs from its own static files, not from a CDN.
    "ninja",
    "django_tasks_db",
    "standing.core",
    "standing.accounts",
    "standing.vendors",
    "standing.activity",
    "standing.customers",
    "standing.blocks",
    "standing.billing",
    "standing.payments",
    "standing.deposits",
    "standing.orders",
    "standing.rentals",
    "standing.screening",
    "standing.law",
    "standing.claims",
    "standing.collection",
    "standing.duplicates",
    "standing.privacy",
    "standing.bench",
    # The site-level pages (start page, settings, the customer's page) compose the apps above.
    "standing.site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "standing.core.middleware.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "standing.api.StrictJsonMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "standing.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

# Content-Security-Policy (Django's own): scripts and styles only from this site, or inline
# with the request's nonce ({{ csp_nonce }}); no inline handlers or style attributes.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

ROOT_URLCONF = "standing.urls"
WSGI_APPLICATION = "standing.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

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
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "standing.core.context_processors.navigation",
            ],
        },
    }
]

DATABASE_URL = env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'standing.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Persistent connections on SQLite too: opening one and running its PRAGMAs cost about
    # 1 ms per request, a quarter of an API call (the tests turn them off in conftest.py).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
        " PRAGMA busy_timeout=5000;",
    }
    # A file, not memory: tests with threads (concurrent deliveries, the live server) need
    # connections that really share the database.
    DATABASES["default"]["TEST"] = {
        "NAME": env("TEST_SQLITE_NAME") or str(VAR_DIR / "test.sqlite3")
    }
else:
    # Django's backend with a health check only after a pause (``core.postgres``).
    DATABASES["default"]["ENGINE"] = "standing.core.postgres"
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

MAILERS = {
    "default": {
        "BACKEND": env("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend"),
        "OPTIONS": (
            {"file_path": str(VAR_DIR / "mail")}
            if "filebased" in env("EMAIL_BACKEND", "filebased")
            else {
                "host": env("EMAIL_HOST", "localhost"),
                "port": envint("EMAIL_PORT", 25),
                "username": env("EMAIL_HOST_USER"),
                "password": env("EMAIL_HOST_PASSWORD"),
                "use_tls": envbool("EMAIL_USE_TLS"),
                # Well inside the outbox's sending lease (customers/outbox.py, 5 minutes).
                "timeout": envint("EMAIL_TIMEOUT", 60),
            }
        ),
    }
}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Standing <kundenservice@standing.example>")

# argon2 first; PBKDF2 stays so that older hashes still verify and are upgraded on login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# Login throttling (standing/accounts/throttle.py).
LOGIN_FREE_FAILURES = envint("LOGIN_FREE_FAILURES", 3)
LOGIN_MAX_DELAY = envint("LOGIN_MAX_DELAY", 60)
LOGIN_LOCK_AFTER = envint("LOGIN_LOCK_AFTER", 10)
LOGIN_ADDRESS_LOCK_AFTER = envint("LOGIN_ADDRESS_LOCK_AFTER", 50)
LOGIN_LOCK_MINUTES = envint("LOGIN_LOCK_MINUTES", 15)
# Reverse proxies whose X-Forwarded-For is believed (addresses or CIDR networks, comma
# separated; none by default): standing.core.http.client_address().
TRUSTED_PROXIES = [
    str(ipaddress.ip_network(entry, strict=False)) for entry in envlist("TRUSTED_PROXIES")
]
# Staff and vendor sessions end sooner than customers' (SESSION_COOKIE_AGE, two weeks).
STAFF_SESSION_SECONDS = envint("STAFF_SESSION_SECONDS", 8 * 3600)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", "Europe/Berlin")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "standing.core.storage.StaticStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_4xx_traceback": {"()": "standing.core.log.ClientErrorsWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"filters": ["no_4xx_traceback"]}},
}
# A refused form (expired CSRF token) answers with the layout's error page, not Django's.
CSRF_FAILURE_VIEW = "standing.core.error_views.csrf_failure"

# --- Standing's business settings ---------------------------------------------------------
CURRENCY = "EUR"
# What a customer may do in the booking flow unless their group or their card says otherwise.
DEFAULT_PERMISSIONS = {"reserve": True, "book": True, "pay_by_invoice": False}
# Uploads on the customer card ("Dokumente").
UPLOAD_MAX_BYTES = envint("UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
UPLOAD_EXTENSIONS = {".pdf", ".png", ".jpg", ".jpeg", ".txt", ".csv"}
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
CUSTOMER_NUMBER_PREFIX = "K-"
# Whether a blocked customer may still log in to see their open payments (SPEC §4).
BLOCKED_CUSTOMERS_CAN_LOGIN = envbool("BLOCKED_CUSTOMERS_CAN_LOGIN", True)
AUTHENTICATION_BACKENDS = ["standing.accounts.backends.StandingBackend"]
# Database sessions; the lookup each page makes is written out (standing/accounts/sessions.py).
SESSION_ENGINE = "standing.accounts.sessions"
# How long a customer's invitation / password link stays valid (seconds).
PASSWORD_RESET_TIMEOUT = envint("PASSWORD_RESET_TIMEOUT", 7 * 24 * 3600)

# --- Deposits, billing, payments (issue 3: screening outcomes) -----------------------------
# The sender of letters and documents (DIN 5008 footer: bank and registry data).
COMPANY = {
    "name": env("COMPANY_NAME", "Standing Demo GmbH"),
    "street": env("COMPANY_STREET", "Friedrichstraße 100"),
    "postal_code": env("COMPANY_POSTAL_CODE", "10117"),
    "city": env("COMPANY_CITY", "Berlin"),
    "phone": env("COMPANY_PHONE", "+49 30 1234567"),
    "email": env("COMPANY_EMAIL", "kundenservice@standing.example"),
    "website": env("COMPANY_WEBSITE", "www.standing.example"),
    "bank": env("COMPANY_BANK", "Demo Bank Berlin"),
    "iban": env("COMPANY_IBAN", "DE89 3704 0044 0532 0130 00"),
    "bic": env("COMPANY_BIC", "COBADEFFXXX"),
    "register": env("COMPANY_REGISTER", "Amtsgericht Berlin-Charlottenburg HRB 123456 B"),
    "vat_id": env("COMPANY_VAT_ID", "DE123456789"),
    "managing_directors": env("COMPANY_MANAGING_DIRECTORS", "Erika Mustermann"),
}
# "sandbox" (no network, our own payment page) or "paypal".
PAYMENT_PROVIDER = env("PAYMENT_PROVIDER", "sandbox")
PAYMENT_LINK_DAYS = envint("PAYMENT_LINK_DAYS", 14)
PAYPAL = {
    "client_id": env("PAYPAL_CLIENT_ID"),
    "secret": env("PAYPAL_SECRET"),
    "base_url": env("PAYPAL_BASE_URL", "https://api-m.sandbox.paypal.com"),
    "webhook_id": env("PAYPAL_WEBHOOK_ID"),
}
# Run once per customer on every path to VERIFIED: welcome_email, staff_task, document.
VERIFIED_ACTIONS = envlist("VERIFIED_ACTIONS", "welcome_email,staff_task,document")
AUTO_ACTIVATE_VERIFIED = envbool("AUTO_ACTIVATE_VERIFIED", False)

# --- screening (registration check, deny list; SPEC §3) ----------------------------------
# Credit provider: "rules" (built-in), "sandbox" (test data, see standing/screening/credit.py)
# or "http" (a bureau). Default: the sandbox for local and demo runs, the rules in production.
SCREENING_CREDIT_PROVIDER = env(
    "SCREENING_CREDIT_PROVIDER", "rules" if envbool("SECURE") else "sandbox"
)
# A second identical submission (deposit offer, block) within this many seconds is the same
# one, answered with what the first made (standing/core/locks.py).
DOUBLE_SUBMIT_SECONDS = envint("DOUBLE_SUBMIT_SECONDS", 10)
# A registration repeating a customer registered within this many days (same email, or same
# name and birth date) is answered with that customer instead of screening a new record.
REGISTRATION_REPEAT_DAYS = envint("REGISTRATION_REPEAT_DAYS", 90)
SCREENING_CREDIT_MIN_AGE = envint("SCREENING_CREDIT_MIN_AGE", 18)
SCREENING_CREDIT_SCORE_THRESHOLD = envint("SCREENING_CREDIT_SCORE_THRESHOLD", 400)
SCREENING_CREDIT_REQUIRED_FIELDS = envlist(
    "SCREENING_CREDIT_REQUIRED_FIELDS", "first_name,last_name,birth_date,street,postal_code,city"
)
SCREENING_RULES_BASE_SCORE = envint("SCREENING_RULES_BASE_SCORE", 700)
SCREENING_RULES_MISSING_FIELD_PENALTY = envint("SCREENING_RULES_MISSING_FIELD_PENALTY", 200)
SCREENING_BUREAU_URL = env("SCREENING_BUREAU_URL")
SCREENING_BUREAU_USERNAME = env("SCREENING_BUREAU_USERNAME")
SCREENING_BUREAU_PASSWORD = env("SCREENING_BUREAU_PASSWORD")
SCREENING_BUREAU_TIMEOUT = float(env("SCREENING_BUREAU_TIMEOUT", "5"))
SCREENING_BUREAU_RETRIES = envint("SCREENING_BUREAU_RETRIES", 2)
# Deny-list matching: fuzzy name (+ same birth date) at or above this score (0–100) is a hit;
# an address hit needs the last name at or above the address threshold (flatmates differ).
SCREENING_NAME_THRESHOLD = envint("SCREENING_NAME_THRESHOLD", 90)
SCREENING_ADDRESS_NAME_THRESHOLD = envint("SCREENING_ADDRESS_NAME_THRESHOLD", 85)

# --- duplicates, merge, data export and erasure (issue 14) ----------------------------------
# Duplicate suggestions: fuzzy name (0–100) at or above this, with the same birth date.
DUPLICATES_NAME_THRESHOLD = envint("DUPLICATES_NAME_THRESHOLD", 88)
# How long the link to a data export requested on the customer's own page stays valid.
PRIVACY_EXPORT_LINK_HOURS = envint("PRIVACY_EXPORT_LINK_HOURS", 72)
