"""Robustness over the panel: checked against brute-force loops over the resampled panels."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ism_health as ism
from ism_health.digraph import digraph_members
from ism_health.exceptions import ISMInputError
from ism_health.experts import robustness as rb

CLUSTERS = ("autonomous", "dependent", "linkage", "independent")


def _panel(seed: int = 5, n_experts: int = 12, error_rate: float = 0.15) -> ism.Panel:
    return ism.simulate_panel(ism.datasets.load_example(), n_experts=n_experts, error_rate=error_rate, seed=seed)


def _digraph_links(result: ism.ISMResult) -> set[tuple[str, str]]:
    """Direct links of the ISM digraph, a link between merged cycles expanded to every member pair."""
    g = result.digraph
    members = digraph_members(g)
    return {(a, b) for u, v in g.edges for a in members[u] for b in members[v]}


def _brute(panels: list[ism.Panel], labels: tuple[str, ...], **agg) -> dict[str, pd.DataFrame]:
    """Frequencies by a literal loop: aggregate, analyze, count."""
    micmac_threshold = agg.pop("micmac_threshold", "half")
    k = len(panels)
    n = len(labels)
    levels, clusters, drv, dep = [], [], [], []
    above = pd.DataFrame(0, index=list(labels), columns=list(labels))
    edges: dict[tuple[str, str], int] = {}
    for p in panels:
        res = ism.analyze(p.aggregate(**agg), micmac_threshold=micmac_threshold)
        lv = res.levels
        levels.append(lv)
        clusters.append(res.micmac["cluster"])
        drv.append(res.micmac["driving_power"])
        dep.append(res.micmac["dependence_power"])
        for a in labels:
            for b in labels:
                if lv[a] < lv[b]:
                    above.loc[a, b] += 1
        for link in _digraph_links(res):
            edges[link] = edges.get(link, 0) + 1
    lev = pd.DataFrame(levels)
    level_freq = pd.DataFrame({L: (lev == L).sum(axis=0) / k for L in range(1, n + 1)}, index=list(labels))
    clu = pd.DataFrame(clusters)
    cluster_freq = pd.DataFrame({c: (clu == c).sum(axis=0) / k for c in CLUSTERS}, index=list(labels))
    return {
        "level": level_freq,
        "cluster": cluster_freq,
        "driving": pd.DataFrame(drv),
        "dependence": pd.DataFrame(dep),
        "precedence": above / k,
        "edges": {key: v / k for key, v in edges.items()},
    }


def _check_against(res: rb.RobustnessResult, brute: dict) -> None:
    lf = res.level_frequencies
    want = brute["level"].loc[:, : lf.columns.max()]
    assert brute["level"].loc[:, lf.columns.max() + 1 :].to_numpy().sum() == 0
    np.testing.assert_array_equal(lf.to_numpy(), want.to_numpy())
    np.testing.assert_array_equal(res.cluster_frequencies.to_numpy(), brute["cluster"].to_numpy())
    np.testing.assert_array_equal(res.precedence.to_numpy(), brute["precedence"].to_numpy())
    pw = res.power_intervals
    for key in ("driving", "dependence"):
        values = brute[key].to_numpy()
        for name, q in (("median", 50), ("low", 2.5), ("high", 97.5)):
            np.testing.assert_allclose(
                pw[f"{key}_{name}"].to_numpy(), np.percentile(values, q, axis=0), rtol=0, atol=1e-12
            )
    ef = res.edge_frequencies
    got = {(s, t): f for s, t, f in zip(ef["source"], ef["target"], ef["frequency"]) if f > 0}
    assert got == brute["edges"]


def test_jackknife_equals_leave_one_out_loop():
    panel = _panel(seed=5)
    res = rb.robustness(panel, method="jackknife")
    assert (res.n_resamples, res.n_requested, res.seed, res.complete) == (12, 12, None, True)
    codes = panel.codes
    loo = [
        ism.Panel(panel.labels, [x for x in panel.experts if x != e], np.delete(codes, k, axis=0))
        for k, e in enumerate(panel.experts)
    ]
    _check_against(res, _brute(loo, panel.labels))
    # the panel's own structure is reported beside the frequencies
    full = ism.analyze(panel.aggregate())
    assert res.stability["panel_level"].to_dict() == full.levels.to_dict()
    assert res.stability["panel_cluster"].tolist() == full.micmac["cluster"].tolist()
    assert set(res.edge_frequencies.query("in_panel")[["source", "target"]].itertuples(index=False, name=None)) == (
        _digraph_links(full)
    )


@settings(max_examples=25, deadline=None)
@given(
    n=st.integers(2, 7),
    n_experts=st.integers(2, 5),
    seed=st.integers(0, 2**32 - 1),
    options=st.sampled_from(
        [
            {"rule": "threshold"},
            {"rule": "threshold", "threshold": 0.3, "strict": False},
            {"rule": "mode", "ties": "conservative"},
            {"rule": "mode", "ties": "liberal"},
            {"rule": "unanimity"},
        ]
    ),
)
def test_jackknife_property_random_panels(n, n_experts, seed, options):
    rng = np.random.default_rng(seed)
    labels = [f"C{k}" for k in range(n)]
    codes = rng.choice(4, size=(n_experts, n * (n - 1) // 2), p=[0.4, 0.3, 0.2, 0.1]).astype(np.int8)
    panel = ism.Panel(labels, [f"e{k}" for k in range(n_experts)], codes)
    res = rb.robustness(panel, method="jackknife", **options)
    loo = [
        ism.Panel(labels, [f"e{x}" for x in range(n_experts) if x != k], np.delete(codes, k, axis=0))
        for k in range(n_experts)
    ]
    _check_against(res, _brute(loo, panel.labels, **options))


@pytest.mark.parametrize(
    "options",
    [
        {"rule": "mode", "ties": "conservative"},
        {"rule": "mode", "ties": "liberal", "micmac_threshold": "mean"},
        {"rule": "unanimity"},
        {"rule": "threshold", "threshold": 0.25, "strict": False},
        {"rule": "threshold"},  # shares of exactly 0.5 occur (ties at the threshold: not asserted)
        {"rule": "threshold", "threshold": 1 / 3, "strict": False},
        {"rule": "threshold", "float_weights": True},
        {"rule": "mode", "ties": "liberal", "float_weights": True},
    ],
)
def test_bootstrap_equals_loop_over_drawn_panels(options):
    # integer weights take the exact float32 counts, other weights the float64 shares
    panel = _panel(seed=7, n_experts=6, error_rate=0.2)
    opts = dict(options)
    if opts.pop("float_weights", False):
        weights = {e: 0.55 + 0.37 * k for k, e in enumerate(panel.experts)}
    else:
        weights = {e: 1.0 + k % 3 for k, e in enumerate(panel.experts)}
    if opts["rule"] != "unanimity":
        opts["weights"] = weights
    res = rb.robustness(panel, n_resamples=25, seed=11, **opts)
    # the documented draws: default_rng(seed).integers(0, n_experts, (n_resamples, n_experts))
    idx = np.random.default_rng(11).integers(0, 6, size=(25, 6), dtype=np.int32)
    panels = []
    for row in idx:
        names = [f"{panel.experts[i]}#{k}" for k, i in enumerate(row)]
        panels.append(ism.Panel(panel.labels, names, panel.codes[row]))
    agg = {key: v for key, v in opts.items() if key != "weights"}
    results = []
    for p, row in zip(panels, idx):
        a = dict(agg)
        if "weights" in opts:  # an expert drawn twice carries their weight twice
            a["weights"] = {f"{panel.experts[i]}#{k}": weights[panel.experts[i]] for k, i in enumerate(row)}
        results.append(_brute([p], panel.labels, **a))
    k = len(results)
    level = sum(r["level"] for r in results) / k
    np.testing.assert_allclose(
        res.level_frequencies.to_numpy(), level.loc[:, : res.level_frequencies.columns.max()].to_numpy(), atol=1e-12
    )
    cluster = sum(r["cluster"] for r in results) / k
    np.testing.assert_allclose(res.cluster_frequencies.to_numpy(), cluster.to_numpy(), atol=1e-12)
    prec = sum(r["precedence"] for r in results) / k
    np.testing.assert_allclose(res.precedence.to_numpy(), prec.to_numpy(), atol=1e-12)
    edges: dict = {}
    for r in results:
        for key in r["edges"]:
            edges[key] = edges.get(key, 0) + 1
    ef = res.edge_frequencies
    got = {(s, t): round(f * k) for s, t, f in zip(ef["source"], ef["target"], ef["frequency"]) if f > 0}
    assert got == edges


def _table_bytes(res: rb.RobustnessResult) -> dict[str, bytes]:
    out = {}
    for name, table in rb.robustness_tables(res).items():
        buf = io.StringIO()
        table.to_csv(buf)
        out[name] = buf.getvalue().encode()
    return out


def test_bootstrap_reproducible_and_seed_matters():
    panel = _panel(seed=3)
    a = rb.robustness(panel, n_resamples=300, seed=42)
    b = rb.robustness(panel, n_resamples=300, seed=42)
    c = rb.robustness(panel, n_resamples=300, seed=43)
    assert _table_bytes(a) == _table_bytes(b)
    assert a.summary() == b.summary()
    assert _table_bytes(a) != _table_bytes(c)
    for table in (a.level_frequencies, a.cluster_frequencies):
        np.testing.assert_allclose(table.sum(axis=1), 1.0)


def test_chunking_does_not_change_the_result(monkeypatch):
    panel = _panel(seed=3)
    whole = rb.robustness(panel, n_resamples=120, seed=9)
    monkeypatch.setattr(rb, "CHUNK_BYTES", 16 * 13 * 13 * 7)  # chunks of 7 resamples
    assert rb._chunk_size(13) == 7
    assert _table_bytes(rb.robustness(panel, n_resamples=120, seed=9)) == _table_bytes(whole)


def test_seed_none_records_the_entropy_used():
    panel = _panel(seed=3, n_experts=4)
    a = rb.robustness(panel, n_resamples=20)
    assert isinstance(a.seed, int)
    assert _table_bytes(rb.robustness(panel, n_resamples=20, seed=a.seed)) == _table_bytes(a)


def test_tables_are_copies_and_result_frozen():
    res = rb.robustness(_panel(seed=3, n_experts=4), method="jackknife")
    t = res.level_frequencies
    t.iloc[0, 0] = 99.0
    assert res.level_frequencies.iloc[0, 0] != 99.0
    with pytest.raises(AttributeError):
        res.n_resamples = 3  # type: ignore[misc]


def test_keyboard_interrupt_keeps_completed_chunks(monkeypatch):
    panel = _panel(seed=3)
    monkeypatch.setattr(rb, "CHUNK_BYTES", 16 * 13 * 13 * 10)  # chunks of 10
    real = rb._chunk_counts
    calls = []

    def stop_third(spec, idx, offset=0):
        calls.append(offset)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(spec, idx, offset)

    monkeypatch.setattr(rb, "_chunk_counts", stop_third)
    res = rb.robustness(panel, n_resamples=100, seed=1)
    assert (res.complete, res.n_resamples, res.n_requested) == (False, 20, 100)
    assert "INTERRUPTED: 20 of 100" in res.summary()
    monkeypatch.setattr(rb, "_chunk_counts", real)
    # the partial counts are those of the first 20 draws, which a run of 20 resamples also makes
    assert _table_bytes(res) == _table_bytes(rb.robustness(panel, n_resamples=20, seed=1))

    def stop_first(spec, idx, offset=0):
        raise KeyboardInterrupt

    monkeypatch.setattr(rb, "_chunk_counts", stop_first)
    with pytest.raises(KeyboardInterrupt):
        rb.robustness(panel, n_resamples=100, seed=1)


def test_mode_ties_raise_names_the_resample():
    panel = ism.Panel.from_long(
        [
            ("e1", "a", "b", "V"),
            ("e2", "a", "b", "A"),
            ("e3", "a", "b", "V"),
            ("e1", "a", "c", "O"),
            ("e2", "a", "c", "O"),
            ("e3", "a", "c", "O"),
            ("e1", "b", "c", "O"),
            ("e2", "b", "c", "O"),
            ("e3", "b", "c", "O"),
        ]
    )
    with pytest.raises(
        ISMInputError, match=r"resample \d+ .*tie, e\.g\. pair \('a', 'b'\) between V, A.*ties='conservative'"
    ):
        rb.robustness(panel, method="jackknife", rule="mode")
    res = rb.robustness(panel, method="jackknife", rule="mode", ties="conservative")
    # leaving e2 out: V wins; leaving e1 or e3 out: V/A tie -> O (conservative)
    assert res.edge_frequencies.query("source == 'a' and target == 'b'")["frequency"].tolist() == [pytest.approx(1 / 3)]


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"method": "boot"}, "method"),
        ({"n_resamples": 0}, "n_resamples"),
        ({"n_resamples": 2.5}, "n_resamples"),
        ({"seed": -1}, "seed"),
        ({"backend": "spark"}, "backend"),
        ({"rule": "median"}, "rule"),
        ({"threshold": 1.5}, "threshold"),
        ({"weights": {"nobody": 1.0}}, "unknown expert"),
        ({"micmac_threshold": "max"}, "threshold"),
        ({"on_boundary": "middle"}, "on_boundary"),
        ({"progress": "yes"}, "progress"),
    ],
)
def test_bad_options_rejected_up_front(kwargs, match):
    with pytest.raises(ISMInputError, match=match):
        rb.robustness(_panel(seed=3, n_experts=3), **kwargs)


def test_bad_panel_and_small_jackknife():
    with pytest.raises(ISMInputError, match="needs a Panel"):
        rb.robustness(ism.datasets.load_example())
    one = ism.simulate_panel(ism.datasets.load_example("worked"), 1, 0.1, seed=1)
    with pytest.raises(ISMInputError, match="at least 2 experts"):
        rb.robustness(one, method="jackknife")
    with pytest.raises(ISMInputError, match="RobustnessResult"):
        rb.robustness_tables("x")


def test_progress_bar(capsys):
    res = rb.robustness(_panel(seed=3, n_experts=4), n_resamples=30, seed=1, progress=True)
    assert res.n_resamples == 30
    assert "30/30" in capsys.readouterr().err


# ---------------------------------------------------------------------- dask
@pytest.fixture(scope="module")
def dask_client():
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def test_dask_local_scheduler_equals_numpy(monkeypatch):
    pytest.importorskip("dask")
    panel = _panel(seed=3)
    monkeypatch.setattr(rb, "CHUNK_BYTES", 16 * 13 * 13 * 25)
    want = _table_bytes(rb.robustness(panel, n_resamples=100, seed=4))
    got = rb.robustness(panel, n_resamples=100, seed=4, backend="dask", progress=True)
    assert got.params["backend"] == "dask"
    assert _table_bytes(got) == want


def test_dask_cluster_equals_numpy(monkeypatch, dask_client):
    panel = _panel(seed=3)
    monkeypatch.setattr(rb, "CHUNK_BYTES", 16 * 13 * 13 * 25)
    want = _table_bytes(rb.robustness(panel, n_resamples=100, seed=4, rule="mode", ties="liberal"))
    got = rb.robustness(panel, n_resamples=100, seed=4, rule="mode", ties="liberal", backend="dask", progress=True)
    assert _table_bytes(got) == want
    jk = rb.robustness(panel, method="jackknife", backend="dask")
    assert _table_bytes(jk) == _table_bytes(rb.robustness(panel, method="jackknife"))
