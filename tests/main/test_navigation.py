"""The main tabs and the More page: few tabs on a phone, everything else one tap away."""

import re

import pytest

from inspector.models import Role
from tests import factories

pytestmark = pytest.mark.sqlite_only  # tabs and links are the same on either database

TAB = re.compile(r'<nav class="tabs"[^>]*>(.*?)</nav>', re.S)
LINK = re.compile(r'<a href="([^"]+)"')

ROLES = [Role.INSPECTOR, Role.LEAD, Role.SUPERVISOR, Role.ADMIN]


def tabs(html):
    return LINK.findall(TAB.search(html).group(1))


@pytest.mark.parametrize("role", ROLES)
def test_at_most_six_tabs_and_every_more_link_opens(client, login_as, role):
    department = factories.new_department() if role == Role.LEAD else None
    login_as(role, department=department)
    home = client.get("/scores/")
    assert home.status_code == 200
    assert len(tabs(home.text)) <= 6
    assert "/more" in tabs(home.text)
    more = client.get("/more")
    assert more.status_code == 200
    links = re.findall(r'<li><a href="([^"]+)" data-area', more.text)
    assert links
    for href in links:
        assert client.get(href).status_code == 200, href
    # Nothing is both a tab and on the More page.
    assert not set(links) & set(tabs(more.text))


def test_administration_is_not_for_supervisors(client, login_as):
    login_as(Role.SUPERVISOR)
    supervisor = client.get("/more").text
    assert "/admin/users" not in supervisor and "/rounds/" in tabs(supervisor)


def test_administration_is_on_the_admins_more_page(client, login_as):
    login_as(Role.ADMIN)
    admin = client.get("/more").text
    for href in ("/admin/users", "/admin/departments", "/admin/sites", "/notifications/channels"):
        assert href in admin


def test_the_more_tab_is_marked_in_the_areas_it_stands_for(client, login_as):
    login_as(Role.ADMIN)
    page = client.get("/admin/sites").text
    nav = TAB.search(page).group(1)
    assert re.search(r'<a href="/more" aria-current="page">', nav)
    page = client.get("/scores/").text
    assert not re.search(r'<a href="/more" aria-current="page">', TAB.search(page).group(1))
