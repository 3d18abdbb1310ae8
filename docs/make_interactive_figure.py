"""Regenerate docs/img/interactive.png: a screenshot of the interactive diagram in headless Chromium.

    PYTHONPATH=src python docs/make_interactive_figure.py

The page is the built-in 13-category example written by ``result.to_interactive_html``;
before the screenshot its own buttons expand the cycles and a factor is hovered.
"""

import shutil
import subprocess
import tempfile
from pathlib import Path

from ism_health import analyze
from ism_health.datasets import load_example
from ism_health.interactive import write_interactive_html

OUT = Path(__file__).resolve().parent / "img" / "interactive.png"

# Appended to a copy of the page: open the cycles with the page's own button, then hover one factor.
_SHOW = """<script>
window.addEventListener('load', () => {
  document.getElementById('ism-expand-all').click();
  const node = document.querySelector('.ism-node[data-factor] > .ism-box');
  const r = node.getBoundingClientRect();
  node.dispatchEvent(new PointerEvent('pointermove', {bubbles: true, clientX: r.right - 8, clientY: r.top + 8}));
});
</script>"""


def main() -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if browser is None:
        raise SystemExit("needs Chromium (Debian: apt-get install chromium)")
    with tempfile.TemporaryDirectory() as tmp:
        page = write_interactive_html(analyze(load_example()), Path(tmp) / "interactive.html")
        page.write_text(page.read_text(encoding="utf-8").replace("</body>", _SHOW + "</body>"), encoding="utf-8")
        subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                f"--user-data-dir={tmp}/p",
                "--window-size=1000,1010",
                f"--screenshot={OUT}",
                page.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
    print(OUT)


if __name__ == "__main__":
    main()
