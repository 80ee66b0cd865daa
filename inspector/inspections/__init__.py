"""Inspections (督查): the phone flow to pick a site, answer a checklist and submit."""
