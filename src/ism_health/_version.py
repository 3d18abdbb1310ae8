"""The package version, in a module of its own so no submodule imports the package's ``__init__``."""

__version__ = "0.2.0.dev0"
