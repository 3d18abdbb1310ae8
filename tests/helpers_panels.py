"""Shared helpers of the expert-panel tests: small panels, random panels (hypothesis) and filled forms."""

from __future__ import annotations

import itertools
from pathlib import Path

from hypothesis import strategies as st
from openpyxl import load_workbook

import ism_health as ism
from ism_health import SSIM, Panel


def long_panel(answers: dict[str, str], labels=("a", "b", "c")) -> Panel:
    """A panel from {expert: 'symbols for the pairs (a,b), (a,c), (b,c)'}."""
    pairs = list(itertools.combinations(labels, 2))
    rows = [(e, fi, fj, s) for e, syms in answers.items() for (fi, fj), s in zip(pairs, syms)]
    return Panel.from_long(rows, labels=list(labels))


symbol_panels = st.integers(2, 5).flatmap(
    lambda n: st.tuples(
        st.just(n),
        st.lists(st.lists(st.integers(0, 3), min_size=n * (n - 1) // 2, max_size=n * (n - 1) // 2), min_size=1, max_size=7),
    )
)


def fill_form(path: Path, ssim: SSIM | None, *, expert=None, comments=None, skip=()):
    """Fill a pairs-style form (V/A/X/O or yes/no) with the answers of ``ssim`` using openpyxl."""
    wb = load_workbook(path)
    sheet = "Questions" if "Questions" in wb.sheetnames else "Matrix"
    ws = wb[sheet]
    if expert is not None:
        ws["B1"] = expert
    if sheet == "Matrix":
        labels = [c.value for c in ws[4][1:]]
        for r, fa in enumerate(labels):
            for c, fb in enumerate(labels):
                if c > r and ssim is not None:
                    ws.cell(row=5 + r, column=2 + c).value = ssim.symbol(fa, fb)
        wb.save(path)
        return
    head = [c.value for c in ws[4]]
    ca, cb = head.index("First factor") + 1, head.index("Second factor") + 1
    for r in range(5, ws.max_row + 1):
        fa, fb = ws.cell(row=r, column=ca).value, ws.cell(row=r, column=cb).value
        if fa is None or ssim is None or (fa, fb) in skip:
            continue
        sym = ssim.symbol(fa, fb)
        if "Answer (V/A/X/O)" in head:
            ws.cell(row=r, column=head.index("Answer (V/A/X/O)") + 1).value = sym.lower() if r % 2 else sym
        else:
            fwd, bwd = sym in "VX", sym in "AX"
            ws.cell(row=r, column=head.index("Answer 1 (yes/no)") + 1).value = "yes" if fwd else "No"
            ws.cell(row=r, column=head.index("Answer 2 (yes/no)") + 1).value = "Yes" if bwd else "no"
        if comments and (fa, fb) in comments:
            cell = ws.cell(row=r, column=head.index("Comment") + 1)
            cell.value = comments[(fa, fb)]
            cell.data_type = "s"  # typed as text (openpyxl would otherwise store '=...' as a formula)
    wb.save(path)


def make_forms(folder: Path, n_experts=2, labels=("Law", "Trust", "Cost"), **kw) -> SSIM:
    truth = SSIM.from_pairs([(labels[0], labels[1], "V"), (labels[0], labels[2], "O"), (labels[1], labels[2], "A")])
    for k in range(1, n_experts + 1):
        path = ism.write_questionnaire(list(labels), folder / f"e{k}.xlsx", **kw)
        fill_form(path, truth, expert=f"e{k}")
    return truth
