"""Sphinx configuration for the ism_health documentation.

Build (from the repository root, without installing the package):

    PYTHONPATH=src python -m sphinx -W --keep-going -b html docs docs/_build/html

Generator: Sphinx + numpydoc (our docstring format) + autosummary (the API
reference grouped by ISM step) + myst-nb (Markdown pages and the notebooks in
``notebooks/``, executed during every build so they cannot rot).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
SRC = ROOT / "src"

# Import the checkout's package, here and in the Jupyter kernels that execute
# the pages and notebooks (they inherit the environment, not sys.path).
sys.path.insert(0, str(SRC))
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH", "")]))
os.environ.setdefault("MPLBACKEND", "Agg")

import ism_health  # noqa: E402

# Autosummary stubs are regenerated on every build; drop stale ones (renamed objects).
shutil.rmtree(DOCS / "generated", ignore_errors=True)

# The dependency picture of design.md, drawn from the code on every build (docs/depgraph.py).
sys.path.insert(0, str(DOCS))
import depgraph  # noqa: E402

depgraph.write_figure(DOCS / "img" / "generated" / "dependencies.svg")

# The casebook table of audit.md, audited afresh from the package's transcribed studies on every build.
import make_casebook  # noqa: E402

make_casebook.main()

# --- the notebooks live in ROOT/notebooks (stored without outputs); Sphinx only
# reads files under docs/, so copy them into docs/notebooks/ (git-ignored).
_NB_SRC, _NB_DST = ROOT / "notebooks", DOCS / "notebooks"
_NB_DST.mkdir(exist_ok=True)
for _old in _NB_DST.glob("*.ipynb"):
    if not (_NB_SRC / _old.name).exists():
        _old.unlink()
for _nb in sorted(_NB_SRC.glob("[0-9][0-9]_*.ipynb")):
    _dst = _NB_DST / _nb.name
    if not _dst.exists() or _dst.read_bytes() != _nb.read_bytes():
        shutil.copyfile(_nb, _dst)

# -- project ---------------------------------------------------------------
project = "ism_health"
author = "the ism_health authors"
copyright = "2026, the ism_health authors"
release = ism_health.__version__
version = release

# -- general ---------------------------------------------------------------
extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
    "myst_nb",
    "sphinx_copybutton",
]
source_suffix = {".rst": "restructuredtext", ".md": "myst-nb", ".ipynb": "myst-nb"}
root_doc = "index"
exclude_patterns = ["_build", "**.ipynb_checkpoints", "check_site.py", "README.md", "depgraph.py", "casebook_table.md"]
templates_path = ["_templates"]
nitpicky = False
default_role = "py:obj"

# -- autodoc / autosummary / numpydoc --------------------------------------
autosummary_generate = True
autosummary_imported_members = False
autodoc_default_options = {"members": True, "inherited-members": False}
autodoc_typehints = "none"  # numpydoc writes the types from the docstrings
numpydoc_show_class_members = False  # autosummary lists members; avoids duplicate entries
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False
# Validate what matters for a reader; the full numpydoc check list (every
# section present, summary style) is a style linter, not a build gate.
numpydoc_validation_checks = {"GL06", "GL07", "PR10", "SA02", "SA03", "SA04"}

# -- MyST / myst-nb --------------------------------------------------------
myst_enable_extensions = ["colon_fence", "deflist", "dollarmath"]
myst_heading_anchors = 3
nb_execution_mode = "force"  # every build executes every page and notebook
nb_execution_timeout = 120
nb_execution_raise_on_error = True  # a failing cell fails the build
nb_execution_show_tb = True
nb_merge_streams = True
nb_kernel_rgx_aliases = {".*": "python3"}

# -- HTML --------------------------------------------------------------------
html_theme = "furo"
html_title = f"ism_health {release}"
html_static_path = ["_static"]
html_css_files = ["tables.css"]  # light rules for pandas tables
html_show_sourcelink = False
html_theme_options = {"navigation_with_keys": True}
