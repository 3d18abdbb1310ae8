"""The ``ism-health robustness`` subcommand: filled forms in, tables and figures out, exit 2 on bad input."""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import numpy as np
import pytest
from openpyxl import load_workbook

import ism_health as ism
from ism_health import cli_robustness as cr
from ism_health.experts import robustness as rb


def _fill(path: Path, ssim: ism.SSIM, expert: str) -> None:
    """Answer a pairs-style form with the symbols of ``ssim``."""
    wb = load_workbook(path)
    ws = wb["Questions"]
    ws["B1"] = expert
    head = [c.value for c in ws[4]]
    ca, cb = head.index("First factor") + 1, head.index("Second factor") + 1
    cans = head.index("Answer (V/A/X/O)") + 1
    for r in range(5, ws.max_row + 1):
        fa, fb = ws.cell(row=r, column=ca).value, ws.cell(row=r, column=cb).value
        if fa is not None:
            ws.cell(row=r, column=cans).value = ssim.symbol(fa, fb)
    wb.save(path)


@pytest.fixture
def forms(tmp_path):
    labels = ['=HYPERLINK("x")', "Trust", "Cost", "Law", "Use"]
    truth = ism.SSIM(labels, np.triu(np.ones((5, 5), dtype=bool), 1) & (np.random.default_rng(2).random((5, 5)) < 0.6))
    panel = ism.simulate_panel(truth, 5, 0.2, seed=4)
    folder = tmp_path / "forms"
    folder.mkdir()
    for e in panel.experts:
        path = ism.write_questionnaire(labels, folder / f"{e}.xlsx")
        _fill(path, panel.expert_ssim(e), e)
    return folder, panel


def _parse(argv):
    top = argparse.ArgumentParser(prog="ism-health")
    cr.add_parser(top.add_subparsers(dest="command"))
    return top.parse_args(argv)


def test_cli_writes_tables_and_figures(forms, tmp_path, capsys):
    folder, panel = forms
    out = tmp_path / "out"
    args = _parse(["robustness", str(folder), "--resamples", "50", "--seed", "3", "-o", str(out)])
    assert args.func(args) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("Robustness over the panel: bootstrap, 50 resamples of 5 experts (seed 3)")
    names = sorted(p.name for p in out.iterdir())
    tables = [
        "cluster_frequencies",
        "edge_frequencies",
        "level_frequencies",
        "power_intervals",
        "precedence",
        "stability",
    ]
    assert names == sorted(
        [f"{t}.csv" for t in tables]
        + ["robustness.xlsx", "summary.txt", "level_stability.png", "micmac_cloud.png", "edge_frequencies.png"]
    )
    # the same numbers as the API, and the formula-like factor name stays text
    want = rb.robustness(panel, n_resamples=50, seed=3).stability
    with open(out / "stability.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[1][0] == '\'=HYPERLINK("x")'
    assert [r[0] for r in rows[2:]] == list(want.index[1:])
    assert [float(r[3]) for r in rows[1:]] == want["level_share"].tolist()
    ws = load_workbook(out / "robustness.xlsx")["stability"]
    assert ws["A2"].value == '=HYPERLINK("x")' and ws["A2"].data_type == "s"
    # a non-empty folder is refused, unless --force
    assert cr.run(args) == 2
    assert "not empty" in capsys.readouterr().err
    again = _parse(
        [
            "robustness",
            *(str(folder / f"{e}.xlsx") for e in panel.experts[:3]),
            "--method",
            "jackknife",
            "-o",
            str(out),
            "--force",
        ]
    )
    assert cr.run(again) == 0
    assert "jackknife, 3 resamples of 3 experts" in (out / "summary.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--resamples", "0"], "n_resamples=0"),
        (["--threshold", "1.5"], "threshold=1.5"),
        (["--micmac-threshold=-1"], "threshold=-1.0 is not allowed"),
    ],
)
def test_cli_bad_options_exit_2_one_line(forms, tmp_path, capsys, extra, message):
    folder, _ = forms
    args = _parse(["robustness", str(folder), "--seed", "1", "--resamples", "30", "-o", str(tmp_path / "o"), *extra])
    assert cr.run(args) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and err.startswith("ism-health robustness: error:")


def test_cli_bad_input_paths(tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert cr.run(_parse(["robustness", str(empty), "-o", str(tmp_path / "o")])) == 2
    assert "no filled questionnaires" in capsys.readouterr().err
    assert cr.run(_parse(["robustness", str(tmp_path / "nope.xlsx"), "-o", str(tmp_path / "o")])) == 2
    assert "no such file" in capsys.readouterr().err
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook")
    assert cr.run(_parse(["robustness", str(bad), "-o", str(tmp_path / "o")])) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_cli_ism_bundle_carries_the_robustness_result(forms, tmp_path, capsys):
    from html.parser import HTMLParser

    folder, panel = forms
    out = tmp_path / "out"
    args = _parse(["robustness", str(folder), "--method", "jackknife", "--ism", "-o", str(out)])
    assert args.func(args) == 0
    assert (out / "stability.csv").is_file() and (out / "robustness.xlsx").is_file()
    wb = load_workbook(out / "ism" / "ism_result.xlsx")
    assert wb.sheetnames[:3] == ["SSIM", "IRM", "FRM"]
    assert "Robustness stability" in wb.sheetnames and "Robustness edge frequencies" in wb.sheetnames
    # the ISM is the whole panel's aggregated SSIM, by the same rule
    want = ism.analyze(panel.aggregate("threshold", threshold=0.5))
    assert [c.value for c in wb["IRM"]["A"]][1:] == list(want.ssim.labels)
    ids = []

    class Ids(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag == "section":
                ids.append(dict(attrs)["id"])

    Ids().feed((out / "ism" / "report.html").read_text(encoding="utf-8"))
    assert ids[-2:] == ["extra-robustness", "parameters"]
    assert f"wrote {len(list(out.rglob('*.*')))} files" in capsys.readouterr().out
