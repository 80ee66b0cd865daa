"""PDF from the printable HTML templates (print_base.html) with WeasyPrint.

The same template serves the browser's print view and the PDF: rendered with `pdf=True`, it
names photos `photo:KEY` (read from storage, never over the network) and leaves out the
screen-only bar. The CJK font comes from the system (Debian's fonts-noto-cjk) and is embedded
as a subset, so the text of the PDF can be searched and copied.
"""

import logging
import os
import threading

from flask import current_app, render_template, url_for

from inspector.photos.services import storage
from inspector.storage import check_key

PDF = "application/pdf"
PHOTO_SCHEME = "photo:"

# WeasyPrint logs every CSS property it ignores (screen-only rules of print.css) as a warning.
logging.getLogger("weasyprint").setLevel(logging.ERROR)


def pdf_photo_src(photo, variant="display"):
    """Where a PDF finds a photo: its stored object, read by StorageFetcher."""
    return PHOTO_SCHEME + (photo.thumb_key if variant == "thumb" else photo.display_key)


def web_photo_src(photo, variant="display"):
    """Where a browser finds a photo: the permission-checked photo URL."""
    return url_for("photos.show", uuid=photo.uuid, variant=variant)


def stylesheet_path():
    return os.path.join(current_app.static_folder, "css", "print.css")


def load_weasyprint():
    """Import WeasyPrint on first use (it takes most of a second to load, which no other
    request pays), undoing what its import does to Pillow for the whole process: it sets
    ImageFile.LOAD_TRUNCATED_IMAGES, after which every photo upload this process served would
    accept a cut-off file (inspector/photos/images.py refuses them). Our PDFs embed only our
    own stored photos, which are complete."""
    import weasyprint
    from PIL import ImageFile

    ImageFile.LOAD_TRUNCATED_IMAGES = False
    return weasyprint


def fetcher():
    """A WeasyPrint URL fetcher that reads photos from storage and refuses everything else."""
    load_weasyprint()
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StorageFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if not url.startswith(PHOTO_SCHEME):
                # No file:, http: or other fetch: a document never reaches outside storage.
                raise ValueError(f"not fetched: {url[:40]}")
            key = check_key(url[len(PHOTO_SCHEME) :])
            with storage().open(key) as source:
                body = source.read()
            return URLFetcherResponse(url, body, {"Content-Type": "image/jpeg"})

    return StorageFetcher()


_fonts = threading.local()


def font_config():
    """One WeasyPrint font configuration per thread, kept: a new one for every document costs
    native memory that is never given back (an archive of 150 reports grew by 50 MB)."""
    load_weasyprint()
    from weasyprint.text.fonts import FontConfiguration

    if not hasattr(_fonts, "config"):
        _fonts.config = FontConfiguration()
    return _fonts.config


def render_pdf(template, **context) -> bytes:
    """Render a print_base.html template to PDF bytes."""
    weasyprint = load_weasyprint()

    html = render_template(template, pdf=True, photo_src=pdf_photo_src, **context)
    document = weasyprint.HTML(string=html, url_fetcher=fetcher())
    fonts = font_config()
    stylesheet = weasyprint.CSS(filename=stylesheet_path(), font_config=fonts)
    return document.write_pdf(stylesheets=[stylesheet], font_config=fonts)
