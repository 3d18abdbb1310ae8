"""Fuzz every reader with a fixed seed: each input is read or refused with an ISMInputError, never anything else.

Issue 17: random bytes, random CSV text, random JSON and damaged xlsx zips go to
``read_ssim``; random and damaged files to ``read_factors``; damaged forms to
``read_panel``; random JSON to ``ISMResult.from_json``. The only other thing a
reader may do is warn with :class:`~ism_health.ISMWarning` (a closed input that
may be an FRM). ``derandomize=True`` makes every run draw the same examples.
"""

from __future__ import annotations

import gc
import io
import itertools
import json
import os
import random
import warnings
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ism_health as ism
from ism_health import SSIM, ISMInputError, ISMWarning, read_ssim
from ism_health.experts import read_factors, read_panel, write_questionnaire

FUZZ = settings(
    derandomize=True,
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
_counter = itertools.count()


def _open_fds() -> int:
    """How many file descriptors this process holds (Linux); 0 where that cannot be read."""
    try:
        return len(os.listdir("/proc/self/fd"))
    except OSError:
        return 0


def _only_input_errors(call, *args, **kwargs):
    """Run a reader: it may return, raise ISMInputError or warn ISMWarning; anything else fails the test."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fds = _open_fds()
        try:
            result = call(*args, **kwargs)
        except ISMInputError as err:
            assert str(err), "an ISMInputError must say what is wrong"
            result = err
        if _open_fds() > fds:
            gc.collect()  # a file the reader left open warns now, inside this check
    others = [w for w in caught if not issubclass(w.category, ISMWarning)]
    assert not others, [str(w.message) for w in others]
    return result


def _write(tmp_path: Path, suffix: str, data: bytes | str) -> Path:
    path = tmp_path / f"f{next(_counter)}{suffix}"
    if isinstance(data, str):
        path.write_bytes(data.encode("utf-8", "surrogatepass"))
    else:
        path.write_bytes(data)
    return path


# ---------------------------------------------------------------------------------------------- inputs
CELL_TEXT = st.text(alphabet=list("VAXOvaxo01*-. ,;\t\"'\n\r=+@éßΩ\x00\x01\ud800"), max_size=6) | st.sampled_from(
    ["nan", "inf", "1.0", "1 *", "-1", "1e999", "0x1"]
)


@st.composite
def csv_texts(draw):
    """CSV-ish text: a grid of cells over a random separator, sometimes with a title, quotes or stray cells."""
    sep = draw(st.sampled_from([",", ";", "\t"]))
    n = draw(st.integers(0, 5))
    labels = draw(st.lists(st.text(alphabet="abcXY \"',;1*", min_size=0, max_size=4), min_size=n, max_size=n))
    rows = [[""] + labels]
    for i in range(n):
        rows.append([labels[i]] + [draw(CELL_TEXT) for _ in range(draw(st.integers(0, n + 1)))])
    if draw(st.booleans()):
        rows.insert(0, [draw(st.text(max_size=10))])
    return "\n".join(sep.join(r) for r in rows) + draw(st.sampled_from(["", "\n", "\n\n,,stray", '"']))


def json_values():
    leaves = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5)
    return st.recursive(
        leaves,
        lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=6), kids, max_size=4),
        max_leaves=12,
    )


@st.composite
def ssim_like_json(draw):
    """An object shaped almost like SSIM.to_json's, with any part replaced by something else."""
    labels = draw(st.lists(st.text(max_size=3), max_size=4) | json_values())
    pairs = draw(
        st.lists(st.lists(st.text(alphabet="abVAXO", max_size=2) | json_values(), max_size=4), max_size=6)
        | json_values()
    )
    obj = {
        "format": draw(st.sampled_from(["ism_health.ssim/1", "ism_health.ssim/2", None, 1])),
        "labels": labels,
        "pairs": pairs,
    }
    for key in draw(st.lists(st.sampled_from(["format", "labels", "pairs"]), max_size=2)):
        obj.pop(key, None)
    return obj


def _xlsx_bytes() -> bytes:
    s = SSIM.from_pairs([("Law", "Trust", "V"), ("Law", "Cost", "O"), ("Trust", "Cost", "A")])
    buf = io.BytesIO()
    from openpyxl import Workbook

    wb = Workbook()  # the usual writer: shared strings, styles, a dimension
    ws = wb.active
    ws.title = "SSIM"
    for row in [[None, *s.labels]] + [[lab, *row] for lab, row in zip(s.labels, s.to_frame().values.tolist())]:
        ws.append(row)
    wb.create_sheet("Notes").append(["notes"])
    wb.save(buf)
    return buf.getvalue()


XLSX = _xlsx_bytes()


@st.composite
def damaged_zips(draw, base: bytes = XLSX):
    """A valid workbook with one part dropped, truncated, overwritten or bit-flipped, or the zip itself cut."""
    how = draw(st.sampled_from(["drop", "truncate", "garbage", "flip", "cut", "xml"]))
    if how == "cut":
        return base[: draw(st.integers(0, len(base) - 1))]
    src = zipfile.ZipFile(io.BytesIO(base))
    names = src.namelist()
    target = draw(st.sampled_from(names))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in names:
            data = src.read(name)
            if name == target:
                if how == "drop":
                    continue
                if how == "truncate":
                    data = data[: draw(st.integers(0, max(0, len(data) - 1)))]
                elif how == "garbage":
                    data = draw(st.binary(max_size=64))
                elif how == "flip" and data:
                    k = draw(st.integers(0, len(data) - 1))
                    data = data[:k] + bytes([data[k] ^ draw(st.integers(1, 255))]) + data[k + 1 :]
                elif how == "xml":
                    data = draw(st.sampled_from([b"<x/>", b"<?xml version='1.0'?><worksheet/>", b"<sst><si><t>", b""]))
            dst.writestr(name, data)
    return out.getvalue()


# ---------------------------------------------------------------------------------------------- read_ssim
@FUZZ
@given(data=st.binary(max_size=200), suffix=st.sampled_from([".csv", ".json", ".xlsx", ".tsv"]))
def test_read_ssim_random_bytes(tmp_path, data, suffix):
    _only_input_errors(read_ssim, _write(tmp_path, suffix, data))


@FUZZ
@given(
    text=csv_texts(),
    sep=st.sampled_from([None, None, ",", ";"]),
    kind=st.sampled_from(["auto", "auto", "frm", "matrix"]),
)
def test_read_ssim_random_csv_text(tmp_path, text, sep, kind):
    result = _only_input_errors(read_ssim, _write(tmp_path, ".csv", text), sep=sep, kind=kind)
    if isinstance(result, SSIM):
        assert len(result.labels) >= 2 and all(isinstance(x, str) and x for x in result.labels)


@FUZZ
@given(value=json_values() | ssim_like_json())
def test_read_ssim_random_json(tmp_path, value):
    _only_input_errors(read_ssim, _write(tmp_path, ".json", json.dumps(value)))


@FUZZ
@given(data=damaged_zips(), sheet=st.sampled_from([None, "SSIM", "Notes"]))
def test_read_ssim_damaged_xlsx(tmp_path, data, sheet):
    _only_input_errors(read_ssim, _write(tmp_path, ".xlsx", data), sheet=sheet)


# ---------------------------------------------------------------------------------------------- read_factors
@FUZZ
@given(
    data=st.binary(max_size=120)
    | st.text(alphabet=list("label,code;description\n\t\"'abc\x00\x01é"), max_size=80).map(
        lambda t: t.encode("latin-1", "replace")
    ),
    suffix=st.sampled_from([".csv", ".xlsx"]),
)
def test_read_factors_random_files(tmp_path, data, suffix):
    result = _only_input_errors(read_factors, _write(tmp_path, suffix, data))
    if not isinstance(result, ISMInputError):
        assert list(result.columns) == ["code", "label", "description"]


@FUZZ
@given(data=damaged_zips())
def test_read_factors_damaged_xlsx(tmp_path, data):
    _only_input_errors(read_factors, _write(tmp_path, ".xlsx", data))


# ---------------------------------------------------------------------------------------------- read_panel
@pytest.fixture(scope="module")
def form_bytes(tmp_path_factory):
    path = tmp_path_factory.mktemp("form") / "E01.xlsx"
    write_questionnaire(["Law", "Trust", "Cost"], path, expert="E01")
    return path.read_bytes()


def _damage(base: bytes, rng: random.Random) -> bytes:
    """The mutations of damaged_zips, drawn from a seeded generator (no hypothesis machinery)."""
    how = rng.choice(["drop", "truncate", "garbage", "flip", "cut", "xml"])
    if how == "cut":
        return base[: rng.randrange(len(base))]
    src = zipfile.ZipFile(io.BytesIO(base))
    target = rng.choice(src.namelist())
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == target:
                if how == "drop":
                    continue
                if how == "truncate":
                    data = data[: rng.randrange(max(1, len(data)))]
                elif how == "garbage":
                    data = rng.randbytes(rng.randrange(64))
                elif how == "flip" and data:
                    k = rng.randrange(len(data))
                    data = data[:k] + bytes([data[k] ^ rng.randrange(1, 256)]) + data[k + 1 :]
                elif how == "xml":
                    data = rng.choice([b"<x/>", b"<?xml version='1.0'?><worksheet/>", b"<sst><si><t>", b""])
            dst.writestr(name, data)
    return out.getvalue()


def test_read_panel_damaged_forms(tmp_path, form_bytes):
    # a plain seeded loop over damaged copies of a real form
    rng = random.Random(17)
    wrong = []
    for _ in range(150):
        path = _write(tmp_path, ".xlsx", _damage(form_bytes, rng))
        try:
            _only_input_errors(read_panel, [path])
        except (AssertionError, Exception) as exc:  # collect every wrong outcome, then fail once
            wrong.append(f"{type(exc).__name__}: {str(exc)[:120]}")
    assert wrong == []


# ---------------------------------------------------------------------------------------------- result JSON
@FUZZ
@given(value=json_values())
def test_result_from_json_random(tmp_path, value):
    _only_input_errors(ism.ISMResult.from_json, _write(tmp_path, ".json", json.dumps(value)))


def test_the_fuzz_would_see_a_wrong_exception():
    """The harness itself: a reader that raises KeyError fails it."""
    with pytest.raises(KeyError):
        _only_input_errors(lambda: {}["x"])
    assert isinstance(_only_input_errors(lambda: (_ for _ in ()).throw(ISMInputError("x"))), ISMInputError)
