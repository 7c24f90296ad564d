"""Sinks: writes into systems other than files (the MLflow registry). Each reads back only
what it is about to change, so a command can plan, show and apply exactly the difference."""
