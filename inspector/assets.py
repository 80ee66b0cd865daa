"""Static files under content-hashed URLs, cached by browsers for a year.

`url_for("static", filename=...)` adds `?v=<hash of the file>`: a changed file gets a new URL,
so an unchanged one may be kept forever and a phone loads it once (issue 6's page budget).
"""

import hashlib
import os

from flask import request

YEAR = 365 * 24 * 3600


def file_hash(app, filename, _cache={}):  # noqa: B006  (the cache is the point)
    path = os.path.join(app.static_folder, filename)
    try:
        stat = os.stat(path)
    except OSError:
        return None
    key = (path, stat.st_mtime_ns, stat.st_size)
    if key not in _cache:
        with open(path, "rb") as handle:
            _cache[key] = hashlib.sha256(handle.read()).hexdigest()[:12]
    return _cache[key]


def init_app(app):
    @app.url_defaults
    def add_version(endpoint, values):
        if endpoint == "static" and "v" not in values:
            version = file_hash(app, values.get("filename", ""))
            if version:
                values["v"] = version

    @app.after_request
    def cache_versioned(response):
        if request.endpoint == "static" and response.status_code == 200:
            if request.args.get("v") == file_hash(app, request.view_args["filename"]):
                response.cache_control.public = True
                response.cache_control.max_age = YEAR
                response.cache_control.immutable = True
                response.cache_control.no_cache = None
            else:
                response.cache_control.no_cache = True  # revalidate: the ETag makes it cheap
        return response
