"""coordboard: the interdepartmental coordination task board."""

# The one place the version is written: hatch reads it from this file when building
# (pyproject ``[tool.hatch.version]``). Read here directly rather than from installed
# metadata, which costs ``importlib.metadata`` (~0.1 s) on every start and reports the
# installed copy's version, not this tree's.
from coordboard._version import __version__ as __version__
