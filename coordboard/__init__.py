"""coordboard: the interdepartmental coordination task board."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("coordboard")
except PackageNotFoundError:  # running from a source tree that was never installed
    from coordboard._version import __version__ as __version__
