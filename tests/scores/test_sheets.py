"""Score sheets: roll-ups checked against hand-computed cases, periods, exports, closing."""

import csv
import io
import re
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from openpyxl import load_workbook

from inspector.extensions import db
from inspector.models import AuditEvent, Role
from inspector.periods import parse_period, period_containing
from inspector.scores.rollup import department_scores
from tests import factories

SETTINGS = {
    "TIMEZONE": "Asia/Shanghai",
    "GRADE_THRESHOLDS": {"excellent": 90, "good": 80, "pass": 60},
}
MONDAY = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 10:00 in Shanghai


@pytest.fixture
def org(app):
    checklist = factories.new_checklist()
    inspector = factories.new_user()
    sites = {}
    for code in ("a", "b", "c", "d", "e"):
        sites[code] = factories.new_site(department=factories.new_department(code=code))
    db.session.commit()

    def inspect(code, percent, when=MONDAY, **kwargs):
        return factories.new_inspection(
            sites[code], percent, when, checklist=checklist, inspector=inspector, **kwargs
        )

    return inspect


def rows(first=date(2026, 11, 23), last=date(2026, 11, 29), final=False):
    sheet = department_scores(first, last, final, SETTINGS)
    return {row["department"]: row for row in sheet["departments"]}, sheet


def test_means_rounding_ties_and_empty_departments_last(org):
    org("a", 81.3), org("a", 90.0), org("a", 77.7)  # mean 83.0
    org("b", 95.0), org("b", 70.0)  # 82.5
    org("c", 82.5)  # ties with b
    org("d", 66.7), org("d", 66.6)  # 66.65 -> 66.7 (half up)
    by_code, sheet = rows()
    assert [r["department"] for r in sheet["departments"]] == ["a", "b", "c", "d", "e"]
    assert [by_code[c]["percent"] for c in "abcde"] == [83.0, 82.5, 82.5, 66.7, None]
    assert [by_code[c]["rank"] for c in "abcde"] == [1, 2, 2, 4, None]
    assert [by_code[c]["grade"] for c in "abcde"] == ["good", "good", "good", "pass", None]
    assert by_code["a"]["inspections"] == 3 and by_code["e"]["inspections"] == 0


def test_veto_forces_fail_whatever_the_percent(org):
    org("a", 98.0), org("a", 96.0, critical=True)
    row = rows()[0]["a"]
    assert (row["percent"], row["vetoed"], row["grade"], row["critical_failures"]) == (
        97.0,
        True,
        "fail",
        1,
    )
    assert row["rank"] == 1  # ranking is by percent; the veto shows in the grade


def test_final_counts_approved_only_and_pending_counts_the_rest(org):
    org("a", 90.0, status="approved"), org("a", 50.0, status="submitted")
    org("a", 10.0, status="draft"), org("a", 20.0, status="returned")
    provisional = rows()[0]["a"]
    assert (provisional["inspections"], provisional["pending"], provisional["percent"]) == (
        2,
        1,
        70.0,
    )
    final = rows(final=True)[0]["a"]
    assert (final["inspections"], final["pending"], final["percent"]) == (1, 0, 90.0)


def test_null_percents_are_skipped_in_the_mean(org):
    org("a", None), org("a", 80.0)
    row = rows()[0]["a"]
    assert (row["inspections"], row["percent"]) == (2, 80.0)


def test_sunday_midnight_in_shanghai_decides_the_week(org):
    org("a", 50.0, when=datetime(2026, 11, 22, 15, 59, 59, tzinfo=UTC))  # Sun 23:59:59
    org("a", 100.0, when=datetime(2026, 11, 22, 16, 0, 0, tzinfo=UTC))  # Mon 00:00:00
    this_week = rows()[0]["a"]
    last_week = rows(date(2026, 11, 16), date(2026, 11, 22))[0]["a"]
    assert (this_week["inspections"], this_week["percent"]) == (1, 100.0)
    assert (last_week["inspections"], last_week["percent"]) == (1, 50.0)


@pytest.mark.parametrize(
    "key, first, last",
    [
        ("2026-W48", date(2026, 11, 23), date(2026, 11, 29)),
        ("2026-W01", date(2025, 12, 29), date(2026, 1, 4)),
        ("2026-02", date(2026, 2, 1), date(2026, 2, 28)),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31)),
        ("2026", date(2026, 1, 1), date(2026, 12, 31)),
        ("2026-11-03..2026-11-09", date(2026, 11, 3), date(2026, 11, 9)),
    ],
)
def test_periods(key, first, last):
    period = parse_period(key)
    assert (period.first, period.last, period.key) == (first, last, key)


def test_previous_and_next_periods():
    week = period_containing(date(2026, 1, 1), "week")
    assert week.previous().key == "2025-W52" and week.next().key == "2026-W02"
    assert parse_period("2026-01").previous().key == "2025-12"
    assert parse_period("2026-Q1").previous().key == "2025-Q4"


def test_scores_api_json(api, org):
    org("a", 90.0), org("b", 70.0, status="approved")
    api.as_role(Role.LEAD, department=None)
    body = api.get("/api/v1/scores?from=2026-11-23&to=2026-11-29").json
    assert body["from"] == "2026-11-23" and body["to"] == "2026-11-29"
    assert set(body["departments"][0]) >= {
        "department",
        "name",
        "inspections",
        "pending",
        "percent",
        "grade",
        "rank",
        "critical_failures",
        "vetoed",
    }
    final = api.get("/api/v1/scores?from=2026-11-23&to=2026-11-29&final=true").json
    assert [d["department"] for d in final["departments"] if d["rank"]] == ["b"]
    assert api.get("/api/v1/scores?from=2026-11-23").status_code == 400
    assert api.get("/api/v1/scores?from=x&to=y").status_code == 400


def test_csv_export_is_excel_friendly_and_formula_safe(api, org, app):
    factories.new_department(code="evil", name='=HYPERLINK("http://x","点我")')
    org("a", 90.5)
    api.as_role(Role.SUPERVISOR)
    response = api.get(
        "/api/v1/scores?from=2026-11-23&to=2026-11-29&format=csv",
        headers={"Accept-Language": "zh-CN"},
    )
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM
    table = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert "2026-11-23" in table[0][0]
    assert table[1][:3] == ["名次", "编号", "科室"]
    first = table[2]
    assert first[:5] == ["1", "a", first[2], "90.5", "优秀"]
    evil = next(row for row in table[1:] if row[1] == "evil")
    assert evil[2].startswith("'=")


def test_xlsx_export_types_headers_and_formula_safety(api, org):
    factories.new_department(code="evil", name="@SUM(1+1)")
    org("a", 90.5), org("b", 60.0, critical=True)
    api.as_role(Role.SUPERVISOR)
    response = api.get(
        "/api/v1/scores?from=2026-11-23&to=2026-11-29&format=xlsx",
        headers={"Accept-Language": "zh-CN"},
    )
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert "2026-11-23" in sheet["A1"].value
    assert [c.value for c in sheet[2]][:3] == ["名次", "编号", "科室"]
    assert sheet.freeze_panes == "A3"
    assert sheet["A3"].value == 1 and isinstance(sheet["D3"].value, float)
    assert sheet["D3"].value == 90.5 and sheet["E3"].value == "优秀"
    vetoed = next(row for row in sheet.iter_rows(min_row=3, values_only=True) if row[1] == "b")
    assert vetoed[4] == "不合格" and vetoed[8] == "是"
    evil = next(row for row in sheet.iter_rows(min_row=3) if row[1].value == "evil")
    # Stored as text, so no apostrophe is needed (or shown) to keep it from running.
    assert evil[2].value == "@SUM(1+1)" and evil[2].data_type == "s"


def test_closing_freezes_the_numbers_and_blocks_late_reviews(app, client, login_as, org):
    late = org("a", 50.0, status="submitted")
    org("b", 80.0, status="approved")
    login_as(Role.SUPERVISOR)
    response = client.post("/scores/close?period=2026-W48", data={"confirm": "yes", "early": "yes"})
    assert response.status_code == 303
    org("a", 100.0, status="submitted")  # arrives after closing
    from inspector.scores.closing import score_sheet

    frozen = score_sheet(date(2026, 11, 23), date(2026, 11, 29), False, SETTINGS)
    assert frozen["closed"] is True
    assert {r["department"]: r["percent"] for r in frozen["departments"]}["a"] == 50.0
    review = client.post(
        f"/inspections/{late.uuid}/decision",
        data={"decision": "approve"},
        headers={"Accept-Language": "en"},
    )
    assert review.status_code == 303
    db.session.refresh(late)
    assert late.status == "submitted"  # refused: the period is closed
    assert db.session.query(AuditEvent).filter_by(action="period.close").count() == 1


def test_only_admins_reopen(app, client, login_as, org):
    org("a", 50.0)
    login_as(Role.SUPERVISOR)
    client.post("/scores/close?period=2026-W48", data={"confirm": "yes", "early": "yes"})
    from inspector.models import ClosedPeriod

    closed = db.session.query(ClosedPeriod).one()
    assert client.post(f"/scores/reopen/{closed.id}").status_code == 403
    admin = app.test_client()
    boss = factories.new_user(role=Role.ADMIN)
    admin.post("/login", data={"username": boss.username, "password": factories.PASSWORD})
    assert admin.post(f"/scores/reopen/{closed.id}").status_code == 303
    db.session.refresh(closed)
    assert closed.reopened_at is not None
    assert db.session.query(AuditEvent).filter_by(action="period.reopen").count() == 1


def test_hot_spots_rank_items_by_failures(api, app):
    from inspector.scores.hotspots import hot_spots
    from tests.inspections.test_api import ALL_PASS, replace

    department = factories.new_department(code="finance")
    factories.new_site(department=department, code="A-302")
    checklist = factories.new_checklist()
    inspector = api.as_role(Role.INSPECTOR)
    photo = factories.new_photo(inspector)
    db.session.commit()
    for n in range(3):
        responses = replace(ALL_PASS, "litter", answer={"count": 1})
        if n == 0:
            responses = replace(responses, "documents", answer="fail", photos=[photo.uuid])
        body = {
            "template": checklist.id,
            "site": "A-302",
            "submit": True,
            "responses": responses,
            "started_at": "2026-11-23T09:00:00+08:00",
            "submitted_at": "2026-11-23T10:00:00+08:00",
        }
        import uuid

        api.put(f"/api/v1/inspections/{uuid.uuid4()}", json=body)
    spots = hot_spots(date(2026, 11, 23), date(2026, 11, 29), SETTINGS)
    assert [(s["item"], s["failures"], s["checked"]) for s in spots] == [
        ("litter", 3, 3),
        ("documents", 1, 3),
    ]


def hot_spots_by_hand(first, last, department=None, limit=20):
    """Hot spots counted one response at a time, the way the rules read."""
    from sqlalchemy import select

    from inspector.models import Response
    from inspector.periods import day_bounds

    start, end = day_bounds(first, last, SETTINGS["TIMEZONE"])
    totals = {}
    for response in db.session.scalars(select(Response)):
        inspection = response.inspection
        counted = inspection.status in ("submitted", "approved") and (
            start <= inspection.submitted_at < end
        )
        if not counted or response.possible is None:
            continue
        if department is not None and inspection.department_id != department.id:
            continue
        key = (response.item.checklist.code, response.item.key)
        failures, checked = totals.get(key, (0, 0))
        totals[key] = (failures + response.failed, checked + 1)
    found = [(code, key, f, c) for (code, key), (f, c) in totals.items() if f]
    # The stated order: failure rate, then failures, then checklist code and item key.
    return sorted(found, key=lambda row: (-row[2] / row[3], -row[2], row[0], row[1]))[:limit]


def test_hot_spots_match_a_count_by_hand(app):
    """Versions of one checklist add up; N/A, drafts, returned and other days don't count."""
    import random
    import uuid

    from inspector.demo.checklists import OFFICE_WEEKLY
    from inspector.models import Inspection, Response
    from inspector.scores.hotspots import hot_spots

    rng = random.Random(48)
    checklists = [
        factories.new_checklist(OFFICE_WEEKLY),
        factories.new_checklist(OFFICE_WEEKLY),  # version 2: new item ids, same keys
        factories.new_checklist({**OFFICE_WEEKLY, "code": "office-daily"}),
    ]
    departments = [factories.new_department(), factories.new_department()]
    sites = [factories.new_site(department=d) for d in departments]
    inspector = factories.new_user()
    for n in range(60):
        checklist, site = rng.choice(checklists), rng.choice(sites)
        when = datetime(2026, 11, 16, tzinfo=UTC) + timedelta(hours=8 * n + n % 5)
        inspection = Inspection(
            uuid=str(uuid.uuid4()),
            checklist_id=checklist.id,
            site_id=site.id,
            department_id=site.department_id,
            inspector_id=inspector.id,
            status=rng.choice(["submitted", "approved", "approved", "returned", "draft"]),
            started_at=when,
            submitted_at=when,
        )
        for item in checklist.items:
            na = rng.random() < 0.15
            inspection.responses.append(
                Response(
                    item_id=item.id,
                    answer="na" if na else "pass",
                    possible=None if na or item.points is None else item.points,
                    failed=not na and rng.random() < 0.3,
                )
            )
        db.session.add(inspection)
    db.session.commit()

    week = (date(2026, 11, 23), date(2026, 11, 29))
    for department in (None, *departments):
        for limit in (20, 5):
            spots = hot_spots(*week, SETTINGS, department=department, limit=limit)
            found = [(s["checklist"], s["item"], s["failures"], s["checked"]) for s in spots]
            assert found == hot_spots_by_hand(*week, department=department, limit=limit)
            assert found


def test_coverage_marks_done_due_and_overdue(app):
    from inspector.scores.coverage import weekly_coverage

    department = factories.new_department()
    done = factories.new_site(department=department, code="done")
    due = factories.new_site(department=department, code="due")
    overdue = factories.new_site(department=department, code="overdue")
    factories.new_inspection(done, 90.0, MONDAY)
    factories.new_inspection(due, 90.0, datetime(2026, 11, 17, tzinfo=UTC))  # last week
    db.session.commit()
    week = parse_period("2026-W48")
    states = {row["site"].code: row["state"] for row in weekly_coverage(week, SETTINGS)}
    assert states == {"done": "done", "due": "due", "overdue": "overdue"}
    assert overdue.id


@pytest.mark.parametrize(
    "url",
    [
        "/scores/",
        "/scores/?kind=month",
        "/scores/?kind=year",
        "/scores/?period=2026-Q4&final=1",
        "/scores/hotspots",
        "/scores/coverage",
        "/scores/print?period=2026-W48",
        "/scores/departments/a?period=2026-W48",
    ],
)
@pytest.mark.parametrize("role", list(Role))
def test_score_screens_render_for_every_role(client, login_as, org, url, role):
    org("a", 90.0)
    login_as(role)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "language, said",
    [
        ("zh", {"c": ["1", "96.0%", "不合格 · 一票否决", "1 次检查", "1 次关键项不合格"],
                "a": ["2", "95.0%", "优秀", "1 次检查", "1 份待审核"],
                "b": ["3", "85.0%", "良好", "1 次检查"]}),
        ("en", {"c": ["1", "96.0%", "Fail grade · veto", "1 inspection", "1 critical failure"],
                "a": ["2", "95.0%", "Excellent", "1 inspection", "1 awaiting review"],
                "b": ["3", "85.0%", "Good", "1 inspection"]}),
    ],
)  # fmt: skip
def test_the_web_sheet_says_each_row_in_the_readers_language(client, login_as, org, language, said):
    """Each row's rank, percent, grade and counts, as the sheet's loop renders them (ranked by
    percent: the veto shows in the grade)."""
    org("a", 95.0), org("b", 85.0, status="approved"), org("c", 96.0, critical=True)
    db.session.commit()
    login_as(Role.SUPERVISOR)
    page = client.get("/scores/?period=2026-W48", headers={"Accept-Language": language}).text
    rows = {}
    for row in page.split('<li class="rank-row')[1:]:
        code = re.search(r'href="/scores/departments/(\w+)', row)[1]
        rows[code] = re.sub(r"<[^>]+>", " ", row.split(">", 1)[1].split("</li>")[0]).split()
    for code, (rank, *parts) in said.items():
        text = " ".join(rows[code])
        assert rows[code][0] == rank and all(part in text for part in parts), (code, text)
    assert not any("待审核" in word or "awaiting" in word for word in rows["b"])  # approved


def test_closing_shows_what_is_unfinished_and_needs_confirming(app, client, login_as, org):
    org("a", 50.0, status="submitted")
    org("a", 70.0, status="returned")
    org("b", 80.0, status="approved")
    login_as(Role.SUPERVISOR)
    page = client.get("/scores/close?period=2026-W48", headers={"Accept-Language": "en"}).text
    assert "awaiting review" in page and "returned for correction" in page
    # Without the confirmation the close page is shown again, and nothing closes.
    assert client.post("/scores/close?period=2026-W48").status_code == 200
    from inspector.models import ClosedPeriod

    assert db.session.query(ClosedPeriod).count() == 0


def test_a_period_that_has_not_ended_closes_only_when_confirmed_early(app, client, login_as, org):
    from inspector.clock import local_now
    from inspector.models import ClosedPeriod

    login_as(Role.SUPERVISOR)
    this_week = period_containing(local_now().date(), "week")
    page = client.get(f"/scores/close?period={this_week.key}", headers={"Accept-Language": "en"})
    assert "has not ended" in page.text and 'name="early"' in page.text
    refused = client.post(f"/scores/close?period={this_week.key}", data={"confirm": "yes"})
    assert refused.status_code == 303 and db.session.query(ClosedPeriod).count() == 0
    done = client.post(
        f"/scores/close?period={this_week.key}", data={"confirm": "yes", "early": "yes"}
    )
    assert done.status_code == 303 and db.session.query(ClosedPeriod).count() == 1
    # A past week needs no early confirmation.
    last_week = this_week.previous()
    client.post(f"/scores/close?period={last_week.key}", data={"confirm": "yes"})
    assert db.session.query(ClosedPeriod).count() == 2


def test_a_closed_period_hides_review_and_warns_who_submits_into_it(app, client, login_as, org):
    from inspector.clock import local_now

    late = org("a", 50.0, status="submitted")
    login_as(Role.SUPERVISOR)
    client.post("/scores/close?period=2026-W48", data={"confirm": "yes", "early": "yes"})
    page = client.get(f"/inspections/{late.uuid}", headers={"Accept-Language": "en"}).text
    assert 'value="approve"' not in page and "can no longer be approved" in page
    # An inspector about to submit into today's closed period is told before submitting: the
    # phone's review screen (static/js/screens/review.js) reads it from the field data.
    today = period_containing(local_now().date(), "week")
    client.post(f"/scores/close?period={today.key}", data={"confirm": "yes", "early": "yes"})
    inspector = factories.new_user(role=Role.INSPECTOR)
    db.session.commit()
    other = app.test_client()
    other.post("/login", data={"username": inspector.username, "password": factories.PASSWORD})
    data = other.get("/field/data.json").json
    assert data["closed_period"] == {"first": str(today.first), "last": str(today.last)}
    shell = other.get(
        f"/field/inspections/{uuid.uuid4()}/review", headers={"Accept-Language": "en"}
    )
    assert "is closed" in shell.text and "counts in the score sheet only after" in shell.text


def cells(kind, data):
    """What a score file says: an XLSX's bytes also hold the time it was written."""
    if kind == "csv":
        return data
    return [list(row) for row in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_files_have_their_own_urls_and_one_charset(api, org, kind, login_as, client):
    org("a", 90.5)
    api.as_role(Role.SUPERVISOR)
    query = "from=2026-11-23&to=2026-11-29"
    by_format = api.get(f"/api/v1/scores?{query}&format={kind}")
    by_url = api.get(f"/api/v1/scores.{kind}?{query}")
    assert by_url.status_code == 200 and cells(kind, by_url.data) == cells(kind, by_format.data)
    assert by_url.headers["Content-Type"] == by_format.headers["Content-Type"]
    assert by_url.headers["Content-Type"].count("charset") == (kind == "csv")
    assert (
        f'filename="scores-2026-11-23-2026-11-29.{kind}"' in by_url.headers["Content-Disposition"]
    )
    login_as(Role.SUPERVISOR)
    web = client.get(f"/scores/export.{kind}?period=2026-W48")
    assert web.headers["Content-Type"] == by_url.headers["Content-Type"]
