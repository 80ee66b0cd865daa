"""Editing a framework in the browser, field by field: a new version, faults on their rows."""

from werkzeug.datastructures import MultiDict

from inspector.extensions import db
from inspector.frameworks import editor
from inspector.models import Framework, Role
from tests.conftest import csrf_token_from
from tests.frameworks.test_api import FRAMEWORK, world  # noqa: F401 (the fixture)


def form_of(document, **changes):
    """The edit form as the browser sends it for `document`, with `changes` (name: value)."""
    rows = [*editor.rows_of(document), editor.rows_of({"indicators": [editor_blank()]})[0]]
    form = MultiDict(
        {
            "name": document["name"],
            "year": str(document["year"]),
            "bonus_cap": str(document.get("bonus_cap", "")),
            "rows": str(len(rows)),
        }
    )
    for n, row in enumerate(rows):
        for name in editor.FIELDS:
            form[f"ind-{n}-{name}"] = row[name]
        for kind in row["activity_kinds"]:
            form.add(f"ind-{n}-activity_kinds", kind)
        for flag in editor.FLAGS:
            if row[flag]:
                form[f"ind-{n}-{flag}"] = "1"
    for name, value in changes.items():
        form[name] = value
    return form


def editor_blank():
    return {"code": "", "title": "", "method": "material"}


def test_the_form_gives_back_the_document_it_shows():
    form = form_of(FRAMEWORK)
    rows = editor.rows_from_form(form, int(form["rows"]))
    header = {"code": FRAMEWORK["code"], "name": FRAMEWORK["name"], "year": 2026, "bonus_cap": 10}
    document, origin = editor.document_from(header, rows)
    assert document == FRAMEWORK  # the empty row for adding is left out
    assert origin == list(range(len(FRAMEWORK["indicators"])))


def test_faults_are_told_on_the_rows_they_came_from():
    rows = editor.rows_from_form(form_of(FRAMEWORK, **{"ind-1-remove": "1"}), 7)
    _document, origin = editor.document_from({"code": "x"}, rows)
    assert origin == [0, 2, 3, 4, 5]  # the second removed
    by_row, other = editor.faults_by_row(
        {"indicators.1.points": "too many", "indicators.1.items.0": "no such", "name": "empty"},
        origin,
    )
    assert by_row == {2: {"points": "too many", "items": "no such"}} and other == {"name": "empty"}


def test_an_admin_edits_a_framework_into_its_next_version(client, login_as, api, world):  # noqa: F811
    api.as_role(Role.ADMIN)
    framework_id = api.post("/api/v1/frameworks", json=FRAMEWORK).json["id"]
    login_as(Role.ADMIN)
    page = client.get(f"/frameworks/{framework_id}/edit")
    assert page.status_code == 200 and 'name="ind-6-code"' in page.text  # six, and one to add
    form = form_of(FRAMEWORK, **{
        "csrf_token": csrf_token_from(page.text), "action": "save",
        "ind-0-title": "办公环境整洁有序", "ind-0-points": "12",
        "ind-3-remove": "1",  # 群众满意度 goes
        "ind-6-code": "7.1", "ind-6-title": "志愿服务", "ind-6-points": "5",
        "ind-6-method": "activity", "ind-6-target": "12",
    })  # fmt: skip
    form.setlist("ind-6-activity_kinds", ["political-study"])
    saved = client.post(f"/frameworks/{framework_id}/edit", data=form)
    assert saved.status_code == 303, saved.text
    current = db.session.scalar(db.select(Framework).where(Framework.is_current))
    assert current.version == 2 and current.id != framework_id
    codes = [i.code for i in current.indicators]
    assert codes == ["1.1", "2.1", "3.1", "5.1", "6.1", "7.1"]
    first, added = current.indicators[0], current.indicators[-1]
    assert (first.title, float(first.points)) == ("办公环境整洁有序", 12.0)
    assert (added.method, added.target, added.activity_kinds) == (
        "activity",
        12,
        ["political-study"],
    )
    # The old version is no longer edited: its page sends the admin to the current one.
    stale = client.get(f"/frameworks/{framework_id}/edit")
    assert stale.status_code == 303


def test_a_fault_is_shown_on_its_row_and_nothing_is_saved(client, login_as, api, world):  # noqa: F811
    api.as_role(Role.ADMIN)
    framework_id = api.post("/api/v1/frameworks", json=FRAMEWORK).json["id"]
    login_as(Role.ADMIN)
    page = client.get(f"/frameworks/{framework_id}/edit", headers={"Accept-Language": "en"})
    form = form_of(FRAMEWORK, **{
        "csrf_token": csrf_token_from(page.text), "action": "save",
        "ind-2-points": "lots", "ind-4-items": "office-weekly:no-such-item",
    })  # fmt: skip
    refused = client.post(f"/frameworks/{framework_id}/edit", data=form,
                          headers={"Accept-Language": "en"})  # fmt: skip
    assert refused.status_code == 422
    assert 'data-row="2"' in refused.text and "Nothing was saved" in refused.text
    assert 'value="lots"' in refused.text  # what was typed stays
    assert db.session.query(Framework).count() == 1
    # Adding a row keeps what was typed and saves nothing.
    more = client.post(f"/frameworks/{framework_id}/edit", data={**form, "action": "add"})
    assert more.status_code == 200 and 'name="ind-7-code"' in more.text
    assert db.session.query(Framework).count() == 1


def test_only_admins_edit(client, login_as, api, world):  # noqa: F811
    api.as_role(Role.ADMIN)
    framework_id = api.post("/api/v1/frameworks", json=FRAMEWORK).json["id"]
    login_as(Role.SUPERVISOR)
    assert client.get(f"/frameworks/{framework_id}/edit").status_code == 403
