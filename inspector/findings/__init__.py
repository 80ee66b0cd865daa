"""Findings (整改): problems found, fixed with after photos, and verified."""
