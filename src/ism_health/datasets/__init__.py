"""Built-in data: the health-data-sharing study's factor catalogue and example SSIMs.

Every file is described, with its source, in ``datasets/data/README.md``.
"""

from __future__ import annotations

from importlib import resources

import pandas as pd

from ..exceptions import ISMInputError
from ..ssim import SSIM
from .published import PublishedStudy, load_published, published_studies

__all__ = [
    "load_categories",
    "load_subcategories",
    "load_example",
    "list_examples",
    "published_studies",
    "load_published",
    "PublishedStudy",
]

_EXAMPLES = {
    "worked": ("worked_example_ssim.csv", "8-factor teaching example with one cycle, answers checked by hand"),
    "health_data_sharing": (
        "health_data_sharing_illustrative_ssim.csv",
        "ILLUSTRATIVE SSIM over the 13 categories of Zonoobi et al. (2024); not study data",
    ),
}


def _path(name: str):
    return resources.files(__package__).joinpath("data").joinpath(name)


def load_categories() -> pd.DataFrame:
    """The 13 main categories of the health-data-sharing study (Zonoobi et al., 2024).

    Columns: ``code``, ``category``, ``role`` (driving / inhibiting),
    ``paradigm_component`` and ``n_subcategories``.

    Examples
    --------
    >>> from ism_health.datasets import load_categories
    >>> cats = load_categories()
    >>> len(cats), cats.role.value_counts().to_dict()
    (13, {'driving': 7, 'inhibiting': 6})
    >>> int(cats.n_subcategories.sum())
    80
    """
    with _path("zonoobi2024_categories.csv").open(encoding="utf-8") as fh:
        return pd.read_csv(fh, dtype={"code": str})


def load_subcategories() -> pd.DataFrame:
    """The 80 subcategories of the study (Table 2), coded ``Cnn.kk``.

    Examples
    --------
    >>> from ism_health.datasets import load_subcategories
    >>> subs = load_subcategories()
    >>> len(subs), subs.role.value_counts().to_dict()
    (80, {'driving': 44, 'inhibiting': 36})
    """
    with _path("zonoobi2024_subcategories.csv").open(encoding="utf-8") as fh:
        return pd.read_csv(fh, dtype={"code": str, "category_code": str})


def list_examples() -> dict[str, str]:
    """Names of the built-in example SSIMs with a one-line description.

    Examples
    --------
    >>> from ism_health.datasets import list_examples
    >>> sorted(list_examples())
    ['health_data_sharing', 'worked']
    """
    return {name: desc for name, (_, desc) in _EXAMPLES.items()}


def load_example(name: str = "health_data_sharing") -> SSIM:
    """A built-in example SSIM (see :func:`list_examples`).

    Examples
    --------
    >>> from ism_health.datasets import load_example
    >>> load_example("worked")
    SSIM(8 factors: 'F1', 'F2', 'F3', 'F4', ...)
    >>> load_example().n
    13
    """
    if not isinstance(name, str) or name not in _EXAMPLES:
        raise ISMInputError(f"no example named {name!r}; expected one of {', '.join(map(repr, _EXAMPLES))}.")
    from ..io import read_ssim

    with resources.as_file(_path(_EXAMPLES[name][0])) as path:
        return read_ssim(path)
