"""The More page: the screens that are not on the main tabs (templates/_chrome.html), per role."""

from flask_babel import lazy_gettext as _l

from inspector.models import Role

# (endpoint, its arguments, label, who sees it); the first part of an endpoint names its area.
WORK = [
    ("field.app", {}, _l("Field app"), (Role.SUPERVISOR, Role.ADMIN)),
    ("appeals.index", {}, _l("Appeals"), (Role.INSPECTOR, Role.SUPERVISOR, Role.ADMIN)),
    ("activities.index", {}, _l("Activities"), (Role.SUPERVISOR, Role.ADMIN)),
    ("frameworks.index", {}, _l("Evaluation"), tuple(Role)),
    ("rounds.index", {}, _l("Rounds"), (Role.INSPECTOR, Role.LEAD)),
    ("checklists.index", {}, _l("Checklists"), tuple(Role)),
    ("notifications.index", {}, _l("Messages"), tuple(Role)),
    ("auth.account", {}, _l("Account"), tuple(Role)),
]
ADMINISTRATION = [
    ("admin.users", {}, _l("Users"), (Role.ADMIN,)),
    ("admin.departments", {}, _l("Departments"), (Role.ADMIN,)),
    ("admin.sites", {}, _l("Sites"), (Role.ADMIN,)),
    ("notifications.channel_list", {}, _l("Channels"), (Role.ADMIN,)),
    ("activities.kinds", {}, _l("Kinds of activity"), (Role.ADMIN,)),
]


def more_links(role) -> list:
    """[(group title, [(endpoint, arguments, label)])] that `role` may open, none empty."""
    groups = [(_l("Work"), WORK), (_l("Administration"), ADMINISTRATION)]
    chosen = [
        (title, [(e, a, label) for e, a, label, roles in links if role in roles])
        for title, links in groups
    ]
    return [(title, links) for title, links in chosen if links]


def more_areas(role) -> set:
    """The areas reached from the More page, so its tab is marked while the user is in one."""
    areas = {e.split(".")[0] for _, links in more_links(role) for e, _, _ in links}
    # Leads and inspectors have activities, and leads appeals, on the main tabs.
    return areas - {"auth", "notifications"} if role in (Role.INSPECTOR, Role.LEAD) else areas
