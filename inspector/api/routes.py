"""The API blueprint with every endpoint module attached: what create_app registers."""

from inspector.api import (  # noqa: F401  (each module adds its endpoints to bp)
    auth,
    bp,
    findings,
    inspections,
    photos,
    scores,
    templates,
    views,
    webhooks,
)

__all__ = ["bp"]
