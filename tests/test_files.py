"""Formula-safe cells and table writers (ism_health._files)."""

from __future__ import annotations

from ism_health._files import csv_safe, csv_unescape


def test_csv_safe_neutralises_every_formula_start():
    for text in ["=1", "+1", "-1", "@A1", "\t=1", "\r=1", "'x"]:
        safe = csv_safe(text)
        assert safe.startswith("'") and csv_unescape(safe) == text
    assert csv_safe("Trust") == "Trust"
