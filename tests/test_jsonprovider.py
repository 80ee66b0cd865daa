"""JSON answers written by orjson say exactly what Flask's own provider says."""

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from flask.json.provider import DefaultJSONProvider
from flask_babel import lazy_gettext
from markupsafe import Markup

from inspector.jsonprovider import OrjsonProvider


@dataclass
class Point:
    x: int
    y: str


VALUES = {
    "text": "科室 190 — 桌面无灰尘",
    "number": 95.2,
    "whole": 7,
    "beyond 64 bits": 2**70,
    "nothing": None,
    "flags": [True, False],
    "decimal": Decimal("85.50"),
    "uuid": uuid.UUID("63c76ba7-9fe9-43ad-80d1-6c081239b618"),
    "day": date(2026, 11, 29),
    "moment": datetime(2026, 11, 29, 8, 30, tzinfo=UTC),
    "dataclass": Point(1, "a"),
    "markup": Markup("<b>安全</b>"),
    "nested": {"b": 1, "a": [{"z": 0, "y": 1}]},
}


def test_it_writes_the_document_flask_writes(app):
    ours, flasks = OrjsonProvider(app), DefaultJSONProvider(app)
    with app.test_request_context():
        values = {**VALUES, "lazy": lazy_gettext("Sign in")}
        assert json.loads(ours.dumps(values)) == json.loads(flasks.dumps(values))


def test_keys_are_sorted_and_text_is_utf8(app):
    with app.test_request_context():
        response = app.json.response({"名称": "科室", "a": 1})
    assert response.get_data() == '{"a":1,"名称":"科室"}\n'.encode()
    assert response.mimetype == "application/json"


def test_integer_keys_become_text_as_in_the_standard_library(app):
    assert app.json.dumps({1: "a", 2: "b"}) == '{"1":"a","2":"b"}'


def test_what_orjson_cannot_write_goes_to_the_standard_library(app):
    assert app.json.dumps({"n": 2**70}) == json.dumps({"n": 2**70})


def test_a_type_neither_can_write_is_still_a_type_error(app):
    try:
        app.json.dumps({"x": object()})
    except TypeError:
        return
    raise AssertionError("an unknown type was written")
