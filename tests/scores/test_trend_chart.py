"""Trends a person can read: the department's 12-period chart with values, wider sparklines."""

import re
from datetime import UTC, datetime

from inspector.extensions import db
from inspector.models import Role
from inspector.periods import parse_period
from inspector.scores.charts import short_period_label, sparkline, trend_chart
from tests import factories


def test_the_chart_writes_each_value_and_marks_empty_periods():
    svg = trend_chart([("W46", None), ("W47", 82.5), ("W48", 90.0)])
    assert re.findall(r'class="value"[^>]*>([^<]+)<', svg) == ["82.5", "90"]
    assert 'class="value none"' in svg and ">W46<" in svg and svg.count('class="bar"') == 2
    assert 'aria-label="W46: —, W47: 82.5, W48: 90"' in svg


def test_sparklines_span_the_whole_width_even_with_little_data():
    svg = sparkline([None] * 10 + [80.0, 90.0])
    assert 'width="158"' in svg and '<line x1="0"' in svg and svg.count("<circle") == 2


def test_short_labels():
    assert [short_period_label(k) for k in ("2026-W48", "2026-11", "2026-Q4", "2026")] == [
        "W48",
        "11",
        "Q4",
        "2026",
    ]


def test_the_department_page_draws_its_last_12_weeks(client, login_as, app):
    site = factories.new_site(department=factories.new_department(code="fin"))
    inspector = factories.new_user()
    for week, percent in (("2026-W48", 90.0), ("2026-W46", 70.5)):
        day = parse_period(week).first
        factories.new_inspection(
            site,
            percent,
            datetime.combine(day, datetime.min.time(), tzinfo=UTC).replace(hour=4),
            inspector=inspector,
        )
    db.session.commit()
    login_as(Role.SUPERVISOR)
    page = client.get("/scores/departments/fin?period=2026-W48").text
    chart = page.split('<svg class="trend-chart"')[1].split("</svg>")[0]
    # Twelve columns on a phone: their values are written smaller, so neighbours never touch.
    assert re.findall(r'class="value dense"[^>]*>([^<]+)<', chart) == ["70.5", "90"]
    assert chart.count('class="axis" x=') >= 12 and ">W37<" in chart and ">W48<" in chart
