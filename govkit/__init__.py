"""govkit: living ML documentation and governance."""

__version__ = "0.1.0"
