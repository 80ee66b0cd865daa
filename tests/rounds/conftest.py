"""Rounds tests run on SQLite; those marked `both_databases` run on PostgreSQL too: where the
database's own behaviour matters (the draw, the query that finds an assignment done). The rest
exercise Python that no database changes, and the suite has a time budget."""


def pytest_collection_modifyitems(config, items):
    here = "tests/rounds/"
    drop = [
        item
        for item in items
        if here in item.nodeid
        and "[postgresql]" in item.nodeid
        and item.get_closest_marker("both_databases") is None
    ]
    if drop:
        dropped = set(drop)
        config.hook.pytest_deselected(items=drop)
        items[:] = [item for item in items if item not in dropped]
