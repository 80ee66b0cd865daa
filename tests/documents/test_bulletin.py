"""The 通报 as Word and PDF: the same departments, percents, grades and ranks as the JSON."""

import io
import posixpath
import subprocess
import zipfile
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from docx import Document
from docx.shared import Mm

from inspector.clock import local_now
from inspector.models import Role

NUMBER = "文明办〔2026〕12号"
ZH = {"Accept-Language": "zh"}
GRADES_ZH = {"excellent": "优秀", "good": "良好", "pass": "合格", "fail": "不合格"}


def demo_range():
    """Sixty days up to today: every demo inspection, whatever day the suite runs."""
    today = local_now().date()
    return {"from": str(today - timedelta(days=60)), "to": str(today)}


def sheet_and(api, kind, **extra):
    query = {**demo_range(), **extra}
    sheet = api.get("/api/v1/scores", query_string=query).json
    document = api.get("/api/v1/scores", query_string={**query, "format": kind}, headers=ZH)
    assert document.status_code == 200, document.text[:300]
    ranked = [row for row in sheet["departments"] if row["rank"] is not None]
    assert len(ranked) >= 3  # the demo ranks its departments: the comparison means something
    return sheet, document


def expected_row(row):
    grade = GRADES_ZH[row["grade"]] if row["grade"] else "—"
    percent = "—" if row["percent"] is None else str(row["percent"])
    return [str(row["rank"] or "—"), row["name"], percent, grade]


def test_docx_has_the_json_ranking_in_real_tables(app, api, demo):
    api.as_role(Role.SUPERVISOR)
    sheet, answer = sheet_and(api, "docx", number=NUMBER)
    assert answer.mimetype == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert answer.headers["Content-Disposition"].startswith("attachment;")
    document = Document(io.BytesIO(answer.data))
    ranking = document.tables[0]
    assert [c.text for c in ranking.rows[0].cells][:4] == ["名次", "科室", "得分率", "等级"]
    rows = [[c.text for c in row.cells] for row in ranking.rows[1:]]
    assert [row[:4] for row in rows] == [expected_row(r) for r in sheet["departments"]]
    vetoed = [row[6] == "一票否决" for row in rows]
    assert vetoed == [r["vetoed"] for r in sheet["departments"]]
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == app.config["ORG_NAME"] and texts[1] == NUMBER
    assert "文明单位创建考核评比通报" in texts
    best = next(r for r in sheet["departments"] if r["rank"] == 1)
    assert any(best["name"] in t and t.startswith("排名第一") for t in texts)
    # Editable: Word's own styles and a grid table, on A4.
    assert ranking.style.name == "Table Grid"
    assert document.paragraphs[2].style.name == "Title"
    section = document.sections[0]
    assert (round(section.page_width / Mm(1)), round(section.page_height / Mm(1))) == (210, 297)
    # Open and overdue findings per department, in the last table.
    findings = [[c.text for c in row.cells] for row in document.tables[-1].rows[1:]]
    assert [row[0] for row in findings] == [r["name"] for r in sheet["departments"]]
    assert sum(int(row[1]) for row in findings) > 0
    # The items failed most often: their count is headed as failures, not as a failed send.
    headers = [[c.text for c in t.rows[0].cells] for t in document.tables]
    assert ["检查项", "不合格", "问题照片"] in headers
    assert_valid_package(answer.data)


def assert_valid_package(data):
    """The DOCX's package holds together as Word and LibreOffice read it: every XML part
    parses, every part has a declared content type, every internal relationship's target
    exists (no LibreOffice on the test machines to convert it)."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = set(package.namelist())
        types = ElementTree.fromstring(package.read("[Content_Types].xml"))
        defaults = {e.get("Extension").lower() for e in types if e.tag.endswith("Default")}
        overrides = {e.get("PartName").lstrip("/") for e in types if e.tag.endswith("Override")}
        for name in names - {"[Content_Types].xml"}:
            assert name in overrides or name.rsplit(".", 1)[-1].lower() in defaults, name
            if name.endswith((".xml", ".rels")):
                root = ElementTree.fromstring(package.read(name))  # raises if not well-formed
                if name.endswith(".rels"):
                    base = posixpath.dirname(posixpath.dirname(name))
                    for relation in root:
                        if relation.get("TargetMode") == "External":
                            continue
                        target = relation.get("Target").lstrip("/")
                        if not relation.get("Target").startswith("/"):
                            target = posixpath.normpath(posixpath.join(base, target))
                        assert target in names, (name, target)
        assert "word/document.xml" in names and "word/styles.xml" in names


def pdf_text(data, *options):
    return subprocess.run(
        ["pdftotext", *options, "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def test_pdf_text_has_the_ranking_in_order_and_the_font_embedded(app, api, demo):
    api.as_role(Role.SUPERVISOR)
    sheet, answer = sheet_and(api, "pdf", final="false", number=NUMBER)
    assert answer.mimetype == "application/pdf"
    text = pdf_text(answer.data, "-layout")
    assert app.config["ORG_NAME"] in text.replace(" ", "") and NUMBER in text
    assert "暂定" in text and "制表人" in text and "审核人" in text
    assert "发送失败" not in text  # the failed items' column says 不合格
    # The ranking table: from its header to the note under it, one line per department.
    table = text.split("关键项不合格", 1)[1].split("得分率为各次", 1)[0]
    ranking = [line.split() for line in table.splitlines() if line.strip()]
    assert [line[:4] for line in ranking] == [expected_row(r) for r in sheet["departments"]]
    fonts = subprocess.run(
        ["pdffonts", "-"], input=answer.data, capture_output=True, check=True
    ).stdout.decode()
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk and all(" yes yes yes " in line for line in cjk)  # embedded, subset, Unicode


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"format": "pdf", "number": "号" * 65}, 422),
        ({"format": "docx", "number": "a\x07b"}, 422),
        ({"format": "odt"}, 400),
    ],
)
def test_bad_document_requests_are_refused(api, query, status):
    api.as_role(Role.LEAD)
    answer = api.get("/api/v1/scores", query_string={**demo_range(), **query})
    assert answer.status_code == status
    assert answer.json["error"]["code"]


def test_score_sheet_offers_the_bulletin_and_downloads_it(app, client, login_as):
    login_as(Role.LEAD)
    page = client.get("/scores/?kind=month", headers=ZH).text
    assert 'data-download="docx"' in page and 'data-download="pdf"' in page
    answer = client.get(
        "/scores/bulletin", query_string={"format": "docx", "kind": "month", "number": NUMBER}
    )
    assert answer.status_code == 200
    document = Document(io.BytesIO(answer.data))
    assert document.paragraphs[1].text == NUMBER
