"""The checks stage: documented ranges and rules -> check results (see results.py)."""
