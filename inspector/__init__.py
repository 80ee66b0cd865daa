"""Inspector: field inspections, scores and corrective actions for civilized-unit campaigns."""

import os

from flask import Flask

from inspector.config import load_config
from inspector.jsonprovider import OrjsonProvider
from inspector.photos import uploads

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def create_app(test_config=None):
    """Create and configure the Flask application."""
    from inspector.auth.callers import RequestGlobals

    app = Flask(
        __name__,
        instance_path=os.environ.get("INSPECTOR_INSTANCE_PATH") or os.path.join(ROOT, "instance"),
        instance_relative_config=True,
        template_folder=os.path.join(ROOT, "templates"),
        static_folder=os.path.join(ROOT, "static"),
    )
    app.json = OrjsonProvider(app)
    app.app_ctx_globals_class = RequestGlobals  # g.api_user made on first use
    load_config(app, test_config)
    if app.config["TRUSTED_PROXIES"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    os.makedirs(app.instance_path, exist_ok=True)
    register_extensions(app)
    register_blueprints(app)
    uploads.init_app(app)  # after inputs.init_app: the request class gains hashed uploads
    register_errorhandlers(app)
    register_commands(app)
    return app


def register_extensions(app):
    """Bind the extensions in inspector.extensions to this app."""
    from inspector import assets, auth, events, i18n
    from inspector.database import configure_sqlite
    from inspector.demo import passwords as demo_passwords
    from inspector.extensions import babel, csrf, db, login_manager, migrate
    from inspector.main import chrome
    from inspector.photos.budget import PixelBudget
    from inspector.scores import cache as score_cache
    from inspector.scores import kept as kept_score_rows
    from inspector.scores import totals as score_totals
    from inspector.storage import make_storage

    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=os.path.join(os.path.dirname(__file__), "migrations"),
        render_as_batch=True,  # SQLite alters tables by copying them
    )
    csrf.init_app(app)
    i18n.init_app(app, babel)
    app.extensions["inspector.storage"] = make_storage(app.config, app.instance_path)
    app.extensions["inspector.pixel_budget"] = PixelBudget.from_config(app.config)
    auth.init_login(app, login_manager)
    score_cache.init_app(app)
    kept_score_rows.init_app(app)
    events.init_app(app)
    score_totals.init_app(app)
    assets.init_app(app)
    demo_passwords.init_app(app)
    chrome.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            configure_sqlite(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])


def area_blueprints():
    """Each area's blueprint, in the order its routes are added (the API's apart: see below)."""
    from inspector.activities.views import bp as activities_bp
    from inspector.admin.views import bp as admin_bp
    from inspector.appeals.views import bp as appeals_bp
    from inspector.auth.views import bp as auth_bp
    from inspector.campaigns.views import bp as campaigns_bp
    from inspector.checklists.views import bp as checklists_bp
    from inspector.documents.views import bp as documents_bp
    from inspector.field.views import bp as field_bp
    from inspector.files.views import bp as files_bp
    from inspector.findings.views import bp as findings_bp
    from inspector.frameworks.views import bp as frameworks_bp
    from inspector.inspections.views import bp as inspections_bp
    from inspector.main.views import bp as main_bp
    from inspector.notifications.views import bp as notifications_bp
    from inspector.photos.views import bp as photos_bp
    from inspector.rounds.views import bp as rounds_bp
    from inspector.scores.views import bp as scores_bp

    return [
        main_bp, auth_bp, admin_bp, checklists_bp, inspections_bp, photos_bp, findings_bp,
        appeals_bp, campaigns_bp, rounds_bp, scores_bp, field_bp, notifications_bp,
        activities_bp, files_bp, frameworks_bp, documents_bp,
    ]  # fmt: skip


def register_blueprints(app):
    """Attach every area of the product (ids in URLs bounded first: inspector/inputs.py)."""
    from inspector import inputs, urls
    from inspector.api.routes import bp as api_bp
    from inspector.extensions import csrf

    # Before any route exists: `<int:...>` converters are bound when their rule is added.
    inputs.init_app(app)
    urls.init_app(app)
    for blueprint in area_blueprints():
        app.register_blueprint(blueprint)
    # The API authenticates with bearer tokens, never cookies, so CSRF cannot apply.
    csrf.exempt(api_bp)
    app.register_blueprint(api_bp)


def register_errorhandlers(app):
    """Answer errors as JSON under /api and as pages elsewhere; set security headers."""
    from inspector import errors, security

    errors.register(app)
    security.register(app)


def register_commands(app):
    """Add the `flask` commands of the contract."""
    from inspector.cli import commands

    for command in commands:
        app.cli.add_command(command)
