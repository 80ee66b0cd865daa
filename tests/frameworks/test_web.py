"""Framework screens on the demo: the evaluation, marks, the binder and an XLSX import."""

import io
import re
import subprocess

from openpyxl import Workbook
from sqlalchemy import select

from inspector.demo import DEMO_PASSWORD
from inspector.models import Framework
from tests.conftest import csrf_token_from


def sign_in(client, username):
    page = client.get("/frameworks/")
    if page.status_code == 200:  # someone is signed in: sign them out first
        client.post("/logout", data={"csrf_token": csrf_token_from(page.text)})
    answer = client.post("/login", data={"username": username, "password": DEMO_PASSWORD},
                         headers={"Accept-Language": "zh"})  # fmt: skip
    assert answer.status_code in (302, 303), answer.text


def test_demo_evaluation_binder_and_import(client, demo, app):
    framework = app.extensions["sqlalchemy"].session.scalar(select(Framework))
    sign_in(client, "supervisor")
    page = client.get(f"/frameworks/{framework.id}")
    assert page.status_code == 200
    assert len(re.findall(r'<section class="card" data-indicator=', page.text)) == 16
    form = {"csrf_token": csrf_token_from(page.text), "indicator": "5.1", "mark": "8",
            "note": "台账 12 册", "year": str(framework.year)}  # fmt: skip
    # A mark out of range: that indicator's form again, open, with its fault and what was typed.
    refused = client.post(f"/frameworks/{framework.id}/marks", data={**form, "mark": "12"},
                          headers={"Accept-Language": "zh"})  # fmt: skip
    assert refused.status_code == 422
    section = refused.text.split('data-indicator="5.1"')[1].split("</section>")[0]
    assert "<details open>" in section and 'class="error" role="alert"' in section
    assert 'value="12"' in section and 'value="台账 12 册"' in section
    assert "<details open>" not in refused.text.split('data-indicator="5.1"')[0]
    assert client.post(f"/frameworks/{framework.id}/marks", data=form).status_code == 303
    assert "8.0 / 10" in client.get(f"/frameworks/{framework.id}").text
    binder = client.get(f"/frameworks/{framework.id}/binder").text
    assert binder.count('href="#i-') == 16 and "台账 12 册" in binder
    assert "/activities/" in binder and "/inspections/" in binder
    assert f"/frameworks/{framework.id}/binder.pdf" in binder
    closing(client, framework)
    sign_in(client, "admin")
    token = csrf_token_from(client.get(f"/frameworks/{framework.id}").text)
    reopened = client.post(f"/frameworks/{framework.id}/reopen", data={"csrf_token": token})
    assert reopened.status_code == 303
    assert client.get(f"/api/v1/frameworks/{framework.id}/evaluation").json["closed"] is False
    book = Workbook()
    book.active.append(["测评项目", "指标", "测评内容", "分值", "测评方法", "评分标准"])
    book.active.append(["环境", "窗明几净", "", 5, "实地考察", ""])
    data = io.BytesIO()
    book.save(data)
    token = csrf_token_from(client.get("/frameworks/").text)
    answer = client.post(
        "/frameworks/import",
        data={
            "csrf_token": token,
            "code": "wmdw",
            "year": "2027",
            "file": (io.BytesIO(data.getvalue()), "a.xlsx"),
        },  # fmt: skip
        content_type="multipart/form-data",
    )
    assert answer.status_code == 303 and "/frameworks/" in answer.location
    assert "第 2 版" in client.get(answer.location).text
    assert (
        app.extensions["sqlalchemy"].session.scalar(
            select(Framework.year).where(Framework.is_current)
        )
        == 2027
    )


def test_a_refused_import_says_its_faults_in_words_and_keeps_what_was_typed(client, demo):
    sign_in(client, "admin")
    token = csrf_token_from(client.get("/frameworks/").text)
    bad = Workbook()
    bad.active.append(["测评项目", "指标", "测评内容", "分值", "测评方法", "评分标准"])
    bad.active.append(["环境", "窗明几净", "", -5, "实地考察", ""])
    data = io.BytesIO()
    bad.save(data)
    form = {"csrf_token": token, "code": "wmdw-x", "year": "2027", "name": "测评体系草案",
            "file": (io.BytesIO(data.getvalue()), "b.xlsx")}  # fmt: skip
    refused = client.post("/frameworks/import", data=form, content_type="multipart/form-data",
                          headers={"Accept-Language": "zh"})  # fmt: skip
    assert refused.status_code == 422
    assert 'value="wmdw-x"' in refused.text and 'value="测评体系草案"' in refused.text
    assert 'role="alert">第 2 行 D 列（分值）：分值须为大于 0 的数（最多 1000）。' in refused.text
    empty = {"csrf_token": token, "code": "wmdw-y", "file": (io.BytesIO(b"{}"), "c.json")}
    refused = client.post("/frameworks/import", data=empty, content_type="multipart/form-data",
                          headers={"Accept-Language": "zh"})  # fmt: skip
    assert refused.status_code == 422 and "file:" not in refused.text


def closing(client, framework):
    """Closed: the results are kept as they were, marks are refused; an admin reopens it."""
    url = f"/frameworks/{framework.id}"
    token = csrf_token_from(client.get(url).text)
    before = client.get(f"/api/v1{url}/evaluation").json
    assert before["closed"] is False
    assert client.post(f"{url}/close", data={"csrf_token": token}).status_code == 303
    after = client.get(f"/api/v1{url}/evaluation").json
    assert after == {**before, "closed": True}
    form = {"csrf_token": token, "indicator": "5.1", "mark": "2", "note": "改",
            "year": str(framework.year)}  # fmt: skip
    client.post(f"{url}/marks", data=form)
    assert client.get(f"/api/v1{url}/evaluation").json == after
    assert client.post(f"{url}/reopen", data={"csrf_token": token}).status_code == 403


def test_the_binder_as_a_pdf_gives_page_numbers_and_photos(client, demo, app):
    framework = app.extensions["sqlalchemy"].session.scalar(select(Framework))
    sign_in(client, "supervisor")
    pdf = client.get(f"/frameworks/{framework.id}/binder.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.headers["Content-Disposition"].startswith("attachment")
    run = ["pdftotext", "-layout", "-", "-"]
    text = subprocess.run(run, input=pdf.data, capture_output=True, check=True).stdout.decode()
    pages = text.split("\f")[:-1]
    contents = pages[0]
    assert "台账" in contents and "5.1" in contents
    # Each indicator begins a page, and the contents give that page: "5.1 资料收集归档 …… 15".
    begins = {}
    for number, text in enumerate(pages[1:], start=2):
        for code in re.findall(r"^\s*(\d+\.\d+) ", text, re.M):
            begins.setdefault(code, number)
    assert len(begins) == 16
    for code, number in begins.items():
        assert re.search(rf"^\s*{re.escape(code)} .*\.{{3,}}\s*{number}$", contents, re.M), code
    assert pages[-1].strip().endswith(f"{len(pages)} / {len(pages)}")  # numbered pages
    assert b"/Subtype /Image" in pdf.data  # the activities' photos, read from storage
