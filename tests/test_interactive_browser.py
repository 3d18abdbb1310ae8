"""The interactive diagram driven in headless Chromium over the DevTools protocol (standard library only).

Real mouse input (``Input.dispatchMouseEvent``) drags a node, opens a cycle, hovers a
factor, ticks the reachability toggle and presses the save buttons; the page's console,
exceptions and every network request are recorded. Chromium comes from Debian's
``chromium`` package; without it the tests skip, except under CI (``CI`` set), where a
missing browser fails.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.parse
import xml.etree.ElementTree as ET

import pytest

from ism_health import analyze
from ism_health.datasets import load_example
from ism_health.interactive import interactive_data, write_interactive_html

_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--host-resolver-rules=MAP * ~NOTFOUND",  # the page must not need the network
    "--remote-debugging-port=0",
]


def _browser() -> str:
    for name in _CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    if os.environ.get("CI"):
        pytest.fail("CI is set but no Chromium was found on PATH: install Debian's 'chromium' package (.ci/run does).")
    pytest.skip("no Chromium browser installed (Debian: apt-get install chromium); the browser check cannot run here.")


class _WebSocket:
    """The client side of RFC 6455, enough for the DevTools protocol (text frames, no extensions)."""

    def __init__(self, url: str) -> None:
        u = urllib.parse.urlparse(url)
        self.sock = socket.create_connection((u.hostname, u.port), timeout=60)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(
            (
                f"GET {u.path} HTTP/1.1\r\nHost: {u.hostname}:{u.port}\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
            ).encode()
        )
        buf = b""
        while b"\r\n\r\n" not in buf:
            chunk = self.sock.recv(4096)
            assert chunk, "DevTools closed the connection during the handshake"
            buf += chunk
        head, self.buf = buf.split(b"\r\n\r\n", 1)
        assert b" 101 " in head.split(b"\r\n")[0], head

    def _frame(self, opcode: int, payload: bytes) -> None:
        header = bytearray([0x80 | opcode])
        n = len(payload)
        if n < 126:
            header.append(0x80 | n)
        elif n < 65536:
            header.append(0x80 | 126)
            header += n.to_bytes(2, "big")
        else:
            header.append(0x80 | 127)
            header += n.to_bytes(8, "big")
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(bytes(header) + mask + masked)

    def close(self) -> None:
        self.sock.close()

    def send(self, text: str) -> None:
        self._frame(0x1, text.encode())

    def _read(self, n: int) -> bytes:
        while len(self.buf) < n:
            chunk = self.sock.recv(1 << 16)
            if not chunk:
                raise ConnectionError("DevTools closed the connection")
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def recv(self) -> str:
        message = b""
        while True:
            b0, b1 = self._read(2)
            n = b1 & 0x7F
            if n == 126:
                n = int.from_bytes(self._read(2), "big")
            elif n == 127:
                n = int.from_bytes(self._read(8), "big")
            mask = self._read(4) if b1 & 0x80 else None
            data = self._read(n)
            if mask:
                data = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
            opcode = b0 & 0x0F
            if opcode == 0x8:
                raise ConnectionError("DevTools closed the connection")
            if opcode == 0x9:
                self._frame(0xA, data)
                continue
            if opcode == 0xA:
                continue
            message += data
            if b0 & 0x80:
                return message.decode()


class _DevTools:
    """Commands and events of one browser connection; page commands go to a flat session."""

    def __init__(self, url: str) -> None:
        self.ws = _WebSocket(url)
        self.next_id = 0
        self.events: list[dict] = []
        self.session: str | None = None

    def call(self, method: str, *, browser: bool = False, **params):
        self.next_id += 1
        msg: dict = {"id": self.next_id, "method": method, "params": params}
        if self.session and not browser:
            msg["sessionId"] = self.session
        self.ws.send(json.dumps(msg))
        while True:
            reply = json.loads(self.ws.recv())
            if reply.get("id") == self.next_id:
                assert "error" not in reply, f"{method}: {reply['error']}"
                return reply["result"]
            if "method" in reply:
                self.events.append(reply)

    def wait_for(self, method: str, count: int = 1, timeout: float = 60, **match) -> list[dict]:
        deadline = time.monotonic() + timeout

        def found() -> list[dict]:
            return [
                e
                for e in self.events
                if e["method"] == method and all(e["params"].get(k) == v for k, v in match.items())
            ]

        while len(found()) < count:
            assert time.monotonic() < deadline, f"timed out waiting for {method} {match}"
            self.events.append(json.loads(self.ws.recv()))
        return found()

    def js(self, expression: str):
        out = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        assert "exceptionDetails" not in out, out["exceptionDetails"]
        return out["result"].get("value")

    def mouse(self, kind: str, x: float, y: float, pressed: bool = False) -> None:
        button = "left" if (pressed or kind != "mouseMoved") else "none"
        self.call(
            "Input.dispatchMouseEvent",
            type=kind,
            x=x,
            y=y,
            button=button,
            buttons=1 if pressed else 0,
            clickCount=1 if kind != "mouseMoved" else 0,
        )

    def click(self, x: float, y: float) -> None:
        self.mouse("mouseMoved", x, y)
        self.mouse("mousePressed", x, y, pressed=True)
        self.mouse("mouseReleased", x, y)

    def center(self, selector: str) -> tuple[float, float]:
        box = self.js(
            f"(() => {{ const r = document.querySelector({json.dumps(selector)}).getBoundingClientRect();"
            " return [r.x + r.width / 2, r.y + r.height / 2]; })()"
        )
        return box[0], box[1]


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    """The default example's diagram open in Chromium; yields (DevTools, page URL, download folder)."""
    browser = _browser()
    folder = tmp_path_factory.mktemp("interactive")
    path = write_interactive_html(analyze(load_example()), folder / "interactive.html")
    downloads = folder / "downloads"
    downloads.mkdir()
    cdp = None
    profile = folder / "profile"
    proc = subprocess.Popen(
        [browser, *_FLAGS, f"--user-data-dir={profile}", "about:blank"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        # Chromium writes the port and the browser's DevTools path to this file once it listens.
        active = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 120
        while not (active.is_file() and len(active.read_text().split()) >= 2):
            assert proc.poll() is None, f"Chromium exited with {proc.returncode} before opening DevTools"
            assert time.monotonic() < deadline, "Chromium did not open DevTools within 120 s"
            time.sleep(0.1)
        port, ws_path = active.read_text().split()[:2]
        url = f"ws://127.0.0.1:{port}{ws_path}"
        cdp = _DevTools(url)
        target = cdp.call("Target.createTarget", url="about:blank")["targetId"]
        cdp.session = cdp.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        cdp.call(
            "Browser.setDownloadBehavior",
            browser=True,
            behavior="allow",
            downloadPath=str(downloads),
            eventsEnabled=True,
        )
        for domain in ("Page", "Runtime", "Log", "Network"):
            cdp.call(f"{domain}.enable")
        cdp.call("Emulation.setDeviceMetricsOverride", width=1400, height=1400, deviceScaleFactor=1, mobile=False)
        cdp.call("Page.navigate", url=path.as_uri())
        cdp.wait_for("Page.loadEventFired")
        yield cdp, path.as_uri(), downloads
    finally:
        if cdp is not None:
            cdp.ws.close()
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_every_factor_drawn(page):
    cdp, _, _ = page
    data = interactive_data(analyze(load_example()))
    drawn = cdp.js(
        "Array.from(document.querySelectorAll('#ism-svg [data-factor]')).map(e => "
        "[Number(e.getAttribute('data-factor')),"
        " Array.from(e.querySelectorAll('tspan')).map(s => s.textContent).join(' '),"
        " e.getBoundingClientRect().width])"
    )
    labels = {k: text for k, text, _ in drawn}
    assert labels == {k: f["label"] for k, f in enumerate(data["factors"])}
    singles = {data["nodes"][k]["factors"][0] for k in range(len(data["nodes"])) if not data["nodes"][k]["cycle"]}
    assert all(width > 20 for k, _, width in drawn if k in singles)
    assert cdp.js("document.querySelectorAll('#ism-svg .ism-node').length") == len(data["nodes"])
    assert cdp.js("document.querySelectorAll('#ism-svg .ism-edge').length") == len(data["edges"])
    # The drawing fits: no node box outside the SVG's view box.
    outside = cdp.js(
        "(() => { const s = document.getElementById('ism-svg').getBoundingClientRect();"
        " return Array.from(document.querySelectorAll('.ism-node > .ism-box')).filter(b => {"
        " const r = b.getBoundingClientRect();"
        " return r.left < s.left - 0.5 || r.right > s.right + 0.5 || r.top < s.top - 0.5"
        " || r.bottom > s.bottom + 0.5; }).length; })()"
    )
    assert outside == 0


def test_hover_shows_level_powers_and_cluster(page):
    cdp, _, _ = page
    data = interactive_data(analyze(load_example()))
    k = next(i for i, n in enumerate(data["nodes"]) if not n["cycle"])
    f = data["factors"][data["nodes"][k]["factors"][0]]
    x, y = cdp.center(f'.ism-node[data-node="{k}"] > .ism-box')
    cdp.mouse("mouseMoved", x, y)
    tip = cdp.js("[document.getElementById('ism-tip').hidden, document.getElementById('ism-tip').textContent]")
    assert tip[0] is False
    assert tip[1] == (
        f"{f['label']}\nLevel {f['level']}\nDriving power {f['driving']}\nDependence power {f['dependence']}"
        f"\nMICMAC cluster: {f['cluster']}"
    )
    cdp.mouse("mouseMoved", 2, 2)
    assert cdp.js("document.getElementById('ism-tip').hidden") is True


def test_node_drags_and_arrows_follow(page):
    cdp, _, _ = page
    data = interactive_data(analyze(load_example()))
    k = data["edges"][0][0]
    before = cdp.js(f"document.querySelector('.ism-node[data-node=\"{k}\"]').getAttribute('transform')")
    line = f'.ism-edge[data-from="{k}"]'
    line_before = cdp.js(f"document.querySelector('{line}').getAttribute('d')")
    x, y = cdp.center(f'.ism-node[data-node="{k}"] > .ism-box')
    cdp.mouse("mouseMoved", x, y)
    cdp.mouse("mousePressed", x, y, pressed=True)
    for step in range(1, 6):
        cdp.mouse("mouseMoved", x + 12 * step, y + 6 * step, pressed=True)
    cdp.mouse("mouseReleased", x + 60, y + 30)
    after = cdp.js(f"document.querySelector('.ism-node[data-node=\"{k}\"]').getAttribute('transform')")
    (bx, by), (ax, ay) = (tuple(map(float, re.findall(r"-?[\d.]+", t))) for t in (before, after))
    scale = cdp.js("document.getElementById('ism-svg').getScreenCTM().a")
    assert (ax - bx, ay - by) == pytest.approx((60 / scale, 30 / scale), abs=1.0)
    assert cdp.js(f"document.querySelector('{line}').getAttribute('d')") != line_before
    cdp.click(*cdp.center("#ism-reset"))
    assert cdp.js(f"document.querySelector('.ism-node[data-node=\"{k}\"]').getAttribute('transform')") == before


def test_cycle_node_expands_to_members(page):
    cdp, _, _ = page
    data = interactive_data(analyze(load_example()))
    k = next(i for i, n in enumerate(data["nodes"]) if n["cycle"])
    members = data["nodes"][k]["factors"]
    sel = f'.ism-node[data-node="{k}"]'
    visible = f"Array.from(document.querySelectorAll('{sel} .ism-member')).map(m => m.getBoundingClientRect().width)"
    assert cdp.js(visible) == [0, 0]
    cdp.click(*cdp.center(f"{sel} > .ism-box"))
    assert cdp.js(f"document.querySelector('{sel}').getAttribute('aria-expanded')") == "true"
    widths = cdp.js(visible)
    assert len(widths) == len(members) and all(w > 20 for w in widths)
    # Hovering a member shows that member's own figures.
    f = data["factors"][members[1]]
    cdp.mouse("mouseMoved", *cdp.center(f'{sel} .ism-member[data-factor="{members[1]}"] > .ism-box'))
    assert cdp.js("document.getElementById('ism-tip').textContent").startswith(f"{f['label']}\nLevel {f['level']}\n")
    cdp.click(*cdp.center(f"{sel} > .ism-box"))
    assert cdp.js(f"document.querySelector('{sel}').getAttribute('aria-expanded')") == "false"
    assert cdp.js(visible) == [0, 0]
    # From the keyboard: Enter on the focused cycle opens it, Enter again folds it.
    cdp.js(f"document.querySelector('{sel}').focus()")
    for expanded in ("true", "false"):
        for kind in ("keyDown", "keyUp"):
            cdp.call("Input.dispatchKeyEvent", type=kind, key="Enter", code="Enter", windowsVirtualKeyCode=13)
        assert cdp.js(f"document.querySelector('{sel}').getAttribute('aria-expanded')") == expanded


def test_toggle_adds_reachability_links(page):
    cdp, _, _ = page
    data = interactive_data(analyze(load_example()))
    count = (
        "Array.from(document.querySelectorAll('.ism-reach-edge'))"
        ".filter(e => e.getBoundingClientRect().height + e.getBoundingClientRect().width > 0).length"
    )
    assert cdp.js(count) == 0
    cdp.click(*cdp.center("#ism-reach"))
    assert cdp.js("document.getElementById('ism-reach').checked") is True
    assert cdp.js(count) == len(data["reach"]) > 0
    cdp.click(*cdp.center("#ism-reach"))
    assert cdp.js(count) == 0


def test_save_svg_and_png(page):
    cdp, _, downloads = page
    data = interactive_data(analyze(load_example()))
    cdp.click(*cdp.center("#ism-save-svg"))
    cdp.click(*cdp.center("#ism-save-png"))
    done = cdp.wait_for("Browser.downloadProgress", count=2, state="completed")
    assert len(done) == 2
    svg = downloads / "ism_hierarchy.svg"
    png = downloads / "ism_hierarchy.png"
    assert svg.is_file() and png.is_file(), sorted(p.name for p in downloads.iterdir())
    root = ET.fromstring(svg.read_bytes())
    ns = {"s": "http://www.w3.org/2000/svg"}
    texts = [
        " ".join(s.text or "" for s in t.findall("s:tspan", ns)) for t in root.iter("{http://www.w3.org/2000/svg}text")
    ]
    singles = [data["factors"][n["factors"][0]]["label"] for n in data["nodes"] if not n["cycle"]]
    assert all(label in texts for label in singles)
    assert len(root.findall(".//s:path[@class='ism-edge']", ns)) == len(data["edges"])
    head = png.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
    assert width > 400 and height > 400


def test_no_console_error_and_no_request_leaves_the_page(page):
    cdp, url, _ = page
    cdp.js("1")  # flush the events queued so far
    errors = [e for e in cdp.events if e["method"] == "Runtime.exceptionThrown"]
    errors += [
        e
        for e in cdp.events
        if e["method"] == "Runtime.consoleAPICalled" and e["params"]["type"] in ("error", "warning")
    ]
    errors += [
        e
        for e in cdp.events
        if e["method"] == "Log.entryAdded" and e["params"]["entry"]["level"] in ("error", "warning")
    ]
    assert errors == []
    requested = [e["params"]["request"]["url"] for e in cdp.events if e["method"] == "Network.requestWillBeSent"]
    assert url in requested
    assert [u for u in requested if u != url and not u.startswith(("data:", "blob:"))] == []
