"""The casebook of published ISM studies, through the public API.

Each case's tables are read from ``tests/data/cases/<case>/`` (a copy, so these tests do
not move when the package data changes); ``source.md`` there gives the citation, the
table numbers and what the paper got wrong. The tests assert the MATHEMATICS and state
the paper's discrepancy; expected values are written out or computed with plain loops.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

import ism_health as ism
from ism_health.datasets import PublishedStudy, load_published, published_studies
from ism_health.exceptions import ISMInputError

CASES = Path(__file__).parent / "data" / "cases"


def printed_frm(name: str) -> pd.DataFrame:
    return pd.read_csv(CASES / name / "frm.csv", index_col=0, dtype=str, keep_default_na=False)


def as01(frame: pd.DataFrame) -> pd.DataFrame:
    return (frame != "0").astype(int)


def printed_levels(name: str) -> dict[str, int]:
    with open(CASES / name / "levels.csv", encoding="utf-8") as fh:
        return {r["factor"]: int(r["level"]) for r in csv.DictReader(fh)}


def test_every_case_has_its_source_note():
    for case in published_studies().name:
        text = (CASES / case / "source.md").read_text(encoding="utf-8")
        assert "Transcribed" in text and "http" in text


def test_scitepress_public_api():
    """SCITEPRESS 2021 paper 103153, Tables 3-4: the printed FRM is not transitive.

    The library refuses the printed matrix as a final reachability matrix; on its
    transitive closure, seven of the fourteen legible printed levels are wrong.
    """
    frm = as01(printed_frm("scitepress_2021_c16"))
    with pytest.raises(ISMInputError, match="not transitive: 22 missing entries"):
        ism.level_partition(frm)
    closure = pd.DataFrame(ism.transitive_closure(frm.to_numpy()).astype(int), index=frm.index, columns=frm.columns)
    levels = ism.level_partition(closure)
    printed = printed_levels("scitepress_2021_c16")
    differ = {f: (printed[f], int(levels[f])) for f in printed if printed[f] != int(levels[f])}
    # paper vs library (printed, library): the paper placed these from its non-transitive matrix
    assert differ == {"C2": (4, 2), "C3": (5, 2), "C5": (6, 3), "C6": (3, 2), "C8": (4, 2), "C9": (4, 2), "C11": (3, 2)}
    # C15 reaches nothing else (top); C16 and C5 each reach the big cycle but not each other: level 3
    assert int(levels["C15"]) == 1 and int(levels["C16"]) == 3


def test_infogaps_public_api():
    """Table 2 of the 'reasons for the information gaps' study prints R5's reachability set empty
    and a hierarchy upside down: the library puts R1 and R5 at the top (level 1)."""
    frm = as01(printed_frm("infogaps_r7"))
    assert frm.loc["R5", "R5"] == 0  # as printed
    closure = pd.DataFrame(ism.transitive_closure(frm.to_numpy()).astype(int), index=frm.index, columns=frm.columns)
    levels = ism.level_partition(closure)
    assert levels.to_dict() == {"R1": 1, "R2": 2, "R3": 2, "R4": 2, "R5": 1, "R6": 2, "R7": 2}
    assert printed_levels("infogaps_r7") == {"R1": 2, "R2": 1, "R3": 1, "R4": 1, "R5": 3, "R6": 1, "R7": 1}


@pytest.mark.parametrize("case", ["pmc9444705_t20", "scirp_1530101_k10"])
def test_consistent_cases_public_api(case):
    frm = as01(printed_frm(case))
    assert (ism.transitive_closure(frm.to_numpy()).astype(int) == frm.to_numpy()).all()
    levels = ism.level_partition(frm)
    # every factor's level exceeds that of every factor it reaches outside its own cycle (1 = top)
    for i in frm.index:
        for j in frm.columns:
            if frm.loc[i, j] and not frm.loc[j, i]:
                assert levels[i] > levels[j]


def test_scirp_levels_written_out():
    levels = ism.level_partition(as01(printed_frm("scirp_1530101_k10")))
    assert levels.to_dict() == {
        "K1": 6,
        "K2": 5,
        "K3": 4,
        "K4": 4,
        "K5": 5,
        "K6": 3,
        "K7": 2,
        "K8": 1,
        "K9": 3,
        "K10": 2,
    }


def test_pmc_antecedent_column_has_one_slip():
    """PMC9444705 Table 6: T1's antecedent set is printed {1, 12}; the reachability sets give {1, 19}."""
    frm = as01(printed_frm("pmc9444705_t20"))
    with open(CASES / "pmc9444705_t20" / "antecedents.csv", encoding="utf-8") as fh:
        printed = {r["factor"]: set(r["antecedent_set"].split()) for r in csv.DictReader(fh)}
    columns = {t: {s for s in frm.index if frm.loc[s, t]} for t in frm.columns}
    wrong = {t: (sorted(printed[t]), sorted(columns[t])) for t in frm.columns if printed[t] != columns[t]}
    assert wrong == {"T1": (["T1", "T12"], ["T1", "T19"])}


def test_published_studies_table():
    table = published_studies()
    assert list(table.columns) == ["name", "citation", "year", "field", "n", "consistent"]
    assert dict(zip(table.name, table.consistent)) == {
        "hanspub_2571031_s10": True,
        "hanspub_3140473_s10": True,
        "infogaps_r7": False,
        "pmc9444705_t20": True,
        "scirp_1530101_k10": True,
        "scitepress_2021_c16": False,
    }
    assert dict(zip(table.name, table.n)) == {
        "hanspub_2571031_s10": 10,
        "hanspub_3140473_s10": 10,
        "infogaps_r7": 7,
        "pmc9444705_t20": 20,
        "scirp_1530101_k10": 10,
        "scitepress_2021_c16": 16,
    }


def test_load_published_returns_copies_and_audits():
    study = load_published("scitepress_2021_c16")
    assert isinstance(study, PublishedStudy) and study.n == 16
    frm = study.frm
    assert frm.loc["C1", "C4"] == "1*" and frm.loc["C1", "C3"] == "0"
    frm.loc["C1", "C3"] = "1"
    assert study.frm.loc["C1", "C3"] == "0"
    assert study.irm is None and study.ssim is None and study.powers is None and study.clusters is None
    report = study.audit()
    assert len(report.missing) == 22 and report.levels_wrong_from == 2
    assert "Table 3" in study.source


def test_load_published_unknown_name():
    with pytest.raises(ISMInputError, match="unknown published study 'x'"):
        load_published("x")


def test_package_casebook_and_test_copies_are_identical():
    """The tests read tests/data/cases; users read the package data: the two copies must not drift apart."""
    package = Path(__file__).parent.parent / "src" / "ism_health" / "datasets" / "published"
    studies = sorted(p.name for p in package.iterdir() if (p / "meta.json").is_file())
    assert studies == sorted(p.name for p in CASES.iterdir() if (p / "meta.json").is_file())
    for name in studies:
        files = sorted(f.name for f in (package / name).iterdir() if f.is_file())
        assert files == sorted(f.name for f in (CASES / name).iterdir() if f.is_file()), name
        for f in files:
            assert (package / name / f).read_bytes() == (CASES / name / f).read_bytes(), f"{name}/{f}"


@pytest.mark.parametrize("name", ["infogaps_r7", "pmc9444705_t20", "scirp_1530101_k10", "scitepress_2021_c16"])
def test_every_source_note_says_what_the_audit_or_the_paper_shows(name):
    """docs/make_casebook.py prints each study's "## What ..." section: every note must have one."""
    text = (CASES / name / "source.md").read_text(encoding="utf-8")
    section = text.split("\n## What", 1)
    assert len(section) == 2 and section[1].split("\n", 1)[1].strip()
