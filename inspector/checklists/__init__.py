"""Checklists (检查表): the admin screens to write, import and export them."""
