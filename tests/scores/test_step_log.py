"""What a server remembers of the change log (inspector.scores.cache.StepLog): every step it
has seen, none it has not, and a step missing from the log as unknown."""

import pytest

from inspector.scores import cache
from inspector.scores.cache import CLOSES, NO_CLOSE, NO_DEPARTMENT, StepLog


def found(counter, *steps, old=False):
    """A changes_query answer: the counter, then (step, department) rows, with NO_CLOSE for
    each step that has no CLOSES, as this code logs (not `old`, as older code did)."""
    rows = [(0, counter, 0), *((1, step, department) for step, department in steps)]
    closes = {step for step, department in steps if department == CLOSES}
    if not old:
        rows += [(1, step, NO_CLOSE) for step in {step for step, _ in steps} - closes]
    return rows


def test_the_first_read_knows_nothing_before_it():
    log = StepLog()
    log.learn(None, 7, found(7))
    assert log.between(7, 7) == (True, set())
    assert log.between(6, 7) == (False, None)


def test_later_reads_add_the_steps_since_what_was_seen():
    log = StepLog()
    log.learn(None, 7, found(7))
    log.learn(7, 9, found(9, (8, 3), (8, 4), (9, NO_DEPARTMENT)))
    log.learn(9, 10, found(10, (10, CLOSES)))
    assert log.between(7, 9) == (True, {3, 4})
    assert log.between(8, 9) == (True, set())
    assert log.between(7, 10) == (True, {3, 4, CLOSES})
    assert log.between(9, 11) == (False, None)  # not seen yet


def test_a_step_missing_from_the_log_is_unknown():
    log = StepLog()
    log.learn(None, 7, found(7))
    log.learn(7, 9, found(9, (9, 5)))  # step 8 logged nothing: an older server made it
    assert log.between(7, 9) == (True, None)
    assert log.between(8, 9) == (True, {5})


def test_a_step_of_older_code_may_have_changed_a_close():
    """Code from before closes were logged logged a close as NO_DEPARTMENT (or nothing but the
    departments): only a step that says NO_CLOSE changed none."""
    log = StepLog()
    log.learn(None, 7, found(7))
    log.learn(7, 9, found(9, (8, NO_DEPARTMENT), (9, 4), old=True))
    log.learn(9, 10, found(10, (10, NO_DEPARTMENT), (10, 5)))
    assert log.between(7, 8) == (True, {CLOSES})
    assert log.between(8, 9) == (True, {4, CLOSES})
    assert log.between(9, 10) == (True, {5})


def test_rows_past_the_counter_read_are_not_learned():
    """One statement is one snapshot, so this does not happen; if it did, a row of a step
    later than the counter read with it is not learned, nor is that step."""
    log = StepLog()
    log.learn(None, 7, found(7))
    log.learn(7, 8, found(8, (8, 1), (9, 2)))
    assert log.between(7, 8) == (True, {1})
    assert log.between(7, 9) == (False, None)


def test_reads_from_older_snapshots_never_shrink_or_break_what_is_known():
    log = StepLog()
    log.learn(None, 10, found(10))
    log.learn(10, 12, found(12, (11, 1), (12, 2)))
    log.learn(10, 11, found(11, (11, 1)))  # a transaction that began before step 12
    log.learn(None, 9, found(9))  # another first read, older still
    assert log.between(10, 12) == (True, {1, 2})
    log.learn(None, 20, found(20))  # a first read far ahead: starts again from there
    assert log.between(12, 20) == (False, None)
    assert log.between(20, 20) == (True, set())


def test_at_most_a_window_of_steps_is_kept(monkeypatch):
    monkeypatch.setattr(cache, "LOG_WINDOW", 5)
    monkeypatch.setattr(cache, "PRUNE_EVERY", 2)
    log = StepLog()
    log.learn(None, 0, found(0))
    for step in range(1, 30):
        log.learn(step - 1, step, found(step, (step, step)))
        assert len(log.steps) <= 5 + 2
    assert log.between(24, 29) == (True, {25, 26, 27, 28, 29})
    assert log.between(10, 29) == (False, None)
    log.learn(29, 100, found(100, *((s, 1) for s in range(30, 101))))
    assert log.between(95, 100) == (True, {1})
    assert log.between(90, 100) == (False, None)  # further back than the log keeps


@pytest.mark.parametrize("since", [None, 3])
def test_no_counter_learns_nothing(since):
    log = StepLog()
    log.learn(since, None, [])
    assert log.top is None
