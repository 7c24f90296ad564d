"""The diff engine of `govkit diff` (and of the site's compare view): see engine.py."""
