"""The campaign archive: a ZIP of every spot's before and after photos with an index."""

import csv
import io
import zipfile

from flask import render_template
from flask_babel import format_datetime

from inspector.i18n.labels import FINDING_STATUS_LABELS
from inspector.photos.services import storage
from inspector.scores.exports import safe_text


def photo_name(number, site_code, stage, position):
    return f"photos/{number:03d}-{site_code}-{stage}-{position + 1}.jpg"


def spot_rows(campaign):
    """One row per spot with the file names its photos get in the archive."""
    rows = []
    for number, spot in enumerate(campaign.spots, start=1):
        files = {"before": [], "after": []}
        for link in spot.photos:
            name = photo_name(number, spot.site.code, link.stage, len(files[link.stage]))
            files[link.stage].append((name, link.photo))
        rows.append({"number": number, "spot": spot, "files": files})
    return rows


def local_time(moment):
    return format_datetime(moment, "yyyy-MM-dd HH:mm") if moment else ""


def index_csv(rows, headers):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        spot = row["spot"]
        writer.writerow(
            [
                row["number"],
                spot.site.code,
                safe_text(spot.site.name),
                safe_text(spot.title),
                safe_text(spot.description),
                str(FINDING_STATUS_LABELS[spot.status]),
                local_time(spot.created_at),
                local_time(spot.fixed_at),
                safe_text(spot.fix_note),
                " ".join(name for name, _photo in row["files"]["before"]),
                " ".join(name for name, _photo in row["files"]["after"]),
            ]
        )
    return buffer.getvalue().encode("utf-8-sig")


def build_zip(campaign, headers) -> bytes:
    """Write the archive: photos (display copies), index.csv and a browsable index.html."""
    rows = spot_rows(campaign)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for row in rows:
            for stage in ("before", "after"):
                for name, photo in row["files"][stage]:
                    with storage().open(photo.display_key) as source:
                        # JPEGs are already compressed: store them as they are.
                        archive.writestr(name, source.read(), zipfile.ZIP_STORED)
        archive.writestr("index.csv", index_csv(rows, headers))
        html = render_template("campaigns/archive_index.html", campaign=campaign, rows=rows)
        archive.writestr("index.html", html.encode("utf-8"))
    return buffer.getvalue()
