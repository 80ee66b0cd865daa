"""Cleanup campaigns (环境整治): spots found, fixed and verified, with a before/after archive."""
