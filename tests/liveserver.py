"""The app on a loopback port, in a thread, for browsers and generated clients to call.

Werkzeug's development server leaks a response's open file when the client drops the
connection mid-send: its clean-up reads the dead socket, that read raises, and
`application_iter.close()` is never reached, so the file is closed by the garbage collector
with a ResourceWarning (which the suite turns into an error in whichever test runs next).
Browsers drop connections all the time (a thumbnail scrolled away, a page left), so the
server used by the tests closes every response it handed out once the request is over,
as gunicorn does in production.
"""

import threading
from contextlib import contextmanager

from werkzeug.serving import WSGIRequestHandler, make_server

_handed_out = threading.local()


class _ClosesOnce:
    """A response iterable whose close() may be called twice and acts once."""

    def __init__(self, iterable):
        self.iterable = iterable
        self.closed = False

    def __iter__(self):
        return iter(self.iterable)

    def close(self):
        if not self.closed:
            self.closed = True
            if hasattr(self.iterable, "close"):
                self.iterable.close()


def _remembering(app):
    def remembering_app(environ, start_response):
        response = _ClosesOnce(app(environ, start_response))
        _handed_out.responses.append(response)
        return response

    return remembering_app


class _ClosingHandler(WSGIRequestHandler):
    def run_wsgi(self):
        _handed_out.responses = []
        try:
            super().run_wsgi()
        finally:
            for response in _handed_out.responses:
                response.close()
            _handed_out.responses = []


@contextmanager
def serving(app):
    """Yield the base URL of `app` served on 127.0.0.1 until the block ends."""
    server = make_server(
        "127.0.0.1", 0, _remembering(app), threaded=True, request_handler=_ClosingHandler
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
