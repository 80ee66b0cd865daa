"""Score sheet rows kept per server, brought up to date after a change by reading again only
the departments the change log names (inspector.scores.cache), not every department.

A sheet's rows are a function of the departments and their running totals, and every write
to either logs, in its own transaction, the step of the scores counter it made and the
departments it touched. So rows kept at step N, with the departments logged after N read
again, are the rows of the current step. A department is read whole (its sums, never a
delta): read at a later step than the one the rows are filed under, it can only be newer,
and the step that changed it names it again. Everything is read instead when the log cannot
say (rows older than it keeps, a step missing from it), when it names all departments (a
rebuild by raw SQL, a statement on departments), and in a transaction with changes of its
own. tests/scores/test_totals.py compares kept rows with a full read after every kind of
write; tests/scores/test_kept.py checks what is read.
"""

import threading

from flask import current_app

from inspector.scores.cache import (
    ALL_DEPARTMENTS,
    NOT_DEPARTMENTS,
    changed_since,
    reusable_version,
)

MAX_ENTRIES = 128  # kinds of sheet (period shape, days, final) and closes kept per server


class KeptRows:
    """For each kind of sheet: the step it was read at and {department id: row}; for each
    span of days, the step its close in force was read at, and the close (unless_changed)."""

    def __init__(self):
        self.entries = {}
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            return self.entries.get(key)

    def put(self, key, version, rows):
        with self.lock:
            kept = self.entries.get(key)
            if kept is not None and kept[0] >= version:
                return  # another request has filed the same or newer rows
            if kept is None and len(self.entries) >= MAX_ENTRIES:
                self.entries.clear()
            self.entries[key] = (version, rows)


def rows(key, read):
    """{department id: row} of the sheet `key` as the database holds it now.

    read(None) reads every department's row, read(ids) those of departments `ids` (a
    department missing from its answer has no row now). Callers must not change the answer.
    """
    version = reusable_version()
    if version is None:
        return read(None)
    kept = current_app.extensions["inspector.kept_rows"]
    found = kept.get(key)
    if found is not None and found[0] == version:
        return found[1]
    answer = None
    if found is not None and found[0] < version:
        answer = brought_up_to_date(found, read)
    if answer is None:
        answer = read(None)
    kept.put(key, version, answer)
    return answer


def brought_up_to_date(found, read):
    version, kept = found
    changes = changed_since(version)
    if changes is None or ALL_DEPARTMENTS in changes:
        return None
    changes = changes - NOT_DEPARTMENTS
    if not changes:
        return kept
    answer = {ident: row for ident, row in kept.items() if ident not in changes}
    answer.update(read(changes))
    return answer


def unless_changed(key, read, marker):
    """read(), kept per server until a step of the change log names `marker` or all
    departments (a rebuild after raw SQL), or a step cannot be told: for a close in force,
    which changes far less often than the counter. Callers must not change the answer."""
    version = reusable_version()
    if version is None:
        return read()
    kept = current_app.extensions["inspector.kept_rows"]
    found = kept.get(key)
    if found is not None and found[0] <= version:
        step, value = found
        changes = set() if step == version else changed_since(step)
        if changes is not None and marker not in changes and ALL_DEPARTMENTS not in changes:
            kept.put(key, version, value)
            return value
    value = read()
    kept.put(key, version, value)
    return value


def init_app(app):
    app.extensions["inspector.kept_rows"] = KeptRows()
