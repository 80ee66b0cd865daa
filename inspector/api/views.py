"""API endpoints for the caller, departments and sites."""

from flask import g
from sqlalchemy import select

from inspector.api import bp
from inspector.api.auth import roles
from inspector.api.openapi import build_spec
from inspector.api.pagination import page
from inspector.api.schemas import DEPARTMENT_IN, SITE_IN
from inspector.api.validation import json_body
from inspector.extensions import db
from inspector.models import Department, Role, Site
from inspector.organization import services as organization
from inspector.urls import public_url


def department_json(department):
    return {"code": department.code, "name": department.name, "active": department.active}


def site_json(site):
    return {
        "code": site.code,
        "name": site.name,
        "kind": str(site.kind),
        "department": site.department.code,
        "address": site.address,
        "community": site.community,
        "expected_per_week": site.expected_per_week,
        "active": site.active,
        "lat": site.lat,
        "lon": site.lon,
        "radius_m": site.radius_m,
    }


@bp.get("/openapi.json")
def openapi():
    """Describe the API as OpenAPI 3."""
    return build_spec(public_url("api.me").rsplit("/me", 1)[0])


@bp.get("/me")
def me():
    """Tell the caller who they are."""
    caller = g.api_caller  # plain values: no entity is made for this answer
    return {"username": caller.username, "role": str(caller.role), "department": caller.department}


@bp.get("/departments")
def departments():
    """List departments."""
    return page(select(Department), Department.id, department_json)


@bp.post("/departments")
@roles(Role.ADMIN)
def create_department():
    """Create a department."""
    body = json_body(DEPARTMENT_IN)
    department = organization.save_department(
        g.api_user, body["code"], body["name"], body.get("active", True)
    )
    db.session.commit()
    return department_json(department), 201


@bp.get("/sites")
def sites():
    """List sites."""
    return page(select(Site), Site.id, site_json)


@bp.post("/sites")
@roles(Role.ADMIN)
def create_site():
    """Create a site belonging to a department."""
    body = json_body(SITE_IN)
    where = {}
    if {"lat", "lon", "radius_m"} & body.keys():  # all three or none: the service checks
        where = {key: body.get(key) for key in ("lat", "lon", "radius_m")}
    site = organization.save_site(
        g.api_user,
        body["code"],
        body["name"],
        body["kind"],
        body["department"],
        address=body.get("address"),
        community=body.get("community"),
        expected_per_week=body.get("expected_per_week", 1),
        active=body.get("active", True),
        **where,
    )
    db.session.commit()
    return site_json(site), 201
