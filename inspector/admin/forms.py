"""Forms for the admin screens."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import (
    BooleanField,
    EmailField,
    FloatField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from inspector.extensions import db
from inspector.i18n.labels import ROLE_LABELS, SITE_KIND_LABELS
from inspector.limits import COMMUNITY_LENGTH
from inspector.models import Department


def department_choices(blank=True):
    rows = db.session.execute(
        select(Department.code, Department.name).order_by(Department.code)
    ).all()
    choices = [SelectChoice(code, f"{name} ({code})") for code, name in rows]
    return [SelectChoice("", _l("— none —")), *choices] if blank else choices


def label_choices(labels):
    return [SelectChoice(value, label) for value, label in labels.items()]


class UserForm(FlaskForm):
    # The service checks the username and password, so every fault shows at once.
    username = StringField(_l("Username"))
    display_name = StringField(_l("Full name"), validators=[Optional(), Length(max=100)])
    role = SelectField(_l("Role"), choices=label_choices(ROLE_LABELS), default="inspector")
    department = SelectField(_l("Department"), choices=[], validate_choice=False)
    email = EmailField(
        _l("Email"),
        filters=[lambda value: value.strip() if value else value],
        validators=[
            Optional(),
            Length(max=254),
            Regexp(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$", message=_l("Enter an email address.")),
        ],
    )
    password = PasswordField(_l("Password"))
    active = BooleanField(_l("Active"), default=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.department.choices = department_choices()


class DepartmentForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=32)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    active = BooleanField(_l("Active"), default=True)


class SiteForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=32)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    kind = SelectField(_l("Kind"), choices=label_choices(SITE_KIND_LABELS))
    department = SelectField(_l("Responsible department"), choices=[], validate_choice=False)
    address = StringField(_l("Address or location"), validators=[Optional(), Length(max=200)])
    community = StringField(
        _l("Community (社区 or 村)"),
        description=_l("Rounds draw from some communities, or one site per community."),
        validators=[Optional(), Length(max=COMMUNITY_LENGTH)],
    )
    expected_per_week = IntegerField(
        _l("Inspections expected per week"),
        default=1,
        validators=[InputRequired(), NumberRange(min=0, max=50)],
    )
    lat = FloatField(_l("Latitude"), validators=[Optional(), NumberRange(min=-90, max=90)])
    lon = FloatField(_l("Longitude"), validators=[Optional(), NumberRange(min=-180, max=180)])
    radius_m = IntegerField(
        _l("Radius (metres)"), validators=[Optional(), NumberRange(min=10, max=10000)]
    )
    active = BooleanField(_l("Active"), default=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.department.choices = [SelectChoice("", _l("— choose —")), *department_choices(False)]
