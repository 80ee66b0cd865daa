"""The API blueprint with every endpoint module attached: what create_app registers."""

from inspector.api import (  # noqa: F401  (each module adds its endpoints to bp)
    auth,
    bp,
    findings,
    inspections,
    photos,
    rounds,
    scores,
    templates,
    views,
)

__all__ = ["bp"]
