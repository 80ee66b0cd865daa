"""Evaluation frameworks (测评体系): import, versions, marks and the year's evaluation."""
