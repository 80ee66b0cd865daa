"""Forms: a channel, and one's own notification settings."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from inspector.admin.forms import department_choices
from inspector.i18n.labels import LANGUAGE_NAMES
from inspector.notifications.channels import ADDRESS, allowed_events
from inspector.notifications.labels import CHANNEL_KIND_LABELS, EVENT_LABELS

DEFAULT_EVENTS = ["finding.opened", "finding.overdue", "finding.escalated", "period.closed"]


class ChecklistField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def language_choices():
    return [SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()]


class ChannelForm(FlaskForm):
    kind = SelectField(
        _l("Kind"), choices=[SelectChoice(k, v) for k, v in CHANNEL_KIND_LABELS.items()]
    )
    name = StringField(_l("Name"), validators=[Optional(), Length(max=100)])
    target = StringField(_l("Robot address, webhook URL or email address"))
    secret = PasswordField(_l("Secret"), validators=[Optional(), Length(max=200)])
    events = ChecklistField(_l("Send"), default=DEFAULT_EVENTS, validate_choice=False)
    department = SelectField(_l("Department"), choices=[], validate_choice=False)
    locale = SelectField(_l("Language of the messages"), choices=[], default="zh")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.department.choices = department_choices()
        self.department.choices[0] = SelectChoice("", _l("All departments"))
        self.events.choices = [SelectChoice(n, EVENT_LABELS[n]) for n in allowed_events("wecom")]
        self.locale.choices = language_choices()


class SettingsForm(FlaskForm):
    email = EmailField(
        _l("Email"),
        filters=[lambda value: value.strip() if value else value],
        validators=[
            Optional(),
            Length(max=254),
            Regexp(ADDRESS.pattern, message=_l("Enter an email address.")),
        ],
    )
    locale = SelectField(_l("Language of your messages"), choices=[])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.locale.choices = language_choices()
