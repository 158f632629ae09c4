"""Plumbing for Unrolled: data, reference implementations, plots, widgets and checkers.

Learners can ignore this package: every idea being taught lives in the notebook cells.
"""

__version__ = "0.1.0"
