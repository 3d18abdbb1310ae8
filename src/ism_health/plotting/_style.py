"""Shared style and layout of the figures: colours, text measuring, figure fitting, codes, saving."""

from __future__ import annotations

import functools
import io
import logging
import os
import textwrap
import threading
import unicodedata
import warnings
import weakref
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .._validation import check_number
from ..exceptions import ISMInputError, ISMWarning

__all__ = ["MATRIX_COLOURS", "JOURNAL_RC", "MAX_LABEL", "MAX_PIXELS", "FontCheck", "factor_codes", "factor_labels",
           "figure_bytes", "font_fallback", "journal_rc", "save_figure"]

#: Colours of the matrix cells: 0, 1 (direct or reflexive), 1* (added by transitivity).
MATRIX_COLOURS = ("#ffffff", "#3b6ea8", "#f0a040")
_NODE_FACE = "#e8f0fa"
_CYCLE_FACE = "#fdebd3"

#: matplotlib settings of every figure the package writes (applied per save by :func:`journal_rc`, never
#: process-wide): TrueType fonts embedded in PDF and PostScript (Type 42, no Type 3, as journal PDF checks
#: such as IEEE PDF eXpress require), SVG text kept as editable text, fixed SVG ids, compressed PDF.
JOURNAL_RC: Mapping[str, Any] = MappingProxyType({
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
    "svg.fonttype": "none",
    "svg.hashsalt": "ism_health",
    "pdf.compression": 6,
})
#: Longest factor label drawn as it is inside a figure; a longer one is abbreviated with "…" and
#: given in full (wrapped) in a legend.
MAX_LABEL = 60
#: Most pixels of a PNG written by :func:`save_figure` (8 megapixels); a larger figure is written at the
#: resolution that gives this many. A journal prints a figure at most a page wide and high (about 7.5 x 10
#: inches = 75 square inches), scaling a larger one down to fit; 8 megapixels on at most 75 square inches
#: are at least 326 pixels per inch, so a capped PNG still has 300 dpi at any size it is printed.
MAX_PIXELS = 8_000_000
#: Tables of a font that a PDF viewer never reads from a Type 42 font embedded by matplotlib (glyph
#: substitution and positioning: matplotlib lays the text out itself and writes glyph ids and offsets);
#: :func:`save_figure` leaves them out of the embedded subset (the slow part of subsetting, and bytes).
_PDF_DROP_TABLES = ("GSUB", "GPOS", "GDEF", "kern", "JSTF", "BASE", "MATH")
_LEGEND_WRAP = 90  # characters per line of a legend entry
_LOCK = threading.RLock()  # rcParams are process-global: one figure is drawn or saved at a time
_GLYPH_WARNINGS = (r"Glyph \d+ .*missing from", r"Matplotlib currently does not support")
_NOT_DRAWN = ("Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp")  # characters no font needs to cover
_WARNED: weakref.WeakSet[Any] = weakref.WeakSet()  # figures whose missing scripts were already reported
_SCRIPT_NAMES = {"CJK": "CJK (Chinese, Japanese, Korean)", "HANGUL": "Hangul (Korean)", "HIRAGANA": "Hiragana",
                 "KATAKANA": "Katakana", "IDEOGRAPHIC": "CJK (Chinese, Japanese, Korean)"}


def is_result(data: Any) -> bool:
    """Whether ``data`` is an ISM result (duck-typed: an SSIM and recorded parameters)."""
    return hasattr(data, "ssim") and hasattr(data, "params")


def factor_labels(data: Any) -> list[str]:
    """The factor labels, in order, of a result or of a sequence of labels.

    Examples
    --------
    >>> from ism_health import analyze
    >>> from ism_health.datasets import load_example
    >>> from ism_health.plotting import factor_labels
    >>> factor_labels(analyze(load_example("worked")))[:2], factor_labels(["a", "b"])
    (['F1', 'F2'], ['a', 'b'])
    """
    if is_result(data):
        return list(data.ssim.labels)
    return [str(x) for x in data]


def _renderer(fig: Any) -> Any:
    """A renderer for measuring text, whatever the canvas."""
    getter = getattr(fig.canvas, "get_renderer", None)
    if getter is not None:
        return getter()
    return fig._get_renderer()  # matplotlib >= 3.6, any backend


def _fit_figure(ax: Any, pad: float = 0.12, *, freeze: bool = False) -> None:
    """Resize a figure made here around everything drawn on ``ax``, keeping the Axes' size in inches.

    The title and the legends get some slack (text is a little wider at a
    lower resolution than the one measured here), so saving the figure as it
    is (``fig.savefig(path)``, no ``bbox_inches``) keeps all of them whole.

    ``freeze=True``: the title and the axis labels stay where this measurement
    put them (in axes coordinates, which a change of resolution keeps), so a
    draw no longer measures every tick label again to place them (with n
    names on the top axis of a heatmap, a large part of each draw).
    """
    from matplotlib.legend import Legend
    from matplotlib.transforms import Bbox

    fig = ax.figure
    renderer = _renderer(fig)
    tight = ax.get_tightbbox(renderer)  # also places the title and the axis labels for this size
    axb = ax.get_window_extent(renderer)
    frozen = _placed(ax, axb) if freeze else None
    slack = []
    if ax.title.get_visible() and ax.title.get_text():
        tb = ax.title.get_window_extent(renderer)
        sx, sy = 0.04 * tb.width + 2, 0.25 * tb.height + 2
        slack.append(Bbox.from_extents(tb.x0 - sx, tb.y0, tb.x1 + sx, tb.y1 + sy))
    for legend in [a for a in ax.get_children() if isinstance(a, Legend) and a.get_visible()]:
        lb = legend.get_window_extent(renderer)
        sx, sy = 0.05 * lb.width + 2, 0.05 * lb.height + 2
        slack.append(Bbox.from_extents(lb.x0 - sx, lb.y0 - sy, lb.x1 + sx, lb.y1 + sy))
    if slack:
        tight = Bbox.union([tight, *slack])
    dpi = fig.dpi
    left, right = max(axb.x0 - tight.x0, 0) / dpi, max(tight.x1 - axb.x1, 0) / dpi
    bottom, top = max(axb.y0 - tight.y0, 0) / dpi, max(tight.y1 - axb.y1, 0) / dpi
    aw, ah = axb.width / dpi, axb.height / dpi
    width, height = left + aw + right + 2 * pad, bottom + ah + top + 2 * pad
    fig.set_size_inches(width, height)
    ax.set_position(((pad + left) / width, (pad + bottom) / height, aw / width, ah / height))
    if frozen is not None:
        title_y, (xl_x, xl_y), (yl_x, yl_y) = frozen
        if title_y is not None:
            ax.title.set_y(title_y)
            ax._autotitlepos = False  # what Axes.set_title(y=...) sets; set_title would also reset the font
        ax.xaxis.set_label_coords(xl_x, xl_y)
        ax.yaxis.set_label_coords(yl_x, yl_y)


def _placed(ax: Any, axb: Any, slack_pt: float = 2.0) -> tuple[float | None, tuple[float, float], tuple[float, float]]:
    """Where matplotlib placed the title (its y) and the axis labels, in axes coordinates (``axb``: the Axes' box),
    each moved ``slack_pt`` points further out: text measured at another resolution is up to a pixel larger."""
    slack = slack_pt * ax.figure.dpi / 72.0  # pixels
    x_out = slack if ax.xaxis.get_label_position() == "top" else -slack
    y_out = -slack if ax.yaxis.get_label_position() == "left" else slack
    title_y = None
    if ax.title.get_text():
        title_y = ax.title.get_position()[1] + slack / axb.height  # kept above a top axis label moved up
    out = []
    for label, (dx, dy) in ((ax.xaxis.label, (0.0, x_out)), (ax.yaxis.label, (y_out, 0.0))):
        x, y = label.get_transform().transform(label.get_position())
        out.append(((x + dx - axb.x0) / axb.width, (y + dy - axb.y0) / axb.height))
    return title_y, out[0], out[1]


def _wrap(text: str, width: int) -> str:
    lines = textwrap.wrap(str(text), width=width, break_long_words=True, break_on_hyphens=True)
    return "\n".join(lines) if lines else str(text)


def _short_names(labels: Iterable[str], limit: int = MAX_LABEL) -> dict[str, str]:
    """Label -> the text drawn for it: the label itself, or its first characters and "…" when longer than ``limit``.

    Abbreviations are kept distinct (`` (2)``, `` (3)``... when two would read the same).
    """
    labels = [str(x) for x in labels]
    out: dict[str, str] = {}
    used: set[str] = set()
    for label in labels:
        if len(label) <= limit:
            out[label] = label
            used.add(label)
    for label in labels:
        if label in out:
            continue
        short = label[: limit - 1].rstrip() + "\u2026"
        k = 1
        while short in used:
            k += 1
            short = label[: limit - 5 - len(str(k))].rstrip() + f"\u2026 ({k})"
        out[label] = short
        used.add(short)
    return out


def _names_legend(ax: Any, entries: Sequence[str], fontsize: float, title: str, gid: str) -> Any:
    """A legend of text entries (each wrapped at :data:`_LEGEND_WRAP` characters) right of the Axes."""
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], linestyle="none",
                      label=_wrap(e, _LEGEND_WRAP).replace("\n", "\n    ") if len(e) > _LEGEND_WRAP else e)
               for e in entries]
    legend = ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), handlelength=0,
                       handletextpad=0, fontsize=fontsize, title=title, title_fontsize=fontsize, frameon=False,
                       borderaxespad=0)
    legend.set_gid(gid)
    return legend


def _full_names_legend(ax: Any, shown: Mapping[str, str], fontsize: float) -> Any | None:
    """The legend giving in full the labels :func:`_short_names` abbreviated (None when none was)."""
    long = [full for full, text in shown.items() if text != full]
    if not long:
        return None
    return _names_legend(ax, long, fontsize, "Full names", "full-names-legend")


def factor_codes(result: Any, codes: bool | Sequence[str] | Mapping[str, str] = True) -> dict[str, str]:
    """Short codes for the factors: ``F1..Fn`` by default, or the codes given (sequence or mapping).

    ``result`` is an :class:`~ism_health.ISMResult` or the factor labels in order.

    Examples
    --------
    >>> from ism_health import analyze
    >>> from ism_health.datasets import load_example
    >>> from ism_health.plotting import factor_codes
    >>> list(factor_codes(analyze(load_example()), True).items())[:2]
    [('Technology', 'F1'), ('Training', 'F2')]
    """
    labels = factor_labels(result)
    if codes is True:
        out = {lab: f"F{k + 1}" for k, lab in enumerate(labels)}
    elif isinstance(codes, Mapping):
        missing = [lab for lab in labels if lab not in codes]
        if missing:
            raise ISMInputError(f"codes: no code for {len(missing)} factor(s), e.g. {missing[0]!r}.")
        out = {lab: str(codes[lab]) for lab in labels}
    elif isinstance(codes, Sequence) and not isinstance(codes, str):
        if len(codes) != len(labels):
            raise ISMInputError(f"codes: {len(codes)} codes given for {len(labels)} factors.")
        out = {lab: str(c) for lab, c in zip(labels, codes)}
    else:
        raise ISMInputError(f"codes={codes!r} is not allowed; expected True, False, a sequence or a mapping of codes.")
    if len(set(out.values())) != len(out):
        raise ISMInputError("codes: every factor needs a different code.")
    return out


def _codes_legend(ax: Any, codes: dict[str, str], fontsize: float, title: str = "Factors") -> Any:
    """The legend of the codes: one entry ``code  full name`` per factor, long names wrapped."""
    return _names_legend(ax, [f"{code}  {label}" for label, code in codes.items()], fontsize, title, "codes-legend")


def _offset(fig: Any, dx_pt: float, dy_pt: float) -> Any:
    from matplotlib.transforms import ScaledTranslation

    return ScaledTranslation(dx_pt / 72.0, dy_pt / 72.0, fig.dpi_scale_trans)


# ------------------------------------------------------------------------------------------- fonts
@functools.cache
def _charmap(path: str) -> frozenset[int]:
    """The code points a font file has glyphs for (empty when it cannot be read)."""
    from matplotlib.ft2font import FT2Font

    try:
        return frozenset(FT2Font(path).get_charmap())
    except (OSError, RuntimeError, ValueError):  # pragma: no cover - a broken font file
        return frozenset()


def _font_paths(prop: Any = None) -> tuple[str, ...]:
    """The font files matplotlib uses for these font properties (default: the rcParams' font)."""
    from matplotlib import font_manager

    prop = font_manager.FontProperties() if prop is None else prop
    try:
        found = font_manager.fontManager._find_fonts_by_props(prop)
    except (AttributeError, ValueError):  # pragma: no cover - an older matplotlib
        found = [font_manager.findfont(prop)]
    return tuple(str(getattr(f, "path", f)) for f in found)


@functools.lru_cache(maxsize=1)
def _installed_fonts() -> tuple[tuple[str, str], ...]:
    """(family, the file matplotlib draws it with) of the installed font families, by name; no last-resort font."""
    from matplotlib import font_manager

    families = sorted({e.name for e in font_manager.fontManager.ttflist if "last resort" not in e.name.lower()})
    out = []
    log = logging.getLogger("matplotlib.font_manager")
    level = log.level
    log.setLevel(logging.ERROR)  # "Failed to find font weight normal for X" is no news here
    try:
        for family in families:
            paths = _font_paths(font_manager.FontProperties(family=family))
            if paths:
                out.append((family, paths[0]))
    finally:
        log.setLevel(level)
    return tuple(out)


def _script(char: str) -> str:
    """The name of the script (or block) of a character, from its Unicode name: "Devanagari", "Thai"..."""
    name = unicodedata.name(char, "")
    if not name:
        return f"U+{ord(char):04X}"
    word = name.split()[0]
    return _SCRIPT_NAMES.get(word, word.title())


@dataclass(frozen=True)
class FontCheck:
    """What :func:`font_fallback` found for a set of texts.

    ``families``: installed font families to add after the default font so that
    more characters are drawn; ``uncovered``: code points the default font lacks;
    ``missing``: script -> characters no installed font covers (drawn as boxes).

    Examples
    --------
    >>> from ism_health.plotting import font_fallback
    >>> font_fallback(["Training", "Technology"]).missing
    {}
    """

    families: tuple[str, ...] = ()
    uncovered: frozenset[int] = frozenset()
    missing: Mapping[str, str] = field(default_factory=dict)

    def message(self) -> str:
        """The warning for the scripts no installed font covers.

        Examples
        --------
        >>> from ism_health.plotting import FontCheck
        >>> FontCheck(missing={"Thai": "\u0e44"}).message().startswith("no installed font covers the Thai script")
        True
        """
        scripts = ", ".join(self.missing)
        sample = "".join(self.missing.values())[:8]
        return (f"no installed font covers the {scripts} script{'s' if len(self.missing) > 1 else ''} of the "
                f"figure's labels (e.g. {sample!r}): those characters are drawn as empty boxes. Install a font "
                "that covers it (e.g. Noto: Debian fonts-noto-core, fonts-noto-cjk) or draw the figure with "
                "codes=True.")


@functools.lru_cache(maxsize=256)
def _fallback_for(needed: frozenset[int], base: tuple[str, ...]) -> FontCheck:
    covered: set[int] = set()
    for path in base:
        covered |= _charmap(path)
    uncovered = frozenset(needed - covered)
    if not uncovered:
        return FontCheck()
    families: list[str] = []
    left = set(uncovered)
    for family, path in _installed_fonts():
        if path in base:
            continue
        hit = left & _charmap(path)
        if hit:
            families.append(family)
            left -= hit
            if not left:
                break
    missing: dict[str, str] = {}
    for code in sorted(left):
        script = _script(chr(code))
        if len(missing.get(script, "")) < 5:
            missing[script] = missing.get(script, "") + chr(code)
    return FontCheck(tuple(families), uncovered, missing)


def font_fallback(texts: Iterable[str], prop: Any = None) -> FontCheck:
    """Installed fonts that draw the characters of ``texts`` the default font lacks (e.g. labels in Chinese).

    The font files' character maps (``matplotlib.font_manager``) are searched,
    regular upright fonts first and then by family name (deterministic); the
    families that cover the missing characters are returned in that order, and
    the characters no installed font covers grouped by script.

    Parameters
    ----------
    texts : iterable of str
        The texts to draw.
    prop : matplotlib.font_manager.FontProperties, optional
        The default font (default: the one rcParams give).

    Returns
    -------
    FontCheck

    Examples
    --------
    >>> from ism_health.plotting import font_fallback
    >>> check = font_fallback(["\u0645\u062f\u06cc\u0631\u06cc\u062a"])  # Persian: DejaVu Sans draws it
    >>> check.families, check.missing
    ((), {})
    """
    needed = frozenset(ord(c) for text in texts for c in str(text) if unicodedata.category(c) not in _NOT_DRAWN)
    if not needed:
        return FontCheck()
    return _fallback_for(needed, _font_paths(prop))


@contextmanager
def _lean_font_subsets() -> Iterator[None]:
    """Inside the block matplotlib's PDF font subsets leave out :data:`_PDF_DROP_TABLES`.

    matplotlib subsets each embedded TrueType font with fontTools, decompiling
    and subsetting its layout tables (GSUB, GPOS: about 0.1 s per font and
    file for DejaVu Sans) that the PDF never uses. The fontTools module seen by
    ``matplotlib.backends._backend_pdf_ps`` is replaced for the block by one
    whose ``Options`` drop those tables; held under the figure lock. Where
    matplotlib has no such module attribute (another version), nothing changes.
    """
    import types

    try:
        from matplotlib.backends import _backend_pdf_ps as pdf_ps
    except ImportError:  # pragma: no cover - another matplotlib layout
        yield
        return
    real = getattr(pdf_ps, "subset", None)
    if real is None or not hasattr(real, "Options"):  # pragma: no cover - another matplotlib version
        yield
        return

    class Options(real.Options):  # type: ignore[name-defined]
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            dropped: list[str] = list(getattr(self, "drop_tables", []))
            self.drop_tables = dropped + [t for t in _PDF_DROP_TABLES if t not in dropped]

    lean = types.SimpleNamespace(**{k: getattr(real, k) for k in dir(real) if not k.startswith("__")})
    lean.Options = Options
    with _LOCK:
        pdf_ps.subset = lean
        try:
            yield
        finally:
            pdf_ps.subset = real


@contextmanager
def journal_rc(texts: Iterable[str] = (), *, warn: bool = True, stacklevel: int = 1) -> Iterator[FontCheck]:
    """Draw or save figures with the journal settings, the font fallback for ``texts`` and no glyph warnings.

    Inside the block: :data:`JOURNAL_RC` (TrueType fonts in PDF, SVG text as
    text, fixed ids) and, when ``texts`` hold characters the default font
    lacks, the installed fonts that cover them appended to ``font.family``
    (text created inside keeps them). The settings hold for this block only
    (``matplotlib.rc_context``) and one figure at a time is drawn inside such
    a block (a lock), so saving from several threads gives the same bytes as
    one after the other. matplotlib's per-glyph warnings are replaced by one
    :class:`~ism_health.exceptions.ISMWarning` naming the scripts that no
    installed font covers (``warn=False``: none).

    Parameters
    ----------
    texts : iterable of str
        The texts the figure will draw.
    warn : bool
        Warn about scripts no installed font covers.
    stacklevel : int
        Where the warning points: 1 the ``with`` line, 2 its caller...

    Yields
    ------
    FontCheck

    Examples
    --------
    >>> import matplotlib, matplotlib.pyplot as plt
    >>> from ism_health.plotting import journal_rc
    >>> with journal_rc(["Training"]) as check:
    ...     matplotlib.rcParams["pdf.fonttype"], matplotlib.rcParams["svg.fonttype"], check.families
    (42, 'none', ())
    >>> matplotlib.rcParams["pdf.fonttype"] == 42   # only inside the block
    False
    """
    import matplotlib

    texts = list(texts)
    with _LOCK:
        check = font_fallback(texts)
        if warn and check.missing:
            warnings.warn(check.message(), ISMWarning, stacklevel=stacklevel + 2)
        rc: dict[Any, Any] = dict(JOURNAL_RC)
        if check.families:
            base = matplotlib.rcParams["font.family"]
            base = [base] if isinstance(base, str) else list(base)
            rc["font.family"] = base + [f for f in check.families if f not in base]
        with matplotlib.rc_context(rc), warnings.catch_warnings():
            for pattern in _GLYPH_WARNINGS:
                warnings.filterwarnings("ignore", message=pattern, category=UserWarning)
            yield check


def _reported(fig: Any, check: FontCheck) -> None:
    """Remember that the missing scripts of this figure were reported (save_figure does not repeat it)."""
    if check.missing:
        _WARNED.add(fig)


def _use_fallback(texts: Iterable[Any], check: FontCheck) -> None:
    """Add the fallback families to the texts drawn with characters their font lacks."""
    for t in texts:
        if not check.uncovered.intersection(map(ord, t.get_text())):
            continue
        family = list(t.get_fontfamily())
        extra = [f for f in check.families if f not in family]
        if extra:
            t.set_fontfamily(family + extra)


def _png_dpi(fig: Any, dpi: float, max_pixels: int, bbox: Any) -> float:
    """The resolution that keeps the PNG of ``fig`` within ``max_pixels`` (``bbox``: the box saved, or "tight")."""
    if bbox == "tight":
        bbox = fig.get_tightbbox(_renderer(fig)).padded(0.08)
    area = bbox.width * bbox.height  # square inches
    if area * dpi * dpi <= max_pixels:
        return dpi
    return max(float(int((max_pixels / area) ** 0.5)), 1.0)


def save_figure(figure: Any, path: str | os.PathLike[str], *, dpi: int = 300, max_pixels: int = MAX_PIXELS) -> Path:
    """Save a figure (or the figure of an Axes) as PNG, SVG or PDF, ready for a journal, without timestamps.

    The format comes from the suffix. Every figure of the package is written
    here, with :func:`journal_rc`: PDF with embedded TrueType fonts (no
    Type 3), SVG with its text as editable text, the font fallback for labels
    in other scripts (one :class:`~ism_health.exceptions.ISMWarning` when no
    installed font covers a script). PNG is written at ``dpi`` (default 300),
    lowered when the image would exceed ``max_pixels``; SVG and PDF carry no
    creation date and fixed ids, so the same figure gives the same bytes, also
    when saved from several threads at once.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from ism_health import analyze
    >>> from ism_health.datasets import load_example
    >>> from ism_health.plotting import plot_micmac, save_figure
    >>> ax = plot_micmac(analyze(load_example("worked")))
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> [save_figure(ax, folder / f"micmac.{ext}").stat().st_size > 0 for ext in ("png", "svg", "pdf")]
    [True, True, True]
    """
    path = Path(path)
    _write_figures(figure, [(path, path.suffix.lower().lstrip("."))], dpi, max_pixels, stacklevel=3)
    return path


def figure_bytes(figure: Any, format: str = "svg", *, dpi: int = 300, max_pixels: int = MAX_PIXELS) -> bytes:
    """The file :func:`save_figure` would write, as bytes (``format``: ``"png"``, ``"svg"`` or ``"pdf"``).

    Examples
    --------
    >>> from ism_health import analyze
    >>> from ism_health.datasets import load_example
    >>> from ism_health.plotting import figure_bytes, plot_hierarchy
    >>> svg = figure_bytes(plot_hierarchy(analyze(load_example("worked"))), "svg")
    >>> b"<svg" in svg[:500], b">F1</text>" in svg   # text kept as text
    (True, True)
    """
    buffer = io.BytesIO()
    _write_figures(figure, [(buffer, str(format).lower())], dpi, max_pixels, stacklevel=3)
    return buffer.getvalue()


_METADATA: Mapping[str, Mapping[str, Any]] = MappingProxyType({
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None},
})


def _write_figures(figure: Any, targets: Sequence[tuple[Any, str]], dpi: float, max_pixels: int,
                   stacklevel: int) -> None:
    """Write one figure to each ``(target, ext)``: its texts' fonts and its tight box settled once for all of them.

    The same bytes as one :func:`save_figure` per target (the box is the same measurement, made once).
    No target: nothing is measured (the tight box is a whole draw of the figure).
    """
    from matplotlib.text import Text

    if not targets:
        return
    fig = getattr(figure, "figure", figure)
    for target, ext in targets:
        if ext not in _METADATA:
            name = getattr(target, "name", None) or f"format {ext!r}"
            raise ISMInputError(f"cannot save a figure as {str(name)!r}; use .png, .svg or .pdf.")
    check_number("dpi", dpi, low=1)
    check_number("max_pixels", max_pixels, low=1, integer=True)
    texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text()]
    pad = 0.08
    with journal_rc([t.get_text() for t in texts], warn=fig not in _WARNED, stacklevel=stacklevel) as check:
        _reported(fig, check)
        if check.uncovered:
            _use_fallback(texts, check)
        bbox: Any = "tight"
        if fig.get_layout_engine() is None:
            # The tight box measured here once (matplotlib's "tight" draws the whole figure, images
            # resampled, only to measure it, and then draws it again to save it).
            bbox = fig.get_tightbbox(_renderer(fig)).padded(pad)
        for target, ext in targets:
            out_dpi = _png_dpi(fig, dpi, max_pixels, bbox) if ext == "png" else dpi
            with _lean_font_subsets() if ext == "pdf" else nullcontext():
                fig.savefig(target, format=ext, dpi=out_dpi, metadata=dict(_METADATA[ext]), facecolor="white",
                            bbox_inches=bbox, pad_inches=pad)
