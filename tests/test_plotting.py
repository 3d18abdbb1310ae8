"""Figures: rendered headless (Agg) and checked for the structure drawn, not pixels."""

from __future__ import annotations

import subprocess
import sys

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.patches import FancyArrowPatch, Rectangle
from matplotlib.text import Text

from ism_health import SSIM, ISMInputError, analyze
from ism_health.datasets import load_example
from ism_health.digraph import digraph_members
from ism_health.plotting import plot_hierarchy, plot_matrix, plot_micmac, save_figure
from ism_health.plotting._style import _renderer

from .helpers_outputs import hostile_ssim, layered_ssim


@pytest.fixture(scope="module")
def health():
    return analyze(load_example())


@pytest.fixture(scope="module")
def worked():
    return analyze(load_example("worked"))


@pytest.fixture(scope="module")
def big():
    return analyze(layered_ssim())


@pytest.fixture(scope="module")
def quick():
    """The README's 4-factor quick start."""
    ssim = SSIM.from_symbols([["", "V", "V", "O"], ["", "", "O", "V"], ["", "", "", "V"], ["", "", "", ""]],
                             labels=["Laws", "Training", "Technology", "Data sharing"])
    return analyze(ssim)


def _inside(inner, outer, slack=0.0):
    return (outer.x0 - slack <= inner.x0 and inner.x1 <= outer.x1 + slack
            and outer.y0 - slack <= inner.y0 and inner.y1 <= outer.y1 + slack)


def _boxes(artists, renderer):
    # Text's own extent: an Annotation's would include its leader line
    return [Text.get_window_extent(a, renderer) for a in artists]


def _assert_no_overlap(extents):
    for i in range(len(extents)):
        for j in range(i + 1, len(extents)):
            a, b = extents[i], extents[j]
            inter_w = min(a.x1, b.x1) - max(a.x0, b.x0)
            inter_h = min(a.y1, b.y1) - max(a.y0, b.y0)
            assert inter_w <= 0.5 or inter_h <= 0.5, f"boxes {i} and {j} overlap: {a} / {b}"


def test_importing_the_package_does_not_import_matplotlib():
    code = ("import sys, ism_health; ism_health.analyze(ism_health.datasets.load_example()); "
            "print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# ------------------------------------------------------------------------------------------- MICMAC
def test_micmac_points_axes_boundaries_and_quadrants(health):
    ax = plot_micmac(health)
    n = health.ssim.n
    pad = max(0.5, 0.04 * n)  # the axes run a margin past 0 and n
    assert tuple(map(float, ax.get_xlim())) == (-pad, n + pad) and tuple(map(float, ax.get_ylim())) == (-pad, n + pad)
    assert ax.get_xlabel() == "Dependence power" and ax.get_ylabel() == "Driving power"
    m = health.micmac
    expected = {}
    for label, row in m.iterrows():
        expected.setdefault((int(row.dependence_power), int(row.driving_power)), []).append(label)
    assert {k: sorted(v) for k, v in ax.ism_points.items()} == {k: sorted(v) for k, v in expected.items()}
    # one point per distinct position, drawn once
    (points,) = [c for c in ax.collections if c.get_gid() == "micmac-points"]
    offsets = {tuple(map(int, xy)) for xy in points.get_offsets()}
    assert offsets == set(expected) and len(points.get_offsets()) == len(expected)
    # boundary lines where the analysis put them
    lines = {ln.get_gid(): ln for ln in ax.lines}
    assert lines["boundary-dependence"].get_xdata()[0] == health.params["dependence_boundary"]
    assert lines["boundary-driving"].get_ydata()[0] == health.params["driving_boundary"]
    # four clusters named, each inside its own quadrant
    x_b, y_b = ax.ism_boundaries
    assert set(ax.ism_quadrants) == {"autonomous", "dependent", "linkage", "independent"}
    renderer = _renderer(ax.figure)
    inv = ax.transData.inverted()
    for name, text in ax.ism_quadrants.items():
        assert name.capitalize() in text.get_text()
        bb = text.get_window_extent(renderer)
        cx, cy = inv.transform(((bb.x0 + bb.x1) / 2, (bb.y0 + bb.y1) / 2))
        high_dep, high_drv = cx > x_b, cy > y_b
        assert {"autonomous": (False, False), "dependent": (True, False), "linkage": (True, True),
                "independent": (False, True)}[name] == (high_dep, high_drv)


def test_micmac_every_factor_labelled_once_and_shared_points_get_one_joint_label(health):
    ax = plot_micmac(health)
    texts = list(ax.ism_labels)
    assert len(texts) == len(ax.ism_points)
    for label in health.ssim.labels:
        assert sum(label.split()[0] in t for t in texts) >= 1
    shared = {k: v for k, v in ax.ism_points.items() if len(v) > 1}
    assert ("Security and confidentiality", "Supervisory and control activities") in shared.values()
    for members in shared.values():
        joint = [t for t in texts if all(m.split()[0] in t for m in members)]
        assert len(joint) == 1


@pytest.mark.parametrize("case", ["health", "worked", "big"])
def test_micmac_labels_do_not_overlap_each_other_or_the_points(case, request):
    result = request.getfixturevalue(case)
    ax = plot_micmac(result)
    fig = ax.figure
    fig.canvas.draw()
    renderer = _renderer(fig)
    label_boxes = _boxes(ax.ism_labels.values(), renderer)
    _assert_no_overlap(label_boxes + _boxes(ax.ism_quadrants.values(), renderer))
    axes_box = ax.get_window_extent(renderer)
    for bb in label_boxes:
        assert axes_box.x0 - 1 <= bb.x0 and bb.x1 <= axes_box.x1 + 1
        assert axes_box.y0 - 1 <= bb.y0 and bb.y1 <= axes_box.y1 + 1
    xy = ax.transData.transform(np.array(list(ax.ism_points), dtype=float))
    for bb in label_boxes:
        inside = (xy[:, 0] > bb.x0) & (xy[:, 0] < bb.x1) & (xy[:, 1] > bb.y0) & (xy[:, 1] < bb.y1)
        assert not inside.any()


@pytest.mark.parametrize("case", ["quick", "worked", "health", "big"])
def test_micmac_every_label_lies_inside_the_axes(case, request):
    """Each label (its text and its leader line) inside the frame, at the resolution drawn and at others."""
    result = request.getfixturevalue(case)
    ax = plot_micmac(result)
    fig = ax.figure
    for dpi in (fig.dpi, 72, 300):
        fig.set_dpi(dpi)
        fig.canvas.draw()
        renderer = _renderer(fig)
        frame = ax.get_window_extent(renderer)
        for text, ann in ax.ism_labels.items():
            assert _inside(ann.get_window_extent(renderer), frame), (dpi, text)
            assert _inside(Text.get_window_extent(ann, renderer), frame), (dpi, text)
    plt.close(fig)


def test_micmac_limits_grow_when_a_label_would_stick_out(health):
    """On an Axes too short for the long names, the limits grow past 0 and n instead of labels leaving the frame."""
    fig, ax = plt.subplots(figsize=(4, 3))
    plot_micmac(health, ax=ax)
    fig.canvas.draw()
    renderer = _renderer(fig)
    frame = ax.get_window_extent(renderer)
    assert all(_inside(ann.get_window_extent(renderer), frame) for ann in ax.ism_labels.values())
    lo_x, hi_x = ax.get_xlim()
    lo_y, hi_y = ax.get_ylim()
    n, pad = health.ssim.n, max(0.5, 0.04 * health.ssim.n)
    assert lo_x <= -pad and hi_x >= n + pad and lo_y <= -pad and hi_y >= n + pad
    assert (lo_x, hi_x, lo_y, hi_y) != (-pad, n + pad, -pad, n + pad)
    plt.close(fig)


def test_micmac_points_on_a_boundary_are_hollow_with_a_note(worked, health):
    m = worked.micmac
    assert sorted(m.index[m.on_boundary]) == ["F2", "F3"]
    ax = plot_micmac(worked)
    on_line = ax.ism_on_boundary
    assert sorted(lab for labels in on_line.values() for lab in labels) == ["F2", "F3"]
    assert set(on_line) <= set(ax.ism_points)
    x_b, y_b = ax.ism_boundaries
    assert all(x == x_b or y == y_b for x, y in on_line)
    # drawn apart from the others: hollow (white face, coloured edge), every point drawn once
    (filled,) = [c for c in ax.collections if c.get_gid() == "micmac-points"]
    (hollow,) = [c for c in ax.collections if c.get_gid() == "micmac-points-boundary"]
    assert {tuple(map(int, xy)) for xy in hollow.get_offsets()} == set(on_line)
    assert {tuple(map(int, xy)) for xy in filled.get_offsets()} == set(ax.ism_points) - set(on_line)
    assert tuple(hollow.get_facecolor()[0][:3]) == (1.0, 1.0, 1.0)
    assert tuple(hollow.get_edgecolor()[0][:3]) == tuple(filled.get_facecolor()[0][:3])
    # a note that says the rule placed them, inside the figure and clear of the axis label
    note = ax.ism_boundary_note
    assert note is not None and note.get_gid() == "boundary-note" and note in ax.get_children()
    assert [t.get_text() for t in note.get_texts()] == ["on a boundary: placed by the rule (on_boundary=low)"]
    ax.figure.canvas.draw()
    renderer = _renderer(ax.figure)
    note_box = note.get_window_extent(renderer)
    assert _inside(note_box, ax.figure.bbox)
    assert note_box.y1 <= ax.xaxis.get_tightbbox(renderer).y0
    high = plot_micmac(analyze(load_example("worked"), on_boundary="high"))
    assert high.ism_boundary_note.get_texts()[0].get_text().endswith("(on_boundary=high)")
    # no point on a boundary: no hollow points, no note
    ax13 = plot_micmac(health)
    assert not health.micmac.on_boundary.any()
    assert ax13.ism_on_boundary == {} and ax13.ism_boundary_note is None
    assert not [c for c in ax13.collections if c.get_gid() == "micmac-points-boundary"]
    plt.close("all")


def test_micmac_codes_and_styling_and_given_axes(big, health):
    fig, ax = plt.subplots()
    out = plot_micmac(health, ax=ax, color="red", marker="s", codes=True)
    assert out is ax
    (points,) = [c for c in ax.collections if c.get_gid() == "micmac-points"]
    assert tuple(points.get_facecolor()[0][:3]) == (1.0, 0.0, 0.0)
    legend = ax.get_legend()
    assert legend.get_gid() == "codes-legend" and len(legend.get_texts()) == health.ssim.n
    assert all(t.startswith("F") for t in ax.ism_labels)
    # more than 20 factors: codes by default
    ax40 = plot_micmac(big)
    assert len(ax40.get_legend().get_texts()) == 40


# ------------------------------------------------------------------------------------------- hierarchy
@pytest.mark.parametrize("case", ["health", "worked", "big"])
def test_hierarchy_one_arrow_per_reduced_edge_in_the_right_direction(case, request):
    result = request.getfixturevalue(case)
    g = result.digraph
    ax = plot_hierarchy(result)
    arrows = [p for p in ax.patches if isinstance(p, FancyArrowPatch)]
    assert len(arrows) == g.number_of_edges() == len(ax.ism_arrows)
    assert set(ax.ism_arrows) == set(g.edges())
    for u, v in ax.ism_arrows:
        route = np.array(ax.ism_routes[(u, v)])
        start, end = route[0], route[-1]
        assert len(route) == g.nodes[u]["level"] - g.nodes[v]["level"] + 1  # one waypoint per level crossed
        pu, pv = np.array(ax.ism_nodes[u]), np.array(ax.ism_nodes[v])
        assert np.linalg.norm(start - pu) < np.linalg.norm(start - pv)  # leaves the influencing factor
        assert np.linalg.norm(end - pv) < np.linalg.norm(end - pu)  # points at the influenced one


def test_hierarchy_draws_edges_that_skip_levels(health):
    g = health.digraph
    skipping = [(u, v) for u, v in g.edges() if g.nodes[u]["level"] - g.nodes[v]["level"] > 1]
    assert skipping, "the 13-category example has links that skip levels"
    ax = plot_hierarchy(health)
    for edge in skipping:
        assert edge in ax.ism_arrows


@pytest.mark.parametrize("case", ["health", "worked", "big"])
def test_hierarchy_levels_from_y_positions_and_boxes_do_not_overlap(case, request):
    result = request.getfixturevalue(case)
    g = result.digraph
    ax = plot_hierarchy(result)
    ys = {node: ax.ism_nodes[node][1] for node in g.nodes}
    # same level <=> same y; level 1 at the top
    distinct = sorted(set(ys.values()), reverse=True)
    for node, level in g.nodes(data="level"):
        assert distinct.index(ys[node]) + 1 == level
    ax.figure.canvas.draw()
    renderer = _renderer(ax.figure)
    boxes = [t.get_bbox_patch().get_window_extent(renderer) for t in ax.ism_boxes.values()]
    _assert_no_overlap(boxes)


@pytest.mark.parametrize("case", ["health", "big"])
def test_hierarchy_routes_pass_between_boxes(case, request):
    """A link that skips levels runs through free slots of the levels in between, not through a box."""
    result = request.getfixturevalue(case)
    ax = plot_hierarchy(result)
    ax.figure.canvas.draw()
    renderer = _renderer(ax.figure)
    boxes = [t.get_bbox_patch().get_window_extent(renderer) for t in ax.ism_boxes.values()]
    for route in ax.ism_routes.values():
        for x, y in ax.transData.transform(np.array(route[1:-1]).reshape(-1, 2)):
            assert not any(b.x0 < x < b.x1 and b.y0 < y < b.y1 for b in boxes)


def test_hierarchy_cycles_are_one_box_listing_members_and_labels_wrap(health):
    ax = plot_hierarchy(health)
    cycle_boxes = [t for t in ax.ism_boxes.values() if t.get_gid() == "ism-node-cycle"]
    assert len(cycle_boxes) == len(health.cycles) == 2
    for members in health.cycles:
        box = ax.ism_boxes[" + ".join(members)]
        flat = " ".join(box.get_text().replace("\u2022", "").split())
        assert box.get_text().count("\u2022") == len(members)  # one bullet per member
        assert all(m in flat for m in members)
    for t in ax.ism_boxes.values():
        assert max(len(line.lstrip("\u2022 ")) for line in t.get_text().split("\n")) <= 20
    # every factor appears in exactly one box
    listed = [m for members in digraph_members(health.digraph).values() for m in members]
    assert sorted(listed) == sorted(health.ssim.labels)


def test_hierarchy_codes_with_legend(health):
    ax = plot_hierarchy(health, codes=True)
    legend = ax.get_legend()
    assert [t.get_text() for t in legend.get_texts()][0] == "F1  Technology"
    assert ax.ism_boxes["Training"].get_text() == "F2"
    custom = plot_hierarchy(health, codes={lab: f"C{k + 1:02d}" for k, lab in enumerate(health.ssim.labels)})
    assert custom.ism_boxes["Training"].get_text() == "C02"


@pytest.mark.parametrize("case", ["quick", "worked", "health", "big"])
@pytest.mark.parametrize("codes", [False, True])
def test_hierarchy_title_inside_the_figure_as_saved_by_default(case, codes, request, tmp_path):
    """fig.savefig(path) without bbox_inches keeps the whole title, also at another resolution."""
    result = request.getfixturevalue(case)
    ax = plot_hierarchy(result, codes=codes)
    fig = ax.figure
    assert ax.get_title().startswith("ISM model")
    for dpi in (fig.dpi, 50, 72, 300):
        fig.set_dpi(dpi)
        fig.canvas.draw()
        renderer = _renderer(fig)
        assert _inside(ax.title.get_window_extent(renderer), fig.bbox), dpi
        assert _inside(ax.get_tightbbox(renderer), fig.bbox), dpi
    plt.close(fig)


def test_hierarchy_style_passes_through(worked):
    ax = plot_hierarchy(worked, facecolor="#ffff00", arrow_color="red")
    single = [t for t in ax.ism_boxes.values() if t.get_gid() == "ism-node"][0]
    assert single.get_bbox_patch().get_facecolor()[:3] == (1.0, 1.0, 0.0)
    assert all(a.get_edgecolor()[:3] == (1.0, 0.0, 0.0) for a in ax.ism_arrows.values())


# ------------------------------------------------------------------------------------------- matrices
def test_frm_heatmap_marks_transitive_entries_distinctly(health):
    ax = plot_matrix(health, "final")
    transitive = health.transitive
    stars = [(r, c) for (r, c), t in ax.ism_cells.items() if t.get_text() == "1*"]
    assert len(stars) == int(transitive.to_numpy().sum())
    assert all(transitive.loc[r, c] for r, c in stars)
    (image,) = ax.get_images()
    data = np.asarray(image.get_array())
    assert set(np.unique(data)) == {0, 1, 2}
    colours = image.cmap(image.norm(np.array([0, 1, 2])))
    assert len({tuple(c) for c in colours}) == 3  # 0, 1 and 1* in three colours
    assert (data == 2).sum() == len(stars)


def test_irm_heatmap_has_no_transitive_marks(health):
    ax = plot_matrix(health, "initial")
    texts = {t.get_text() for t in ax.ism_cells.values()}
    assert texts == {"1"}
    assert len(ax.ism_cells) == int(health.initial_reachability.to_numpy().sum())


def test_canonical_heatmap_outlines_level_blocks(health):
    ax = plot_matrix(health, "canonical")
    assert list(ax.ism_matrix.index) == list(health.canonical.index)
    blocks = ax.ism_blocks
    sizes = health.levels.value_counts().sort_index()
    assert sorted(blocks) == list(sizes.index)
    start = 0
    for level, rect in sorted(blocks.items()):
        assert isinstance(rect, Rectangle) and rect in ax.patches
        assert rect.get_width() == rect.get_height() == sizes[level]
        assert rect.get_xy() == (start - 0.5, start - 0.5)
        start += sizes[level]


def test_matrix_rejects_unknown_kind(worked):
    with pytest.raises(ValueError, match="which="):
        plot_matrix(worked, "diagonal")


# ------------------------------------------------------------------------------------------- saving
@pytest.mark.parametrize("ext", ["png", "svg", "pdf"])
def test_figures_save_cleanly_and_deterministically(worked, tmp_path, ext):
    paths = []
    for k in range(2):
        ax = plot_hierarchy(worked)
        paths.append(save_figure(ax, tmp_path / f"h{k}.{ext}"))
        plt.close(ax.figure)
    a, b = (p.read_bytes() for p in paths)
    assert a == b and len(a) > 1000
    if ext == "png":
        assert a[:8] == b"\x89PNG\r\n\x1a\n"
        from PIL import Image

        with Image.open(paths[0]) as img:
            assert round(img.info["dpi"][0]) == 300
    elif ext == "svg":
        assert b"<svg" in a[:500]
    else:
        assert a.startswith(b"%PDF")


def test_hostile_names_are_drawn_verbatim(tmp_path):
    result = analyze(hostile_ssim())
    ax = plot_hierarchy(result, wrap=80)
    texts = "\n".join(t.get_text() for t in ax.ism_boxes.values())
    for label in result.ssim.labels:
        assert label in texts  # '$' not turned into mathtext, nothing dropped
    save_figure(ax, tmp_path / "hostile.svg")
    save_figure(plot_micmac(result), tmp_path / "hostile.pdf")


# ------------------------------------------------------------------------------------------- functions over data
def _worked_frm():
    import ism_health as ism

    return ism.transitive_closure(load_example("worked").initial_reachability())


def test_plot_micmac_over_the_micmac_table_needs_no_result():
    import ism_health as ism

    frm = _worked_frm()
    ax = ism.plot_micmac(ism.micmac_analysis(frm))
    # worked example, hand-checked: F1 drives 6 and depends on 2; F6 drives 1 and depends on 8
    assert ax.ism_points[(2, 6)] == ("F1",)
    assert ax.ism_points[(8, 1)] == ("F6",)
    assert ax.ism_boundaries == (4.0, 4.0)
    assert ax.ism_points == plot_micmac(analyze(load_example("worked"))).ism_points
    plt.close("all")


def test_plot_micmac_table_reads_the_boundary_rule_from_the_clusters():
    import ism_health as ism

    frm = _worked_frm()
    for rule in ("low", "high"):
        table = ism.micmac_analysis(frm, on_boundary=rule)
        assert table["on_boundary"].any()
        ax = plot_micmac(table)
        assert f"on_boundary={rule}" in ax.ism_boundary_note.get_texts()[0].get_text()
    plt.close("all")


def test_plot_functions_refuse_other_data():
    import networkx as nx
    import pandas as pd

    with pytest.raises(ISMInputError, match="micmac_analysis"):
        plot_micmac(pd.DataFrame({"x": [1]}))
    with pytest.raises(ISMInputError, match="ISMResult or the table of micmac_analysis"):
        plot_micmac([[1, 0], [0, 1]])
    g = nx.DiGraph()
    g.add_node("a")
    with pytest.raises(ISMInputError, match="node 'a' has no 'members' and 'level'"):
        plot_hierarchy(g)
    with pytest.raises(ISMInputError, match="expected 0, 1 or '1\\*'"):
        plot_matrix(pd.DataFrame([[1, 2], [0, 1]], index=["a", "b"], columns=["a", "b"]))


def test_plot_hierarchy_over_the_digraph_needs_no_result():
    import ism_health as ism

    g = ism.ism_digraph(_worked_frm())
    ax = ism.plot_hierarchy(g, codes=True)
    assert sorted(ax.ism_arrows) == sorted(g.edges())
    assert ax.ism_nodes["F6"][1] > ax.ism_nodes["F4 + F5"][1] > ax.ism_nodes["F7"][1]
    plt.close("all")


def test_plot_matrix_over_a_table_or_array():
    import ism_health as ism

    frm = _worked_frm()
    result = analyze(load_example("worked"))
    ax = ism.plot_matrix(result.final_reachability_marked)
    assert sum(t.get_text() == "1*" for t in ax.ism_cells.values()) == 13
    ax = plot_matrix(frm.astype(int), "initial")
    assert ax.ism_matrix.index.tolist() == [f"F{k}" for k in range(1, 9)]
    assert ax.ism_cells[("F7", "F6")].get_text() == "1"
    ax = plot_matrix(result.final_reachability_marked, "canonical", levels=result.levels)
    assert list(ax.ism_matrix.index) == list(result.canonical.index)
    assert sorted(ax.ism_blocks) == [1, 2, 3, 4, 5]
    plt.close("all")
