"""Departments and sites: the organisation every inspection, finding and score belongs to."""
