"""Frameworks over the API: import as JSON or XLSX, versions, marks and the evaluation."""

import io
import uuid

import pytest
from openpyxl import Workbook, load_workbook

from inspector.activities.services import save_kind
from inspector.extensions import db
from inspector.models import Role
from tests import factories

HEADERS = ["测评项目", "指标", "测评内容", "分值", "测评方法", "评分标准"]
FRAMEWORK = {
    "code": "wmdw-2026",
    "name": "文明单位测评体系",
    "year": 2026,
    "bonus_cap": 10,
    "indicators": [
        {"code": "1.1", "title": "办公环境整洁", "points": 10, "method": "inspection",
         "items": [{"template": "office-weekly", "item": "desk-dust"}]},
        {"code": "2.1", "title": "每周政治学习", "points": 8, "method": "activity",
         "activity_kinds": ["political-study"], "target": 4},
        {"code": "3.1", "title": "台账资料齐全", "points": 20, "method": "material",
         "criteria": "资料齐全得满分"},
        {"code": "4.1", "title": "群众满意度", "points": 12, "method": "survey"},
        {"code": "5.1", "title": "无违法违纪", "method": "material", "veto": True},
        {"code": "6.1", "title": "特色工作", "points": 15, "method": "material", "bonus": True},
    ],
}  # fmt: skip


@pytest.fixture
def world(app):
    department = factories.new_department(code="d")
    site = factories.new_site(department=department, code="sd")
    save_kind(None, "political-study", "政治学习", 1)
    checklist = factories.new_checklist()
    db.session.commit()
    return department, site, checklist


def workbook(rows):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def post_xlsx(api, data, **form):
    return api.post(
        "/api/v1/frameworks", data={"file": (io.BytesIO(data), "测评体系.xlsx"), **form}
    )


def test_json_import_makes_versions(api, world):
    api.as_role(Role.ADMIN)
    first = api.post("/api/v1/frameworks", json=FRAMEWORK)
    assert first.status_code == 201, first.text
    assert (first.json["code"], first.json["version"]) == ("wmdw-2026", 1)
    assert [i["method"] for i in first.json["indicators"]][:4] == [
        "inspection", "activity", "material", "survey"]  # fmt: skip
    second = api.post("/api/v1/frameworks", json=FRAMEWORK)
    assert second.json["version"] == 2
    listed = api.get("/api/v1/frameworks").json["items"]
    assert [f["version"] for f in listed] == [2]


def test_json_faults_name_the_indicator(api, world):
    api.as_role(Role.ADMIN)
    bad = {**FRAMEWORK, "indicators": [
        {"code": "1", "title": "a", "method": "inspection",
         "items": [{"template": "office-weekly", "item": "nope"}], "points": 5},
        {"code": "1", "title": "b", "method": "activity", "activity_kinds": ["zz"], "points": 3},
        {"code": "3", "title": "c", "method": "survey"},
    ]}  # fmt: skip
    answer = api.post("/api/v1/frameworks", json=bad)
    assert answer.status_code == 422
    assert set(answer.json["error"]["fields"]) == {
        "indicators.0.items.0", "indicators.1.code", "indicators.1.activity_kinds.0",
        "indicators.2.points"}  # fmt: skip


def test_xlsx_import(api, world):
    api.as_role(Role.ADMIN)
    data = workbook([
        ["环境卫生", "办公室整洁", "桌面无灰尘", 10, "实地考察", "每发现1处扣1分"],
        [None, "车辆停放", "停放规范", "5分", "实地检查", ""],
        ["思想道德", "政治学习", "每周五学习", 8, "活动记录", "少一次扣0.2分"],
        ["", "台账", "资料", 20, "资料审核", ""],
        ["否决项", "违法违纪", "", "一票否决", "资料审核", "有则否决"],
        ["特色工作", "创新做法", "", 10, "资料审核", ""],
    ])  # fmt: skip
    answer = post_xlsx(api, data, code="city-2026", name="市测评体系", year="2026", bonus_cap="10")
    assert answer.status_code == 201, answer.text
    got = answer.json
    assert (got["code"], got["year"], got["bonus_cap"]) == ("city-2026", 2026, 10)
    rows = [(i["code"], i["section"], i["points"], i["method"], i["veto"], i["bonus"])
            for i in got["indicators"]]  # fmt: skip
    assert rows == [
        ("1.1", "环境卫生", 10, "inspection", False, False),
        ("1.2", "环境卫生", 5, "inspection", False, False),
        ("2.1", "思想道德", 8, "activity", False, False),
        ("2.2", "思想道德", 20, "material", False, False),
        ("3.1", "否决项", None, "material", True, False),
        ("4.1", "特色工作", 10, "material", False, True),
    ]


@pytest.mark.parametrize(
    ("row", "where"),
    [
        (["环境", "桌面", "", "十分", "实地考察", ""], "row 3, column D (分值)"),
        (["环境", "桌面", "", 5, "随便看看", ""], "row 3, column E (测评方法)"),
        (["环境", "", "", 5, "实地考察", ""], "row 3, column B (指标)"),
    ],
)
def test_xlsx_bad_row_names_row_and_column(api, world, row, where):
    api.as_role(Role.ADMIN)
    data = workbook([["环境", "窗明几净", "", 5, "实地考察", ""], row])
    answer = post_xlsx(api, data)
    assert answer.status_code == 422, answer.text
    assert list(answer.json["error"]["fields"]) == [where]
    assert answer.json["error"]["message"].startswith("R" + where[1:])


def test_only_admins_import(api, world):
    api.as_role(Role.SUPERVISOR)
    assert api.post("/api/v1/frameworks", json=FRAMEWORK).status_code == 403


def activity(api, day, department=None):
    body = {"kind": "political-study", "title": "学习", "date": day}
    if department:
        body["department"] = department
    answer = api.put(f"/api/v1/activities/{uuid.uuid4()}", json=body)
    assert answer.status_code == 201, answer.text


def inspect(api, site, desk):
    responses = factories.replace(factories.ALL_PASS, "desk-dust", answer=desk)
    body = {"template": site[2].id, "site": "sd", "started_at": "2026-05-01T09:00:00+08:00",
            "submitted_at": "2026-05-01T09:30:00+08:00", "responses": responses,
            "submit": True}  # fmt: skip
    if desk == "fail":
        body["responses"] = factories.replace(
            body["responses"], "desk-dust", answer="fail", photos=[photo(api)]
        )
    answer = api.put(f"/api/v1/inspections/{uuid.uuid4()}", json=body)
    assert answer.status_code == 201, answer.text


def photo(api):
    from tests.images import jpeg_bytes

    ident = str(uuid.uuid4())
    api.put(f"/api/v1/photos/{ident}", data={"file": (io.BytesIO(jpeg_bytes()), "p.jpg")})
    return ident


def test_the_evaluation_by_method(api, world):
    api.as_role(Role.ADMIN)
    framework = api.post("/api/v1/frameworks", json=FRAMEWORK).json["id"]
    api.as_role(Role.INSPECTOR)
    for desk in ("pass", "pass", "fail"):  # desk-dust is 2 points: 4 of 6 earned
        inspect(api, world, desk)
    activity(api, "2026-01-09", "d")
    activity(api, "2026-02-06")  # the whole unit's: counts for d too
    activity(api, "2025-12-26", "d")  # another year
    api.as_role(Role.SUPERVISOR)
    marks = f"/api/v1/frameworks/{framework}/marks"
    made = api.post(
        marks, json={"indicator": "3.1", "department": "d", "mark": 15, "note": "缺两册"}
    )
    assert made.status_code == 201, made.text
    assert (
        api.post(marks, json={"indicator": "4.1", "mark": 9.6, "note": "问卷 120 份"}).status_code
        == 201
    )
    assert (
        api.post(marks, json={"indicator": "6.1", "mark": 14, "note": "志愿服务"}).status_code
        == 201
    )
    assert api.post(marks, json={"indicator": "5.1", "mark": 1, "note": "无"}).status_code == 201
    assert api.post(marks, json={"indicator": "3.1", "mark": 21, "note": ""}).status_code == 422
    assert api.post(marks, json={"indicator": "1.1", "mark": 1, "note": ""}).status_code == 422
    assert api.post(marks, json={"indicator": "5.1", "mark": 0.5, "note": ""}).status_code == 422
    url = f"/api/v1/frameworks/{framework}/evaluation?year=2026&department=d"
    got = api.get(url, headers={"Accept-Language": "en"}).json
    earned = {i["code"]: i["earned"] for i in got["indicators"]}
    # 10 × 4/6 = 6.667; 8 × 2/4 = 4; marks 15 and 9.6 (the unit's); veto passed; bonus 14 → 10
    assert earned == {"1.1": 6.7, "2.1": 4.0, "3.1": 15.0, "4.1": 9.6, "5.1": None, "6.1": 14.0}
    assert (got["possible"], got["bonus"], got["vetoed"]) == (50.0, 10.0, False)
    assert got["total"] == 45.3  # 6.667 + 4 + 15 + 9.6 + 10 = 45.27
    gaps = {i["code"]: i.get("gap") for i in got["indicators"]}
    assert gaps["2.1"] == "2 of 4 records" and gaps["1.1"]  # in the caller's language
    assert api.get(url, headers={"Accept-Language": "zh"}).json["indicators"][1]["gap"] == (
        "2 / 4 条记录"
    )
    assert {i["code"]: i["evidence"] for i in got["indicators"]}["1.1"] == 3
    book = api.get(f"{url}&format=xlsx", headers={"Accept-Language": "en"})
    assert book.headers["Content-Disposition"].startswith("attachment")
    rows = list(load_workbook(io.BytesIO(book.data)).active.iter_rows(values_only=True))
    assert rows[2][:6] == ("1.1", "办公环境整洁", "Field inspection", 10, 6.7, 3)
    assert rows[-3][1:5] == ("Total", None, 50, 45.3)
    assert api.post(marks, json={"indicator": "5.1", "mark": 0, "note": "查实"}).status_code == 201
    assert api.get(f"/api/v1/frameworks/{framework}/evaluation?year=2026").json["vetoed"]


def test_a_year_is_closed_and_reopened_through_the_api(api, world):
    api.as_role(Role.ADMIN)
    framework = api.post("/api/v1/frameworks", json=FRAMEWORK).json["id"]
    api.as_role(Role.SUPERVISOR)
    marks = f"/api/v1/frameworks/{framework}/marks"
    api.post(marks, json={"indicator": "4.1", "mark": 9, "note": "问卷"})
    closed = api.post(f"/api/v1/frameworks/{framework}/close?year=2026")
    assert closed.status_code == 200 and closed.json["closed"] is True
    assert api.post(f"/api/v1/frameworks/{framework}/close?year=2026").status_code == 409
    refused = api.post(marks, json={"indicator": "4.1", "mark": 12, "note": "改"})
    assert refused.status_code == 409 and refused.json["error"]["code"] == "period_closed"
    assert api.post(f"/api/v1/frameworks/{framework}/reopen?year=2026").status_code == 403
    api.as_role(Role.ADMIN)
    reopened = api.post(f"/api/v1/frameworks/{framework}/reopen?year=2026")
    assert reopened.status_code == 200 and reopened.json["closed"] is False
    assert api.post(f"/api/v1/frameworks/{framework}/reopen?year=2026").status_code == 409
    assert api.post(f"/api/v1/frameworks/{framework}/close?year=1999").status_code == 400
