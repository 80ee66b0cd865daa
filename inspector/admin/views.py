"""Admin screens to manage users, departments and sites."""

from urllib.parse import urljoin

import segno
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import or_, select

from inspector.admin.forms import DepartmentForm, SiteForm, UserForm
from inspector.auth import accounts, tokens
from inspector.auth.permissions import role_required
from inspector.errors import DomainError
from inspector.extensions import db
from inspector.models import Department, Role, Site, User
from inspector.organization import services as organization

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@role_required(Role.ADMIN)
def require_admin():
    """Every admin screen is for administrators only."""


def get_or_404(model, ident):
    record = db.session.get(model, ident)
    if record is None:
        abort(404)
    return record


def show_errors(form, error: DomainError):
    for name, message in error.fields.items():
        field = getattr(form, name, None)
        if field is None:
            flash(str(message), "error")
        else:
            field.errors = [*field.errors, message]


def save_and_redirect(form, save, target, message=None):
    """Run `save`; if it passes, commit, say so and go to `target`; else mark the form."""
    try:
        save()
    except DomainError as error:
        if not error.fields:
            raise  # not about a field of this form: the app's handler answers it
        db.session.rollback()
        show_errors(form, error)
        return None
    db.session.commit()
    flash(message or _("Changes saved."), "success")
    return redirect(url_for(target), code=303)


def search(stmt, model, *columns):
    q = request.args.get("q", "").strip()
    if q:
        stmt = stmt.where(or_(*(col.contains(q, autoescape=True) for col in columns)))
    return stmt.order_by(model.code if hasattr(model, "code") else model.username).limit(500)


@bp.route("/users")
def users():
    """List users, searchable by username or name."""
    stmt = search(select(User), User, User.username, User.display_name)
    if request.args.get("role") in set(Role):
        stmt = stmt.where(User.role == request.args["role"])
    return render_template("admin/users.html", users=db.session.scalars(stmt).all())


@bp.route("/users/new", methods=["GET", "POST"])
def create_user():
    """Add a user with a role and, for leads, a department."""
    form = UserForm()
    if form.validate_on_submit():

        def save():
            user = accounts.create_user(
                current_user,
                form.username.data,
                form.password.data,
                form.role.data,
                form.department.data or None,
                form.display_name.data or "",
            )
            user.active = form.active.data
            user.email = (form.email.data or "").strip() or None

        message = _("User %(name)s created.", name=(form.username.data or "").strip())
        done = save_and_redirect(form, save, "admin.users", message)
        if done:
            return done
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def edit_user(user_id):
    """Change a user's role, department, status or password."""
    user = get_or_404(User, user_id)
    form = UserForm(obj=user)
    del form.username
    if not form.is_submitted():
        form.department.data = user.department.code if user.department else ""
    if form.validate_on_submit():

        def save():
            accounts.update_user(
                current_user,
                user,
                form.role.data,
                form.department.data or None,
                form.active.data,
                form.display_name.data,
                form.password.data,
            )
            user.email = (form.email.data or "").strip() or None

        done = save_and_redirect(form, save, "admin.users")
        if done:
            return done
    return render_template("admin/user_form.html", form=form, user=user)


@bp.route("/users/<int:user_id>/tokens")
def user_tokens(user_id):
    """List a user's API tokens, to revoke them."""
    user = get_or_404(User, user_id)
    return render_template("auth/tokens.html", owner=user, tokens=tokens.tokens_of(user))


@bp.route("/departments")
def departments():
    """List departments."""
    stmt = search(select(Department), Department, Department.code, Department.name)
    return render_template("admin/departments.html", departments=db.session.scalars(stmt).all())


@bp.route("/departments/new", methods=["GET", "POST"], defaults={"department_id": None})
@bp.route("/departments/<int:department_id>", methods=["GET", "POST"])
def edit_department(department_id):
    """Create or change a department."""
    department = get_or_404(Department, department_id) if department_id else None
    form = DepartmentForm(obj=department)
    if form.validate_on_submit():
        done = save_and_redirect(
            form,
            lambda: organization.save_department(
                current_user, form.code.data.strip(), form.name.data, form.active.data, department
            ),
            "admin.departments",
        )
        if done:
            return done
    return render_template("admin/department_form.html", form=form, department=department)


@bp.route("/sites")
def sites():
    """List sites, filterable by department and kind."""
    stmt = search(select(Site).join(Site.department), Site, Site.code, Site.name)
    if request.args.get("department"):
        stmt = stmt.where(Department.code == request.args["department"])
    return render_template(
        "admin/sites.html",
        sites=db.session.scalars(stmt).all(),
        departments=db.session.scalars(select(Department).order_by(Department.code)).all(),
    )


@bp.route("/sites/qr")
def site_codes():
    """A printable sheet of QR codes, one per site: scanned on the phone, it opens the site's
    inspection in the field app (offline too: the address is a field screen)."""
    stmt = select(Site).where(Site.active).order_by(Site.code)
    if request.args.get("site"):
        stmt = stmt.where(Site.code == request.args["site"])
    if request.args.get("department"):
        stmt = stmt.join(Site.department).where(Department.code == request.args["department"])
    base = current_app.config.get("BASE_URL") or request.url_root
    codes = []
    for site in db.session.scalars(stmt):
        address = urljoin(base, url_for("field.screen", screen=f"start/{site.code}"))
        svg = segno.make(address, error="m").svg_inline(scale=4, omitsize=True)
        codes.append((site, address, Markup(svg)))  # nosec B704: segno's own SVG markup
    return render_template("admin/site_codes.html", codes=codes)


@bp.route("/sites/new", methods=["GET", "POST"], defaults={"site_id": None})
@bp.route("/sites/<int:site_id>", methods=["GET", "POST"])
def edit_site(site_id):
    """Create or change a site."""
    site = get_or_404(Site, site_id) if site_id else None
    form = SiteForm(obj=site)
    if site and not form.is_submitted():
        form.department.data = site.department.code
    if form.validate_on_submit():
        done = save_and_redirect(
            form,
            lambda: organization.save_site(
                current_user,
                form.code.data.strip(),
                form.name.data,
                form.kind.data,
                form.department.data,
                site,
                address=form.address.data,
                community=form.community.data,
                expected_per_week=form.expected_per_week.data,
                active=form.active.data,
                lat=form.lat.data,
                lon=form.lon.data,
                radius_m=form.radius_m.data,
            ),
            "admin.sites",
        )
        if done:
            return done
    return render_template("admin/site_form.html", form=form, site=site)
