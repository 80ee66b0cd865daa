"""NaN and Infinity are not JSON, and no form's "nan" becomes a number: a NaN passes every bound
of a schema (no comparison with it is true) and reached the database as points no arithmetic
could use; a mark on such an indicator answered 500."""

import io

import pytest
from openpyxl import Workbook

from inspector.extensions import db
from inspector.inputs import parse_json
from inspector.limits import number_or_text
from inspector.models import Framework, Role
from tests.conftest import csrf_token_from

FRAMEWORK = (
    '{"code":"f","name":"x","year":2026,'
    '"indicators":[{"code":"1","title":"t","method":"survey","points":%s}]}'
)


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_the_constants_python_takes_are_not_json(literal):
    with pytest.raises(ValueError):
        parse_json(f'{{"x": {literal}}}')


def test_a_number_too_large_parses_for_the_schema_to_refuse():
    assert parse_json('{"x": 1e400}') == {"x": float("inf")}


@pytest.mark.parametrize("text", ["nan", "NaN", "inf", "-inf", "Infinity"])
def test_a_form_number_that_is_not_finite_stays_text(text):
    assert number_or_text(text) == text
    assert (
        number_or_text(" 5 ") == 5 and number_or_text("0.5") == 0.5 and number_or_text("") is None
    )


def test_the_api_refuses_them_and_saves_nothing(api):
    api.as_role(Role.ADMIN)
    headers = {"Content-Type": "application/json"}
    for literal, status in (("NaN", 400), ("Infinity", 400), ("1e400", 422)):
        answer = api.post("/api/v1/frameworks", data=FRAMEWORK % literal, headers=headers)
        assert answer.status_code == status, (literal, answer.text)
    assert db.session.query(Framework).count() == 0


def test_the_web_import_and_editor_refuse_them(client, login_as, api):
    login_as(Role.ADMIN)
    token = csrf_token_from(client.get("/frameworks/").text)
    upload = {"csrf_token": token, "file": (io.BytesIO((FRAMEWORK % "NaN").encode()), "f.json")}
    assert client.post("/frameworks/import", data=upload).status_code == 422  # refused, told
    book = Workbook()
    book.active.append(["测评项目", "指标", "测评内容", "分值", "测评方法", "评分标准", "目标"])
    book.active.append(["活动", "学习", "", 5, "活动记录", "", "inf"])
    data = io.BytesIO()
    book.save(data)
    xlsx = {"csrf_token": token, "file": (io.BytesIO(data.getvalue()), "f.xlsx")}
    assert client.post("/frameworks/import", data=xlsx).status_code == 422  # refused, told
    assert db.session.query(Framework).count() == 0
    api.as_role(Role.ADMIN)
    survey = {"code": "1", "title": "问卷", "points": 5, "method": "survey"}
    document = {"code": "g", "name": "测评", "year": 2026, "indicators": [survey]}
    made = api.post("/api/v1/frameworks", json=document)
    framework_id = made.json["id"]
    page = client.get(f"/frameworks/{framework_id}/edit")
    form = {"csrf_token": csrf_token_from(page.text), "action": "save", "rows": "1",
            "name": "测评", "year": "2026", "bonus_cap": "nan", "ind-0-code": "1",
            "ind-0-title": "问卷", "ind-0-points": "nan", "ind-0-method": "survey"}  # fmt: skip
    refused = client.post(f"/frameworks/{framework_id}/edit", data=form)
    assert refused.status_code == 422
    assert db.session.query(Framework).count() == 1
