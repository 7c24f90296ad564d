"""Governance profiles govkit ships (package data, read by sources/profiles.py)."""
