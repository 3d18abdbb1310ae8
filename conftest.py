"""Doctest set-up for the whole project (a conftest.py under tests/ would not reach the doctests in src/).

Every docstring example may use ``ism`` (the package), ``np`` and ``pd`` without importing them, so
the examples need no repeated preamble.
"""

import numpy as np
import pandas as pd
import pytest

import ism_health


@pytest.fixture(autouse=True)
def _doctest_names(doctest_namespace):
    doctest_namespace.update(ism=ism_health, np=np, pd=pd)
