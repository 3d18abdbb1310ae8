"""Casebook studies read from open-access publishers' pages (issue 16), through the public API.

The printed tables are read from the test copies in ``tests/data/cases/<case>/`` (``source.md`` there
gives where they were read and what was not legible). Expected values are written out here, or
computed by the plain loops below (an oracle written independently of ``ism_health.reachability``
and ``ism_health.levels``), never by the code under test.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

import ism_health as ism
from ism_health.datasets import load_published

CASES = Path(__file__).parent / "data" / "cases"
PACKAGE = Path(__file__).parent.parent / "src" / "ism_health" / "datasets" / "published"
NEW = ("hanspub_2571031_s10", "hanspub_3140473_s10")


def printed_frm(name: str) -> pd.DataFrame:
    return pd.read_csv(CASES / name / "frm.csv", index_col=0, dtype=str, keep_default_na=False)


def as01(frame: pd.DataFrame) -> pd.DataFrame:
    return (frame != "0").astype(int)


def printed_antecedents(name: str) -> dict[str, set[str]]:
    with open(CASES / name / "antecedents.csv", encoding="utf-8") as fh:
        return {r["factor"]: set(r["antecedent_set"].split()) for r in csv.DictReader(fh)}


def reach_sets(frame: pd.DataFrame) -> dict[str, set[str]]:
    return {i: {j for j in frame.columns if frame.loc[i, j]} for i in frame.index}


def loop_missing(frame: pd.DataFrame) -> set[tuple[str, str]]:
    """Pairs (i, k) that i -> j -> k requires and the matrix lacks: a literal triple loop."""
    out = set()
    for i in frame.index:
        for j in frame.columns:
            if not frame.loc[i, j]:
                continue
            for k in frame.columns:
                if frame.loc[j, k] and not frame.loc[i, k]:
                    out.add((i, k))
    return out


def loop_levels(reach: dict[str, set[str]]) -> dict[str, int]:
    """Warfield's partition with sets: a factor is on top when its reachability set (among the
    factors left) is contained in its antecedent set; remove the top and repeat."""
    left = set(reach)
    level = {}
    k = 0
    while left:
        k += 1
        top = set()
        for f in left:
            r = reach[f] & left
            a = {g for g in left if f in reach[g]}
            if r <= a:
                top.add(f)
        assert top, "no top level: not a reachability relation"
        for f in top:
            level[f] = k
        left -= top
    return level


@pytest.mark.parametrize("name", NEW)
def test_source_note_and_meta(name):
    text = (CASES / name / "source.md").read_text(encoding="utf-8")
    assert "Transcribed" in text and "https://html.hanspub.org/file/" in text
    assert "NOT in the text available" in text  # the missing citation is said, not invented
    section = text.split("\n## What", 1)
    assert len(section) == 2 and section[1].split("\n", 1)[1].strip()
    study = load_published(name)
    assert study.n == 10 and study.meta["url"].startswith("https://html.hanspub.org/file/_")
    assert study.levels is None and study.powers is None and study.irm is None and study.ssim is None


@pytest.mark.parametrize("name", NEW)
def test_package_copy_is_the_test_copy(name):
    files = sorted(f.name for f in (PACKAGE / name).iterdir() if f.is_file())
    assert files == ["antecedents.csv", "frm.csv", "meta.json", "source.md"]
    for f in files:
        assert (PACKAGE / name / f).read_bytes() == (CASES / name / f).read_bytes(), f


@pytest.mark.parametrize("name", NEW)
def test_printed_sets_are_a_reachability_relation(name):
    """Reflexive and transitive by a literal loop; the library's closure adds nothing; the audit agrees."""
    frm = as01(printed_frm(name))
    assert all(frm.loc[f, f] == 1 for f in frm.index)
    assert loop_missing(frm) == set()
    assert (ism.transitive_closure(frm.to_numpy()).astype(int) == frm.to_numpy()).all()
    report = load_published(name).audit()
    assert report.consistent and report.missing.empty and report.missing_diagonal == ()
    assert report.true_levels.to_dict() == loop_levels(reach_sets(frm))


def test_hanspub_2571031_levels_written_out():
    frm = as01(printed_frm("hanspub_2571031_s10"))
    expected = {"S8": 1, "S10": 1, "S6": 2, "S9": 2, "S3": 3, "S4": 3, "S5": 3, "S7": 3, "S1": 4, "S2": 4}
    assert ism.level_partition(frm).to_dict() == expected
    assert loop_levels(reach_sets(frm)) == expected


def test_hanspub_3140473_levels_written_out():
    frm = as01(printed_frm("hanspub_3140473_s10"))
    expected = {"s4": 1, "s5": 1, "s6": 1, "s8": 1, "s7": 2, "s10": 2, "s3": 3, "s9": 3, "s1": 4, "s2": 4}
    assert ism.level_partition(frm).to_dict() == expected
    assert loop_levels(reach_sets(frm)) == expected


def test_hanspub_2571031_antecedent_column_has_one_slip():
    """S1's antecedent set is printed {1, 2}; no printed reachability set but S1's own contains S1."""
    frm = as01(printed_frm("hanspub_2571031_s10"))
    printed = printed_antecedents("hanspub_2571031_s10")
    columns = {t: {s for s in frm.index if frm.loc[s, t]} for t in frm.columns}
    wrong = {t: (sorted(printed[t]), sorted(columns[t])) for t in frm.columns if printed[t] != columns[t]}
    assert wrong == {"S1": (["S1", "S2"], ["S1"])}
    # the slip is not in S2's row: reaching S1 would make S2 reach S4, and S4's antecedents lack S2
    assert printed["S4"] == {"S1", "S4"}


def test_hanspub_3140473_antecedent_column_matches():
    frm = as01(printed_frm("hanspub_3140473_s10"))
    printed = printed_antecedents("hanspub_3140473_s10")
    assert printed == {t: {s for s in frm.index if frm.loc[s, t]} for t in frm.columns}


def test_audit_finds_an_entry_removed_from_a_printed_case():
    """Remove S1 -> S6 from the printed sets: S1 -> S4 -> S6 requires it, and only it comes back."""
    frm = printed_frm("hanspub_2571031_s10")
    frm.loc["S1", "S6"] = "0"
    report = ism.audit(frm)
    assert not report.consistent
    assert loop_missing(as01(frm)) == {("S1", "S6")}
    assert [(r.source, r.target) for r in report.missing.itertuples()] == [("S1", "S6")]
    assert report.missing.loc[0, "chain"].startswith("S1 -> ") and report.missing.loc[0, "chain"].endswith("-> S6")


def test_audit_flags_levels_printed_from_the_wrong_end():
    """Hand-written levels turned upside down (the study's bottom printed as level 1) are all caught."""
    frm = printed_frm("hanspub_3140473_s10")
    upside_down = {"s1": 1, "s2": 1, "s3": 2, "s9": 2, "s7": 3, "s10": 3, "s4": 4, "s5": 4, "s6": 4, "s8": 4}
    report = ism.audit(frm, levels=upside_down)
    assert not report.consistent and report.levels_wrong_from == 1
    assert set(report.level_mismatches["factor"]) == {"s1", "s2", "s3", "s9", "s7", "s10", "s4", "s5", "s6", "s8"}
