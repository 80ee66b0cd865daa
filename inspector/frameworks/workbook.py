"""Reading a framework from the XLSX layout bureaus publish, one row per indicator.

Columns (found by their header, in any order): 测评项目, 指标, 测评内容, 分值, 测评方法, 评分标准;
optional 代码 (the indicator's code), 目标 (an activity target) and 关联 (links: kind codes, or
template:item pairs). A 测评项目 cell left empty (merged cells) repeats the one above. A row is
a veto condition when its 分值 says 一票否决, a bonus when its 测评项目 is 特色 or 加分 work.
Every fault names its row and column, as the person sees them in their spreadsheet.
"""

import io
import re
import zipfile

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from inspector.errors import ValidationError

SECTION, TITLE, CONTENT = "测评项目", "指标", "测评内容"
POINTS, METHOD, CRITERIA = "分值", "测评方法", "评分标准"
CODE, TARGET, LINKS = "代码", "目标", "关联"
COLUMNS = (SECTION, TITLE, CONTENT, POINTS, METHOD, CRITERIA)
REQUIRED = (TITLE, POINTS, METHOD)
# How bureaus write each method, most specific first; the English names work too.
METHODS = (
    ("实地", "inspection"),
    ("检查", "inspection"),
    ("督查", "inspection"),
    ("活动", "activity"),
    ("问卷", "survey"),
    ("调查", "survey"),
    ("测评", "survey"),
    ("资料", "material"),
    ("材料", "material"),
    ("台账", "material"),
    ("查阅", "material"),
)
ENGLISH = {"inspection", "activity", "material", "survey"}
VETO_WORDS = ("一票否决", "否决", "veto")
BONUS_WORDS = ("特色", "加分", "bonus")
MAX_UNPACKED = 30 * 1024 * 1024  # a small workbook that unpacks to more is a zip bomb
MAX_ROWS = 2000


def cell_place(row, letter, header) -> str:
    """A fault's key for one cell, as the API names it: "row 3, column D (分值)"."""
    return f"row {row}, column {letter} ({header})"


def row_place(row) -> str:
    """A fault's key for a whole row: "row 1"."""
    return f"row {row}"


# The keys above, read back to say them to a person (said_place).
CELL = re.compile(r"^row (\d+), column ([A-Z]+|\?) \((.+)\)$")
ROW = re.compile(r"^row (\d+)$")


def said_place(key: str) -> str:
    """A fault's place as the API names it (cell_place, row_place), said to a person in
    their language; any other key as it is."""
    if match := CELL.match(key):
        row, column, header = match.groups()
        return _("Row %(row)s, column %(column)s (%(header)s)", row=row, column=column,
                 header=header)  # fmt: skip
    if match := ROW.match(key):
        return _("Row %(row)s", row=match[1])
    return key


def bad(row, letter, header, message):
    where = cell_place(row, letter, header)
    return ValidationError({where: message}, f"Row {row}, column {letter} ({header}): {message}")


def open_sheet(data: bytes):
    """The first worksheet of an XLSX upload; 422 when it is none or unpacks to too much."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED:
                raise ValidationError({"file": _l("The workbook unpacks to too much data.")})
        # Imported here: openpyxl takes 0.1–0.2 s to import, paid by whoever reads a workbook,
        # not by every server start (docs/benchmarks.md, "Cold start").
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ValidationError:
        raise
    except Exception:  # openpyxl and zipfile raise many kinds for a damaged file
        raise ValidationError({"file": _l("Not a readable XLSX workbook.")}) from None
    return book.worksheets[0]


def text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def header_row(rows):
    """(row number, {header: column index}) of the first row naming 指标 and 分值."""
    for number, row in enumerate(rows[:10], start=1):
        names = {text(cell): index for index, cell in enumerate(row) if text(cell)}
        if TITLE in names and POINTS in names:
            return number, names
    message = _l("No header row with the columns %(columns)s.", columns=", ".join(COLUMNS))
    raise ValidationError({row_place(1): message}, message)


FIELD_COLUMNS = {
    "code": CODE,
    "title": TITLE,
    "points": POINTS,
    "method": METHOD,
    "criteria": CRITERIA,
    "content": CONTENT,
    "section": SECTION,
    "target": TARGET,
    "items": LINKS,
    "activity_kinds": LINKS,
}


def column_letter(number: int) -> str:
    """The sheet's name of a column: 1 is "A", 27 is "AA"."""
    from openpyxl.utils import get_column_letter  # imported here: see open_sheet

    return get_column_letter(number)


def where_in_sheet(field: str, rows: list[int], columns: dict) -> str:
    """Name a fault of the document ("indicators.3.items.0") by its row and column."""
    parts = field.split(".")
    if len(parts) < 3 or parts[0] != "indicators" or not parts[1].isdigit():
        return field
    header = FIELD_COLUMNS.get(parts[2], parts[2])
    index = columns.get(header)
    letter = column_letter(index + 1) if index is not None else "?"
    return cell_place(rows[int(parts[1])], letter, header)


def read_framework(data: bytes, code: str, name: str, year: int, bonus_cap=None):
    """(framework document, its rows' numbers, header columns) for an XLSX upload.

    The document is in the JSON format; a fault in a row is a 422 naming row and column.
    """
    rows = [tuple(row) for row in open_sheet(data).iter_rows(values_only=True)]
    if len(rows) > MAX_ROWS:
        raise ValidationError({"file": _l("At most %(n)d rows.", n=MAX_ROWS)})
    first, columns = header_row(rows)
    for header in REQUIRED:
        if header not in columns:
            missing = _l("Missing column %(header)s.", header=header)
            raise ValidationError({row_place(first): missing})
    indicators, section, numbers, row_numbers = [], "", {}, []
    for number, row in enumerate(rows[first:], start=first + 1):
        cells = {header: text(row[i]) if i < len(row) else "" for header, i in columns.items()}
        if not any(cells.values()):
            continue
        section = cells.get(SECTION) or section
        numbers[section] = numbers.get(section, 0) + 1
        indicators.append(indicator(number, cells, columns, section, numbers))
        row_numbers.append(number)
    if not indicators:
        raise ValidationError({"file": _l("The sheet has no indicator rows.")})
    document = {"code": code, "name": name, "year": year, "indicators": indicators}
    if bonus_cap is not None:
        document["bonus_cap"] = bonus_cap
    return document, row_numbers, columns


def indicator(number, cells, columns, section, numbers):
    """One row as an indicator of the JSON format."""

    def fault(header, message):
        return bad(number, column_letter(columns[header] + 1), header, message)

    title = cells[TITLE]
    if not title:
        raise fault(TITLE, _l("Name the indicator."))
    if len(title) > 200:
        raise fault(TITLE, _l("At most 200 characters."))
    method = method_of(cells[METHOD])
    if method is None:
        raise fault(METHOD, _l("Use 实地考察, 资料审核, 活动记录 or 问卷调查."))
    veto = any(word in cells[POINTS] or word in cells[METHOD] for word in VETO_WORDS)
    item = {
        "code": cells.get(CODE) or f"{len(numbers)}.{numbers[section]}",
        "title": title,
        "method": method,
        "section": section[:200],
        "content": cells.get(CONTENT, "")[:2000],
        "criteria": cells.get(CRITERIA, "")[:2000],
    }
    if veto:
        item["veto"] = True
    else:
        item["points"] = points_of(cells[POINTS], lambda m: fault(POINTS, m))
        if any(word in section for word in BONUS_WORDS):
            item["bonus"] = True
    if cells.get(TARGET):
        item["target"] = target_of(cells[TARGET], lambda m: fault(TARGET, m))
    item.update(links_of(cells.get(LINKS, ""), method, lambda m: fault(LINKS, m)))
    return item


def target_of(cell, fault):
    try:
        value = int(float(cell))
    except (ValueError, OverflowError):  # not a number, or inf / nan
        raise fault(_l("A whole number of records.")) from None
    if value < 1:
        raise fault(_l("A whole number of records."))
    return value


def links_of(cell, method, fault):
    """The 关联 column: kind codes for an activity indicator, else template:item pairs."""
    links = [part.strip() for part in cell.replace("，", ",").split(",") if part.strip()]
    if not links:
        return {}
    if method == "activity":
        return {"activity_kinds": links}
    pairs = [part.split(":", 1) for part in links]
    if any(len(pair) != 2 for pair in pairs):
        raise fault(_l("Link checklist items as template:item, separated by commas."))
    return {"items": [{"template": t.strip(), "item": k.strip()} for t, k in pairs]}


def method_of(cell):
    word = cell.strip().lower()
    if word in ENGLISH:
        return word
    for part, method in METHODS:
        if part in cell:
            return method
    return None


def points_of(cell, fault):
    try:
        value = float(cell.replace("分", "").strip())
    except ValueError:
        raise fault(_l("Points must be a number above 0.")) from None
    if not 0 < value <= 1000:
        raise fault(_l("Points must be a number above 0 (at most 1000)."))
    return int(value) if value.is_integer() else value
