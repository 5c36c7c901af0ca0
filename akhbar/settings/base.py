"""Settings shared by every environment. Values that differ per deployment come from the environment."""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_int, env_list, env_str, persistent_secret

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PACKAGE_DIR.parent
# Everything the running site writes (database, cache, media, secret key) lives under var/.
VAR_DIR = Path(env_str("AKHBAR_VAR_DIR", str(BASE_DIR / "var"))).resolve()

SECRET_KEY = env_str("DJANGO_SECRET_KEY") or persistent_secret(VAR_DIR / "secret_key")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "akhbar.core",
    "akhbar.news",
    "akhbar.navigation",
    "akhbar.search",
    "akhbar.importers",
    "akhbar.aliases",
    "akhbar.demo",
    "akhbar.newsroom",
    "akhbar.pagecache",
    "akhbar.comments",
    "akhbar.newsletter",
    "akhbar.donations",
    "akhbar.syndication",
    "wagtail.api.v2",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "rest_framework",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "akhbar.core.tree_cache.GenerationMiddleware",
    "akhbar.core.sites.CurrentSiteMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "akhbar.importers.wordpress.redirects.WordPressQueryRedirectMiddleware",
    "akhbar.pagecache.middleware.MarkCacheableViewsMiddleware",
]

ROOT_URLCONF = "akhbar.urls"
WSGI_APPLICATION = "akhbar.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Database: SQLite in var/ by default (WAL so readers never wait for the writer);
# DATABASE_URL switches to PostgreSQL. Either way a web thread keeps its connection between
# requests (DB_CONN_MAX_AGE seconds): a new SQLite connection costs its PRAGMAs and starts
# with an empty page cache, which made every query of a page read its B-tree pages again.
# A SQLite file named by DATABASE_URL gets the same options: without IMMEDIATE transactions, two
# threads of one worker that both write fail at once with "database is locked".
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA busy_timeout=20000;PRAGMA cache_size=-32000",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
    if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "akhbar.sqlite3",
            "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 60),
            "OPTIONS": SQLITE_OPTIONS,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A cache that every process (web workers and the task worker) shares:
# files under var/ by default, Redis when REDIS_URL is set.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    # Timeouts: a Redis that stops answering fails requests fast (and /readyz says so) instead of hanging them.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 5},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }

# Full-page cache for anonymous readers, in the shared cache above, purged on publish
# (docs/caching.md). Production turns it on; AKHBAR_PAGE_CACHE=0 turns it off.
PAGE_CACHE_ENABLED = env_bool("AKHBAR_PAGE_CACHE", False)
PAGE_CACHE_ALIAS = "default"
PAGE_CACHE_TIMEOUT = env_int("AKHBAR_PAGE_CACHE_TIMEOUT", 600)
PAGE_CACHE_MAX_AGE = env_int("AKHBAR_PAGE_CACHE_MAX_AGE", 60)
PAGE_CACHE_S_MAXAGE = env_int("AKHBAR_PAGE_CACHE_S_MAXAGE", 300)
PAGE_CACHE_STALE_WHILE_REVALIDATE = env_int("AKHBAR_PAGE_CACHE_STALE_WHILE_REVALIDATE", 60)
# The same purges sent to a CDN or reverse proxy (an HTTP PURGE to this address) when set.
if env_str("AKHBAR_FRONTEND_CACHE_URL"):
    WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": env_str("AKHBAR_FRONTEND_CACHE_URL"),
        }
    }

# Background jobs through Django's tasks API; the worker is `akhbar worker`: the database
# queue by default, RQ on Redis when REDIS_URL is set (TASKS_BACKEND overrides either).
RQ_BACKEND = "django_tasks_rq.RQBackend"
TASKS_BACKEND = env_str("TASKS_BACKEND") or (RQ_BACKEND if REDIS_URL else "django_tasks_db.DatabaseBackend")
TASKS = {"default": {"BACKEND": TASKS_BACKEND}}
if TASKS_BACKEND == RQ_BACKEND:
    try:
        import django_tasks_rq  # noqa: F401
    except ImportError as error:
        raise ImproperlyConfigured("REDIS_URL puts the task queue on RQ: pip install 'akhbar[redis]'") from error
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": env_str("RQ_URL") or REDIS_URL, "DEFAULT_TIMEOUT": 600}}

# Rate limits on the shared cache, per client address ("requests/seconds"); behind a reverse
# proxy the address comes from X-Forwarded-For only when the peer is a trusted proxy.
TRUSTED_PROXIES = env_list("AKHBAR_TRUSTED_PROXIES", [])
RATE_LIMITS = {
    "search": env_str("AKHBAR_RATE_LIMIT_SEARCH", "30/60"),
    "suggest": env_str("AKHBAR_RATE_LIMIT_SUGGEST", "120/60"),
    "comments": env_str("AKHBAR_RATE_LIMIT_COMMENTS", "5/60"),
    "comments_email": env_str("AKHBAR_RATE_LIMIT_COMMENTS_EMAIL", "10/3600"),
    "comments_forget": env_str("AKHBAR_RATE_LIMIT_COMMENTS_FORGET", "5/3600"),
    "comments_forget_email": env_str("AKHBAR_RATE_LIMIT_COMMENTS_FORGET_EMAIL", "3/86400"),
    "newsletter": env_str("AKHBAR_RATE_LIMIT_NEWSLETTER", "5/600"),
    "donations": env_str("AKHBAR_RATE_LIMIT_DONATIONS", "10/600"),
    "donations_link": env_str("AKHBAR_RATE_LIMIT_DONATIONS_LINK", "5/3600"),
    "newsletter_email": env_str("AKHBAR_RATE_LIMIT_NEWSLETTER_EMAIL", "3/86400"),
}

# Readers' comments (akhbar/comments): the longest comment, the least time between opening the
# form and sending it, and an optional external spam checker (a dotted path; off by default).
COMMENTS_MAX_LENGTH = env_int("AKHBAR_COMMENTS_MAX_LENGTH", 3000)
COMMENTS_MIN_SECONDS = env_int("AKHBAR_COMMENTS_MIN_SECONDS", 3)
# Akismet (or a service speaking its API) as that checker: a key turns it on unless
# AKHBAR_COMMENTS_SPAM_CHECKER names another; the site's address as registered with it
# (WAGTAILADMIN_BASE_URL when empty), the API's base address, and how long to wait (seconds).
AKISMET_KEY = env_str("AKHBAR_AKISMET_KEY", "")
AKISMET_BLOG_URL = env_str("AKHBAR_AKISMET_BLOG_URL", "")
AKISMET_URL = env_str("AKHBAR_AKISMET_URL", "https://rest.akismet.com/1.1/")
AKISMET_TIMEOUT = env_int("AKHBAR_AKISMET_TIMEOUT", 3)
COMMENTS_SPAM_CHECKER = env_str(
    "AKHBAR_COMMENTS_SPAM_CHECKER", "akhbar.comments.spam.AkismetChecker" if AKISMET_KEY else ""
)
# How often moderators get a digest of comments waiting for them (seconds; 0 turns it off).
COMMENTS_DIGEST_INTERVAL = env_int("AKHBAR_COMMENTS_DIGEST_INTERVAL", 3600)

# The newsletter (akhbar/newsletter, docs/newsletter.md): the least time between opening the
# subscribe box and sending it, how long a confirmation link is valid (unconfirmed addresses are
# purged after as many days), the addresses mail leaves from, the public address of the site for
# links in newsletters, and the sending pace (messages per second, 0: as fast as the server takes).
NEWSLETTER_MIN_SECONDS = env_int("AKHBAR_NEWSLETTER_MIN_SECONDS", 2)
NEWSLETTER_CONFIRM_DAYS = env_int("AKHBAR_NEWSLETTER_CONFIRM_DAYS", 7)
NEWSLETTER_FROM = env_str("AKHBAR_NEWSLETTER_FROM", "")
NEWSLETTER_RETURN_PATH = env_str("AKHBAR_NEWSLETTER_RETURN_PATH", "")
NEWSLETTER_UNSUBSCRIBE_MAILTO = env_str("AKHBAR_NEWSLETTER_UNSUBSCRIBE_MAILTO", "")
# A Maildir where the mail server delivers what comes back to the unsubscribe and bounce
# addresses; the worker reads it every minute (docs/newsletter.md). Empty: not read.
NEWSLETTER_RETURNS_MAILDIR = env_str("AKHBAR_NEWSLETTER_RETURNS_MAILDIR", "")

# Donations (docs/donations.md): the offline provider (bank transfer / pledge) works with no
# outside service; Stripe Checkout joins when both of its secrets are set.
DONATIONS_PROVIDERS = env_list("AKHBAR_DONATIONS_PROVIDERS", ["offline", "stripe"])
DONATIONS_MIN_AMOUNT = env_str("AKHBAR_DONATIONS_MIN_AMOUNT", "1")
DONATIONS_MAX_AMOUNT = env_str("AKHBAR_DONATIONS_MAX_AMOUNT", "100000")
DONATIONS_MANAGE_DAYS = env_int("AKHBAR_DONATIONS_MANAGE_DAYS", 60)
DONATIONS_FROM = env_str("AKHBAR_DONATIONS_FROM", "")
STRIPE_SECRET_KEY = env_str("STRIPE_SECRET_KEY", "")
STRIPE_WEBHOOK_SECRET = env_str("STRIPE_WEBHOOK_SECRET", "")
STRIPE_API_BASE = env_str("STRIPE_API_BASE", "")  # tests point the library at a local server
NEWSLETTER_SITE_URL = env_str("AKHBAR_NEWSLETTER_SITE_URL", "")  # empty: WAGTAILADMIN_BASE_URL
NEWSLETTER_RATE = env_int("AKHBAR_NEWSLETTER_RATE", 50)
NEWSLETTER_BATCH = env_int("AKHBAR_NEWSLETTER_BATCH", 50)
NEWSLETTER_CONNECTIONS = env_int("AKHBAR_NEWSLETTER_CONNECTIONS", 4)
NEWSLETTER_LEASE_SECONDS = env_int("AKHBAR_NEWSLETTER_LEASE_SECONDS", 120)
NEWSLETTER_UTM = env_bool("AKHBAR_NEWSLETTER_UTM", False)
# The daily digest assembles itself from this hour (the site's time zone), the weekly roundup on
# this weekday (0 is Monday, 4 Friday) from the same hour, each of at most so many articles.
NEWSLETTER_DIGEST_HOUR = env_int("AKHBAR_NEWSLETTER_DIGEST_HOUR", 7)
NEWSLETTER_WEEKLY_DAY = env_int("AKHBAR_NEWSLETTER_WEEKLY_DAY", 4)
NEWSLETTER_DIGEST_ARTICLES = env_int("AKHBAR_NEWSLETTER_DIGEST_ARTICLES", 15)
NEWSLETTER_EXPORT_MAX_DELIVERIES = 10_000
# Providers' bounce and complaint webhooks through django-anymail (`pip install 'akhbar[providers]'`),
# served at /anymail/<provider>/tracking/ only when their shared secret ("user:password") is set.
ANYMAIL_WEBHOOK_SECRET = env_str("AKHBAR_ANYMAIL_WEBHOOK_SECRET", "")
if ANYMAIL_WEBHOOK_SECRET:
    INSTALLED_APPS += ["anymail"]
    ANYMAIL = {"WEBHOOK_SECRET": ANYMAIL_WEBHOOK_SECRET}

# Outgoing email (reply notifications, moderators' digest, links to delete one's comments).
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "akhbar@localhost")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Language: the public site speaks one language (Arabic by default) so pages stay cacheable
# without Vary: Accept-Language; Wagtail's admin follows each editor's own preference.
LANGUAGE_CODE = env_str("AKHBAR_LANGUAGE", "ar")
LANGUAGES = [("ar", _("Arabic")), ("en", _("English"))]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Riyadh")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# The embedded default serves uploads itself; behind object storage or a CDN turn this off.
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Wagtail
WAGTAIL_SITE_NAME = env_str("AKHBAR_SITE_NAME", "أخبار")
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
# Search: Akhbar's Arabic analysis (akhbar/search) or, with AKHBAR_SEARCH_ANALYSIS=stock, Wagtail's own
# database search (the evaluation's baseline), or OpenSearch/Elasticsearch for scale (docs/search.md).
# Switching needs `manage.py update_index`.
SEARCH_BACKENDS_BY_ANALYSIS = {
    "arabic": "akhbar.search.backend",
    "stock": "wagtail.search.backends.database",
    "opensearch": "akhbar.search.opensearch",
}
SEARCH_ANALYSIS = env_str("AKHBAR_SEARCH_ANALYSIS", "arabic").strip().lower() or "arabic"
if SEARCH_ANALYSIS not in SEARCH_BACKENDS_BY_ANALYSIS:
    raise ImproperlyConfigured(f"AKHBAR_SEARCH_ANALYSIS must be arabic or stock (or opensearch), not {SEARCH_ANALYSIS!r}")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": SEARCH_BACKENDS_BY_ANALYSIS[SEARCH_ANALYSIS]}}
if SEARCH_ANALYSIS == "opensearch":
    WAGTAILSEARCH_BACKENDS["default"].update(
        VENDOR=env_str("AKHBAR_SEARCH_ENGINE", "opensearch2"),  # or opensearch3, elasticsearch7/8/9
        URLS=env_list("AKHBAR_SEARCH_URL", ["http://localhost:9200"]),
        INDEX_PREFIX=env_str("AKHBAR_SEARCH_INDEX_PREFIX", "akhbar_"),
        TIMEOUT=env_int("AKHBAR_SEARCH_TIMEOUT", 10),
    )
WAGTAILAPI_LIMIT_MAX = 100
# Feeds and sitemaps (akhbar/syndication, docs/syndication.md).
AKHBAR_FEED_ITEMS = env_int("AKHBAR_FEED_ITEMS", 20)
AKHBAR_SITEMAP_SIZE = env_int("AKHBAR_SITEMAP_SIZE", 50_000)
WAGTAIL_ALLOW_UNICODE_SLUGS = True
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True
TAGGIT_CASE_INSENSITIVE = True

# Content Security Policy for the public site; the admin (Wagtail's own scripts) is left out.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/django-admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        # Embeds load only after a reader clicks; then the provider's frame is allowed.
        "frame-src": ["https:"],
        "media-src": ["'self'", "https:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    },
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "django_tasks_db": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "django.tasks": {"level": "WARNING"},
    },
}
