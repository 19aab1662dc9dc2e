"""A minimal Chrome DevTools Protocol client for headless Chromium, over a pipe.

Used by the HTML export tests and by ``bench/viewer.py``: no WebSocket library, no
network port; Chromium reads commands on fd 3 and writes replies on fd 4.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time

__all__ = ["ZOOM_FRAME_MS", "DevTools", "find_chromium"]

#: A page script that zooms the viewer's canvas with 20 wheel events, one per animation
#: frame, and resolves to the mean interval between frames in ms (the first two left out).
ZOOM_FRAME_MS = (
    "new Promise(done => { const c = document.getElementById('graph'); let n = 0;"
    " const t = []; let last = performance.now();"
    " const step = () => { c.dispatchEvent(new WheelEvent('wheel', {deltaY: n < 10 ? -30 :"
    " 30, clientX: 400, clientY: 300, bubbles: true, cancelable: true})); n++;"
    " requestAnimationFrame(() => { const now = performance.now(); t.push(now - last);"
    " last = now; if (n < 20) step(); else done(t.slice(2).reduce((a, b) => a + b)"
    " / (t.length - 2)); }); }; step(); })"
)



def find_chromium() -> str | None:
    """The Chromium (or Chrome) program on PATH, or None."""
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        if path := shutil.which(name):
            return path
    return None


class DevTools:
    """A minimal Chrome DevTools Protocol client over ``--remote-debugging-pipe``."""

    def __init__(self, exe: str, width: int = 1400, height: int = 900) -> None:
        self.profile = tempfile.mkdtemp(prefix="kg-chromium-")
        to_r, to_w = os.pipe()
        from_r, from_w = os.pipe()
        # Chromium reads commands on fd 3 and writes replies on fd 4.
        child_in = fcntl.fcntl(to_r, fcntl.F_DUPFD, 10)
        child_out = fcntl.fcntl(from_w, fcntl.F_DUPFD, 10)
        os.close(to_r)
        os.close(from_w)

        def wire_fds() -> None:
            os.dup2(child_in, 3)
            os.dup2(child_out, 4)

        args = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                f"--user-data-dir={self.profile}", f"--window-size={width},{height}",
                "--remote-debugging-pipe", "about:blank"]
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, preexec_fn=wire_fds,
                                     close_fds=False)
        os.close(child_in)
        os.close(child_out)
        self.writer = os.fdopen(to_w, "wb", buffering=0)
        self.reader = os.fdopen(from_r, "rb", buffering=0)
        self.events: list[dict] = []
        self.replies: dict[int, dict] = {}
        self.cond = threading.Condition()
        self.last_id = 0
        threading.Thread(target=self._read, daemon=True).start()
        self.session = ""

    def _read(self) -> None:
        buf = b""
        while chunk := self.reader.read(1 << 16):
            buf += chunk
            while b"\0" in buf:
                raw, buf = buf.split(b"\0", 1)
                msg = json.loads(raw)
                with self.cond:
                    if "id" in msg:
                        self.replies[msg["id"]] = msg
                    else:
                        self.events.append(msg)
                    self.cond.notify_all()

    def send(self, method: str, params: dict | None = None, timeout: float = 15) -> dict:
        self.last_id += 1
        msg = {"id": self.last_id, "method": method, "params": params or {}}
        if self.session:
            msg["sessionId"] = self.session
        self.writer.write(json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout
        with self.cond:
            while self.last_id not in self.replies:
                if not self.cond.wait(max(0.0, deadline - time.monotonic())):
                    raise TimeoutError(method)
            reply = self.replies.pop(self.last_id)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply.get("result", {})

    def open(self, url: str) -> None:
        if not self.session:
            page = next(t for t in self.send("Target.getTargets")["targetInfos"]
                        if t["type"] == "page")
            self.session = self.send("Target.attachToTarget", {"targetId": page["targetId"],
                                                               "flatten": True})["sessionId"]
            for domain in ("Runtime", "Log", "Network", "Page"):
                self.send(f"{domain}.enable")
        # Leave the previous page first, so none of its messages are counted for this one.
        self.send("Page.navigate", {"url": "about:blank"})
        self.wait_for("location.href === 'about:blank' && document.readyState === 'complete'")
        time.sleep(0.1)
        with self.cond:
            self.events.clear()
        self.send("Page.navigate", {"url": url})
        self.wait_for("document.readyState === 'complete'")

    def js(self, expression: str, timeout: float = 15):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": True}, timeout=timeout)
        if "exceptionDetails" in result:
            raise AssertionError(result["exceptionDetails"])
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 15):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.js(expression)
            if value:
                return value
            time.sleep(0.05)
        raise TimeoutError(expression)

    def click(self, x: float, y: float) -> None:
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y,
                                                   "button": "left", "clickCount": 1})

    def problems(self) -> list[str]:
        """Console errors, uncaught exceptions and any request that is not file: or data:."""
        found = []
        for e in list(self.events):
            method, p = e.get("method"), e.get("params", {})
            if method == "Runtime.exceptionThrown":
                found.append(f"exception: {p['exceptionDetails'].get('text')}")
            elif method == "Runtime.consoleAPICalled" and p["type"] in ("error", "assert"):
                found.append(f"console.{p['type']}: {p['args']}")
            elif method == "Log.entryAdded" and p["entry"]["level"] == "error":
                found.append(f"log: {p['entry']['text']}")
            elif method == "Network.requestWillBeSent":
                url = p["request"]["url"]
                if not url.startswith(("file:", "data:", "about:")):
                    found.append(f"request: {url}")
        return found

    def close(self) -> None:
        try:
            self.send("Browser.close", timeout=5)
        except (OSError, RuntimeError, TimeoutError):
            pass
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.profile, ignore_errors=True)
