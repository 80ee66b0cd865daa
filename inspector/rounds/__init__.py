"""Rounds: planned visits, random samples of sites, assignments with 回避 and their outcomes."""
