"""Plumbing for Unrolled: data, reference implementations, plots, widgets and checkers.

Learners can ignore this package: every idea being taught lives in the notebook cells.
"""

import sys

__version__ = "0.1.0"

# The first plotly figure a kernel shows imports nbformat, which imports jsonschema, which imports the
# optional rfc3987_syntax to check one string format ("iri") that no notebook uses: compiling its
# grammars costs about 2 CPU-seconds in every kernel. None in sys.modules makes that import fail at
# once; jsonschema expects the ImportError and leaves that one check out (tests/test_runtime.py).
sys.modules.setdefault("rfc3987_syntax", None)
