"""The casebook: tables transcribed from published ISM studies, exactly as printed, with their audits.

Each study lives in ``datasets/published/<name>/``: ``source.md`` (citation, tables
transcribed, where it was read, what the paper got wrong), ``meta.json`` and the
printed tables as CSV (``frm.csv`` with cells ``1`` / ``1*`` / ``0``, and where printed
``irm.csv``, ``ssim.csv``, ``levels.csv``, ``powers.csv``, ``clusters.csv``,
``antecedents.csv``). Nothing in them is corrected: errors are kept as printed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from types import MappingProxyType
from typing import Any

import pandas as pd

from ..exceptions import ISMInputError

__all__ = ["PublishedStudy", "load_published", "published_studies"]

_TABLES = ("frm", "irm", "ssim")


def _root():
    return resources.files(__package__).joinpath("published")


def _names() -> list[str]:
    return sorted(p.name for p in _root().iterdir() if p.is_dir() and p.joinpath("meta.json").is_file())


def _read_csv(path, **kwargs: Any) -> pd.DataFrame:
    with path.open(encoding="utf-8") as fh:
        return pd.read_csv(fh, dtype=str, keep_default_na=False, **kwargs)


@dataclass(frozen=True)
class PublishedStudy:
    """One casebook study: its metadata and its printed tables (copies on every access).

    Examples
    --------
    >>> from ism_health.datasets import load_published
    >>> study = load_published("scirp_1530101_k10")
    >>> study.n, study.frm.shape
    (10, (10, 10))
    >>> study.audit().consistent
    True
    """

    name: str
    meta: Mapping[str, Any] = field(repr=False)
    source: str = field(repr=False)
    _tables: dict[str, Any] = field(repr=False)

    @property
    def title(self) -> str:
        """The study's title as recorded in ``meta.json``."""
        return str(self.meta.get("title", ""))

    @property
    def n(self) -> int:
        """Number of factors."""
        return int(self.meta["n"])

    def _get(self, key: str) -> Any:
        value = self._tables.get(key)
        return None if value is None else value.copy()

    @property
    def frm(self) -> pd.DataFrame | None:
        """The printed final reachability matrix (cells ``"1"``, ``"1*"``, ``"0"``), or None."""
        return self._get("frm")

    @property
    def irm(self) -> pd.DataFrame | None:
        """The printed initial reachability matrix, or None when not printed."""
        return self._get("irm")

    @property
    def ssim(self) -> pd.DataFrame | None:
        """The printed SSIM (V/A/X/O above the diagonal), or None when not printed."""
        return self._get("ssim")

    @property
    def levels(self) -> pd.Series | None:
        """The printed levels by factor (1 = top), or None."""
        return self._get("levels")

    @property
    def powers(self) -> pd.DataFrame | None:
        """The printed driving and dependence powers, or None."""
        return self._get("powers")

    @property
    def clusters(self) -> pd.Series | None:
        """The printed MICMAC clusters by factor, or None."""
        return self._get("clusters")

    def audit(self):  # -> AuditReport (imported lazily: datasets sit below audit in the layering)
        """Audit the printed tables with :func:`ism_health.audit.audit`.

        Examples
        --------
        >>> from ism_health.datasets import load_published
        >>> report = load_published("scitepress_2021_c16").audit()
        >>> report.consistent, len(report.missing), report.levels_wrong_from
        (False, 22, 2)
        """
        from ..audit import audit

        powers = self.powers
        rule = self.meta.get("micmac_rule")
        return audit(
            self.frm,
            irm=self.irm,
            ssim=self.ssim,
            levels=self.levels,
            driving=None if powers is None else powers["driving"],
            dependence=None if powers is None else powers["dependence"],
            clusters=self.clusters,
            micmac_threshold=float(rule) if isinstance(rule, (int, float)) else None,
        )


def load_published(name: str) -> PublishedStudy:
    """Load one casebook study by name (see :func:`published_studies`).

    Examples
    --------
    >>> from ism_health.datasets import load_published
    >>> study = load_published("infogaps_r7")
    >>> study.levels.to_dict()
    {'R1': 2, 'R2': 1, 'R3': 1, 'R4': 1, 'R5': 3, 'R6': 1, 'R7': 1}
    >>> load_published("nope")
    Traceback (most recent call last):
    ...
    ism_health.exceptions.ISMInputError: unknown published study 'nope'; known: ...
    """
    names = _names()
    if name not in names:
        raise ISMInputError(f"unknown published study {name!r}; known: {', '.join(names)}.")
    folder = _root().joinpath(name)
    meta = json.loads(folder.joinpath("meta.json").read_text(encoding="utf-8"))
    tables: dict[str, Any] = {}
    for key in _TABLES:
        path = folder.joinpath(f"{key}.csv")
        if path.is_file():
            tables[key] = _read_csv(path, index_col=0)
    for key, column in (("levels", "level"), ("clusters", "cluster")):
        path = folder.joinpath(f"{key}.csv")
        if path.is_file():
            frame = _read_csv(path).set_index("factor")
            series = frame[column]
            tables[key] = series.astype(int) if key == "levels" else series
    path = folder.joinpath("powers.csv")
    if path.is_file():
        tables["powers"] = _read_csv(path).set_index("factor").astype(int)
    path = folder.joinpath("antecedents.csv")
    if path.is_file():
        tables["antecedents"] = _read_csv(path).set_index("factor")["antecedent_set"]
    return PublishedStudy(
        name=name,
        meta=MappingProxyType(meta),
        source=folder.joinpath("source.md").read_text(encoding="utf-8"),
        _tables=tables,
    )


def published_studies() -> pd.DataFrame:
    """The casebook's studies: name, citation, year, field, n and whether the audit finds them consistent.

    Examples
    --------
    >>> from ism_health.datasets import published_studies
    >>> table = published_studies()
    >>> table.set_index("name").loc[["infogaps_r7", "scitepress_2021_c16"], ["n", "consistent"]]
                         n  consistent
    name
    infogaps_r7          7       False
    scitepress_2021_c16 16       False
    """
    rows = []
    for name in _names():
        study = load_published(name)
        rows.append(
            {
                "name": name,
                "citation": f"{study.title} <{study.meta.get('url', '')}>",
                "year": study.meta.get("year"),
                "field": study.meta.get("field"),
                "n": study.n,
                "consistent": study.audit().consistent,
            }
        )
    return pd.DataFrame(rows, columns=["name", "citation", "year", "field", "n", "consistent"])
