"""The API blueprint with every endpoint module attached: what create_app registers."""

from inspector.api import (  # noqa: F401  (each module adds its endpoints to bp)
    activities,
    appeals,
    auth,
    bp,
    findings,
    frameworks,
    inspections,
    photos,
    rounds,
    scores,
    templates,
    views,
    webhooks,
)

__all__ = ["bp"]
