"""Stand-in that makes `import rfc3987_syntax` fail in learners' servers and kernels.

The real package compiles ~40 Lark grammars when imported: 2–3 CPU-seconds, measured, in every
Jupyter server (jupyter_events imports jsonschema's format checkers) and again in every kernel that
shows a plotly figure (plotly.io imports nbformat, which imports jsonschema). jsonschema imports it
inside `suppress(ImportError)` only to check the "iri" string format, which nothing the course or
Jupyter validates uses; without it that one format goes unchecked, as documented by jsonschema.
`hub_settings.lean_env()` puts this folder first on the learners' PYTHONPATH.
"""

raise ImportError("rfc3987_syntax is left out of the classroom's learner processes (see deploy/jupyterhub/shims)")
