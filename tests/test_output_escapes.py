"""The LaTeX and Markdown cell escapes (one str.translate pass since issue 18) against a character-by-character
oracle written out here, on any text (hypothesis), and on the cells a paper's tables hold."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ism_health.export import latex_escape, markdown_escape

LATEX = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "[": "{[}",
    "]": "{]}",
    "\t": " ",
    "\r": " ",
    "\n": " ",
}


def latex_oracle(text: str) -> str:
    out = ""
    for ch in text:
        out += LATEX[ch] if ch in LATEX else ch
    return out


def markdown_oracle(text: str) -> str:
    out = ""
    for ch in text:
        if ch in "\\|*_`[]#":
            out += "\\" + ch
        elif ch == "<":
            out += "&lt;"
        elif ch == ">":
            out += "&gt;"
        elif ch in "\t\r\n":
            out += " "
        else:
            out += ch
    return out


TEXT = st.text(alphabet=st.sampled_from(list(LATEX) + list("|*`<>abc 1é中\u200b")) | st.characters(), max_size=40)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_latex_escape_matches_the_character_oracle(text):
    assert latex_escape(text) == latex_oracle(text)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_markdown_escape_matches_the_character_oracle(text):
    assert markdown_escape(text) == markdown_oracle(text)


def test_cells_of_a_paper_table():
    assert latex_escape("1*") == "1*" and markdown_escape("1*") == "1\\*"
    assert latex_escape(True) == "true" and markdown_escape(None) == ""
    assert latex_escape('=HYPERLINK("x")') == '=HYPERLINK("x")'
    assert markdown_escape("<script>a|b</script>") == "&lt;script&gt;a\\|b&lt;/script&gt;"
    assert latex_escape("R&D_{1}\n50%") == r"R\&D\_\{1\} 50\%"
