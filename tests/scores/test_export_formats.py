"""Exports people print and programs read: XLSX set up for A4, CSV in a data style, the 通报's
issuing unit and document number."""

import csv
import io
import uuid
from datetime import UTC, date, datetime

from openpyxl import load_workbook

from inspector.extensions import db
from inspector.models import Finding, FindingStatus, Role
from tests import factories

WEEK = "from=2026-11-23&to=2026-11-29"
MONDAY = datetime(2026, 11, 23, 2, tzinfo=UTC)


def two_departments():
    a = factories.new_site(department=factories.new_department(code="a", name="甲科"))
    b = factories.new_site(department=factories.new_department(code="b", name="=1+1"))
    checklist = factories.new_checklist()
    opener = factories.new_user()
    factories.new_inspection(a, 90.5, MONDAY, checklist=checklist, inspector=opener)
    factories.new_inspection(b, 60.0, MONDAY, checklist=checklist, critical=True, inspector=opener)
    for due in (date(2020, 1, 1), date(2099, 1, 1)):  # one overdue, one not yet
        db.session.add(
            Finding(
                uuid=str(uuid.uuid4()),
                site=a,
                department_id=a.department_id,
                title="积灰",
                status=FindingStatus.OPEN,
                due=due,
                created_by_id=opener.id,
            )
        )
    db.session.commit()


def test_data_csv_has_the_json_field_names_and_raw_values(api, app):
    two_departments()
    api.as_role(Role.SUPERVISOR)
    response = api.get(f"/api/v1/scores?{WEEK}&format=csv&style=data")
    assert not response.data.startswith(b"\xef\xbb\xbf")
    table = list(csv.DictReader(io.StringIO(response.data.decode("utf-8"))))
    assert list(table[0]) == [
        "department",
        "name",
        "inspections",
        "pending",
        "percent",
        "grade",
        "rank",
        "critical_failures",
        "vetoed",
    ]
    by_code = {row["department"]: row for row in table}
    assert by_code["a"]["percent"] == "90.5" and by_code["a"]["grade"] == "excellent"
    assert by_code["b"]["vetoed"] == "true" and by_code["b"]["name"] == "=1+1"
    assert api.get(f"/api/v1/scores?{WEEK}&format=csv&style=nope").status_code == 400


def test_xlsx_is_set_up_to_print_and_shows_findings(api, app):
    two_departments()
    api.as_role(Role.SUPERVISOR)
    data = api.get(f"/api/v1/scores?{WEEK}&format=xlsx", headers={"Accept-Language": "zh"}).data
    ws = load_workbook(io.BytesIO(data)).active
    assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.fitToWidth == 1  # 9: A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.print_title_rows == "$2:$2"
    assert ws["D3"].value == 90.5 and ws["D3"].number_format == '0.0"%"'
    header = [c.value for c in ws[2]]
    assert header[2] == "科室" and header[-2:] == ["未关闭整改", "逾期整改"]
    a = next(r for r in ws.iter_rows(min_row=3, values_only=True) if r[1] == "a")
    assert (a[2], a[-2], a[-1]) == ("甲科", 2, 1)
    b = next(r for r in ws.iter_rows(min_row=3) if r[1].value == "b")
    assert b[2].value == "=1+1" and b[2].data_type == "s"  # text, not a formula, no apostrophe


def test_the_printed_sheet_names_the_issuer_and_its_document_number(client, login_as, app):
    app.config["ORG_NAME"] = "桂花区文明办"
    login_as(Role.SUPERVISOR)
    page = client.get("/scores/print?period=2026-W48&number=文明办〔2026〕12号").text
    assert '<p class="issuer">桂花区文明办</p>' in page
    assert '<p class="doc-number">文明办〔2026〕12号</p>' in page
    assert '<th class="nowrap-words">关键项不合格</th>' in page
