"""Page weight and requests of each main screen, first load and cached, against the budget.

    .venv/bin/python bench/page_weight.py [--json out.json]

Each screen is fetched from a fresh demo instance as its usual user would open it: the HTML,
then every style sheet, script, icon and manifest it links. Sizes are gzip-compressed (level 6,
as nginx's `gzip on;` sends them); PNG icons are counted as they are. "Cached" is a later visit:
static files have content-hashed URLs cached for a year, so only the HTML is fetched again; the
field app's files (its ES modules too) come from its service worker, so only the page and
/field/data.json are.
"""

import argparse
import gzip
import json
import posixpath
import re
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.http_throughput import DEMO_PASSWORD, prepare  # noqa: E402

BUDGET_KB = 150  # first load of the inspection screen, all of HTML, CSS, JS, fonts (issue 6)
LINKED = re.compile(r'(?:src|href)="(/(?:static/[^"]+|manifest\.webmanifest))"')


def screens(draft):
    """(label, user, path): the main screens."""
    return [
        ("sign-in", None, "/login"),
        ("home, the field app (inspector)", "inspector", "/"),
        ("inspection screen (field app)", "inspector", f"/field/inspections/{draft}"),
        ("findings to fix, the field app (lead)", "lead-engineering", "/field/findings"),
        ("finding (web page, supervisor)", "supervisor", "/findings/"),
        ("score sheet, year (supervisor)", "supervisor", "/scores/?kind=year"),
        ("printable score sheet", "supervisor", "/scores/print?kind=month"),
    ]


def compressed(body: bytes, path: str) -> int:
    if path.split("?", maxsplit=1)[0].endswith((".png", ".jpg", ".webp")):
        return len(body)
    return len(gzip.compress(body, 6))


IMPORTS = re.compile(r'^(?:import|export)\b[^"]*?from\s+"(\.{1,2}/[^"]+)"', re.MULTILINE)


def weigh(client, path):
    """The page and everything it loads, the ES modules its scripts import included."""
    page = client.get(path)
    if page.status_code != 200:
        raise RuntimeError(f"{path} answered {page.status_code}")
    html = compressed(page.data, path)
    assets = 0
    queue, seen = sorted(set(LINKED.findall(page.text))), set()
    while queue:
        url = queue.pop()
        if url.split("?")[0] in seen:
            continue
        seen.add(url.split("?")[0])
        with client.get(url) as response:
            body = response.get_data()
        assets += compressed(body, url)
        if url.split("?")[0].endswith(".js"):
            folder = url.split("?")[0].rsplit("/", 1)[0]
            queue += [posixpath.normpath(f"{folder}/{n}") for n in IMPORTS.findall(body.decode())]
    return {"requests": 1 + len(seen), "html": html, "assets": assets}


def sign_in(client, user):
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get("/login").text)
    form = {"username": user, "password": DEMO_PASSWORD, "csrf_token": token.group(1)}
    if client.post("/login", data=form).status_code not in (302, 303):
        raise RuntimeError(f"{user} could not sign in")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", help="also write the figures to this file (for make bench)")
    args = parser.parse_args()
    instance = Path(tempfile.mkdtemp(prefix="inspector-weight-"))
    try:
        app, _, draft = prepare(instance)
        results = {}
        for label, user, path in screens(draft):
            client = app.test_client()
            if user:
                sign_in(client, user)
            row = weigh(client, path)
            row["first"] = row["html"] + row["assets"]
            row["cached"] = row["html"]
            if "field" in label:
                # The service worker has every file; the page (with the user's data) and
                # /field/data.json come from the network.
                row["cached"] += compressed(client.get("/field/data.json").data, "x.json")
            results[label] = row
    finally:
        shutil.rmtree(instance, ignore_errors=True)
    print_table(results)
    if args.json:
        Path(args.json).write_text(json.dumps(results))


def print_table(results):
    print(f"\n| screen | requests | HTML KB | CSS+JS+icons KB | first load KB | cached KB "
          f"| within {BUDGET_KB} KB |")  # fmt: skip
    print("|---|---:|---:|---:|---:|---:|---|")
    for label, row in results.items():
        verdict = "yes" if row["first"] <= BUDGET_KB * 1024 else "**NO**"
        print(
            f"| {label} | {row['requests']} | {row['html'] / 1024:.1f} "
            f"| {row['assets'] / 1024:.1f} | {row['first'] / 1024:.1f} "
            f"| {row['cached'] / 1024:.1f} | {verdict} |"
        )


if __name__ == "__main__":
    main()
