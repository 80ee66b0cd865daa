"""The campaign archive: a ZIP of every spot's before and after photos with an index.

Each photo is there twice: the 1600 px copy the index pages show, and the original as uploaded
(with its EXIF: the evidence) for those allowed to download originals. Both indexes give each
photo's capture time (or say it is unknown), GPS position and the SHA-256 of its original.
"""

import csv
import io
import zipfile

from flask import render_template
from flask_babel import format_datetime
from flask_babel import gettext as _

from inspector.i18n.labels import FINDING_STATUS_LABELS
from inspector.photos.permissions import may_download_original
from inspector.photos.services import storage
from inspector.scores.exports import safe_text

EXTENSIONS = {"jpeg": "jpg", "png": "png", "webp": "webp", "heif": "heic"}


def photo_name(number, site_code, stage, position):
    return f"photos/{number:03d}-{site_code}-{stage}-{position + 1}.jpg"


def original_name(display_name, photo):
    stem = display_name.removeprefix("photos/").removesuffix(".jpg")
    return f"originals/{stem}.{EXTENSIONS.get(photo.format, 'bin')}"


def spot_rows(campaign, user):
    """One row per spot with the file names its photos get in the archive."""
    rows = []
    for number, spot in enumerate(campaign.spots, start=1):
        files = {"before": [], "after": []}
        for link in spot.photos:
            name = photo_name(number, spot.site.code, link.stage, len(files[link.stage]))
            original = original_name(name, link.photo)
            if not may_download_original(user, link.photo):
                original = None
            files[link.stage].append(
                {"name": name, "original": original, "photo": link.photo, "stage": link.stage}
            )
        rows.append({"number": number, "spot": spot, "files": files})
    return rows


def local_time(moment):
    return format_datetime(moment, "yyyy-MM-dd HH:mm") if moment else ""


def taken(photo) -> str:
    """The capture time, or that it is unknown (never the upload time in its place)."""
    return local_time(photo.taken_at) if photo.taken_at else _("Time taken unknown")


def position(value):
    return "" if value is None else f"{value:.6f}"


def index_csv(rows, headers):
    """One line per photo (a spot without photos gets one line with the photo columns empty)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        spot = row["spot"]
        about = [
            row["number"],
            spot.site.code,
            safe_text(spot.site.name),
            safe_text(spot.title),
            safe_text(spot.description),
            str(FINDING_STATUS_LABELS[spot.status]),
            local_time(spot.created_at),
            local_time(spot.fixed_at),
            safe_text(spot.fix_note),
        ]
        files = row["files"]["before"] + row["files"]["after"]
        for file in files:
            photo = file["photo"]
            writer.writerow(
                [
                    *about,
                    _("Before") if file["stage"] == "before" else _("After"),
                    file["name"],
                    file["original"] or "",
                    taken(photo),
                    position(photo.lat),
                    position(photo.lon),
                    photo.sha256,
                ]
            )
        if not files:
            writer.writerow(about + [""] * 7)
    return buffer.getvalue().encode("utf-8-sig")


def build_zip(campaign, headers, user) -> bytes:
    """Write the archive: photos (display copies and originals), index.csv and index.html."""
    rows = spot_rows(campaign, user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for row in rows:
            for file in row["files"]["before"] + row["files"]["after"]:
                copies = [(file["name"], file["photo"].display_key)]
                if file["original"]:
                    copies.append((file["original"], file["photo"].original_key))
                for name, key in copies:
                    with storage().open(key) as source:
                        # Photos are already compressed: store them as they are.
                        archive.writestr(name, source.read(), zipfile.ZIP_STORED)
        archive.writestr("index.csv", index_csv(rows, headers))
        html = render_template("campaigns/archive_index.html", campaign=campaign, rows=rows)
        archive.writestr("index.html", html.encode("utf-8"))
    return buffer.getvalue()
