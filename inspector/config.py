"""Default settings; instance/config.py and INSPECTOR_* variables override them."""

import os

import click

# Sessions and CSRF tokens are signed with this. The default exists only so that
# tests and the debug server work; create_app refuses to serve with it.
# Refused outside debug and tests (check_secret_key), so never a real key.
SECRET_KEY = "dev"  # nosec B105
DEV_SECRET_KEYS = {"dev", "", None}

# "production" (INSPECTOR_ENV=production) refuses demo data, whose accounts share a published
# password; so does HTTPS = True.
ENV = "development"

# The embedded default is SQLite under the instance folder; see load_config.
DATABASE_URL = None
# Up to 40 connections per worker process (10 kept open), opened only as requests need them:
# at least gunicorn's --threads (32 in `make run`), or a request waits for a free connection
# and gets 503 after 30 s (docs/deploy.md). PostgreSQL's max_connections must allow
# workers × 40 × servers, plus the background worker.
SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_size": 10, "max_overflow": 30}
SQLITE_BUSY_TIMEOUT_MS = 15000

# Where photos are kept: "local" (instance/photos) or "s3".
STORAGE = "local"
S3_BUCKET = None
S3_ENDPOINT_URL = None  # an S3-compatible server such as MinIO; None means AWS
S3_REGION = None  # None: the AWS chain (AWS_DEFAULT_REGION, ~/.aws/config)
S3_PREFIX = "photos/"  # objects are named PREFIX + key, so one bucket can hold other things
# Server-side encryption of each object: None (the bucket's default), "AES256" or "aws:kms"
# (with S3_SSE_KMS_KEY_ID naming the key, or None for the account's aws/s3 key).
S3_SSE = None
S3_SSE_KMS_KEY_ID = None
# How photos reach the browser after the permission check: "stream" through the app, or
# "presigned": a redirect to a GET URL valid S3_URL_EXPIRES seconds that the browser must
# be able to reach (and that the Content-Security-Policy must allow as an image source).
S3_DELIVERY = "stream"
S3_URL_EXPIRES = 300
S3_CONNECT_TIMEOUT = 5  # seconds
S3_READ_TIMEOUT = 30  # seconds without a byte from S3 before a retry
S3_MAX_ATTEMPTS = 3  # botocore "standard" retries: throttling and 5xx, with backoff

# Draw time, site and inspector on the display copy of each photo, like 水印相机 apps.
PHOTO_STAMP = False
# Megapixels of photos each worker process decodes at once (about 5 MB of memory each): 60 is
# one photo of the largest accepted size, or dozens from phones. Uploads that do not fit may
# wait, PHOTO_QUEUE of them; any beyond that are answered 503 with Retry-After. Keep
# PHOTO_QUEUE below gunicorn's --threads, so other requests always find a free thread
# (inspector/photos/budget.py).
PHOTO_MEGAPIXELS = 60
PHOTO_QUEUE = 2
# Photos each worker decodes at once, however small: with PHOTO_QUEUE waiting, a thread stays
# free for everything else even when every upload is a small phone photo. One per worker keeps
# a core per worker busy with image work, which is all the cores of `make run` (2 workers).
PHOTO_DECODERS = 1

# Deployment time zone: dates shown to people and score periods use it.
TIMEZONE = "Asia/Shanghai"
# Keep computed score sheets and hot spots until the data changes (inspector/scores/cache.py).
SCORE_CACHE = True

# The job queue (inspector/queue.py): None keeps it in SQLite under the instance folder; a
# redis:// URL shares it between several app servers. `flask worker` consumes it.
QUEUE_URL = None
QUEUE_NAME = "inspector"
QUEUE_WORKERS = 4  # threads: each sends one delivery at a time
QUEUE_POLL_SECONDS = 1.0  # longest wait of an idle worker before it looks at SQLite again

# Notifications and webhooks (inspector/notifications). A delivery that fails is tried again
# after each delay in turn (seconds; the last repeats) until DELIVERY_GIVE_UP_AFTER, then it is
# marked failed. Each attempt waits at most DELIVERY_TIMEOUT seconds for an answer.
DELIVERY_TIMEOUT = 10
DELIVERY_RETRY_DELAYS = [5, 30, 120, 600, 1800, 3600]
DELIVERY_GIVE_UP_AFTER = 24 * 3600
# A worker sending a delivery holds it this long (None: 3 × DELIVERY_TIMEOUT + 5 s); a killed
# worker's deliveries are sent again once their hold runs out.
DELIVERY_HOLD_SECONDS = None
# Host names and CIDR ranges receivers may be at; None allows any (intranet ones included).
WEBHOOK_ALLOWED_HOSTS = None
# smtp://host:25, smtp+starttls://user:password@host:587 or smtps://user:password@host:465
SMTP_URL = None
MAIL_FROM = None  # e.g. "文明督查 <inspector@example.gov.cn>"
# Overdue findings go to their department's lead, then ESCALATE_DAYS later to supervisors.
ESCALATE_DAYS = 3
# The daily overdue scan and the weekly digest (Mondays) run from this local hour on.
DAILY_HOUR = 8

LANGUAGES = ["zh", "en"]
BABEL_DEFAULT_LOCALE = "zh"
BABEL_DEFAULT_TIMEZONE = TIMEZONE  # Flask-Babel formats dates in it

# The issuing unit named at the head of every document (通报, reports): INSPECTOR_ORG_NAME.
ORG_NAME = "文明单位创建工作领导小组办公室"

# Scoring: grade thresholds on the score percentage, highest first.
# "pass" here is a grade, not a password (bandit B105).
GRADE_THRESHOLDS = {"excellent": 90, "good": 80, "pass": 60}  # nosec B105
FINDING_DUE_DAYS = 7
# A department lead may appeal a deduction this many days after the inspection's submission.
APPEAL_DAYS = 3

# Largest attached document (PUT /api/v1/files): a scanned PDF or a workbook (413 beyond).
FILE_MAX_BYTES = 20 * 1024 * 1024
# Largest request body: a phone photo is a few MB; anything larger is refused (413).
MAX_CONTENT_LENGTH = 40 * 1024 * 1024
# Form limits (Werkzeug): text fields of a form together, and the number of parts (413 beyond).
MAX_FORM_MEMORY_SIZE = 500 * 1024
MAX_FORM_PARTS = 1000

MIN_PASSWORD_LENGTH = 12  # ASVS 2.1.1

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Served over HTTPS (behind TLS): Secure cookies named with the __Host- prefix, and HSTS.
HTTPS = False
# Sign in again after this long without a request, and after this long in any case. Longer
# than ASVS's 30 minutes idle: a round on foot takes hours (docs/security.md).
SESSION_IDLE_MINUTES = 120
SESSION_MAX_HOURS = 12
# The site's address as people reach it ("https://inspect.example.gov.cn"), for the absolute
# links the API hands out; None: links are relative. Never taken from the Host header.
BASE_URL = None
# How many reverse proxies in front set X-Forwarded-For/-Proto; 0 trusts none of them.
TRUSTED_PROXIES = 0
WTF_CSRF_TIME_LIMIT = None  # tokens live as long as the session: forms stay open for hours


def load_config(app, test_config=None):
    """Fill app.config from the defaults, instance/config.py, the environment and tests."""
    app.config.from_object(__name__)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("INSPECTOR")
    if test_config is not None:
        app.config.from_mapping(test_config)
    url = app.config["DATABASE_URL"] or "sqlite:///" + os.path.join(
        app.instance_path, "inspector.sqlite3"
    )
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    if app.config["HTTPS"]:
        app.config.update(
            SESSION_COOKIE_SECURE=True,
            SESSION_COOKIE_NAME="__Host-session",  # Secure, Path=/, no Domain: this host only
            PREFERRED_URL_SCHEME="https",
        )
    check_secret_key(app)


def check_secret_key(app):
    """Refuse to serve outside debug and testing with a default secret key."""
    if app.config["SECRET_KEY"] not in DEV_SECRET_KEYS:
        return
    if app.debug or app.testing:
        return
    # A `flask` command (db upgrade, create-user, ...) signs nothing, so it may run
    # before a key exists; gunicorn and other servers never run inside click.
    if click.get_current_context(silent=True) is not None:
        return
    raise RuntimeError(
        "Refusing to start with the default SECRET_KEY: set INSPECTOR_SECRET_KEY "
        "or SECRET_KEY in instance/config.py (`make run` writes one)."
    )
