"""The schema's migrations (Alembic, through Flask-Migrate) and the helpers they share."""
