"""The HTML viewer on a large thesaurus in headless Chromium: first paint, frame time, expansion.

Usage: ``python bench/viewer.py [GRAPH] [--html PAGE] [--screenshot PNG] [--runs N]``.
GRAPH defaults to ``../shared/taxonomies/gemet.ttl`` (5,220 concepts); ``--html`` measures a
page exported earlier instead. Figures (min / median / max over the runs):

* first paint: from navigation start to the first finished drawing of the canvas,
* draw: mean cost of one ``draw()`` call,
* frame: interval between animation frames while zooming with the mouse wheel,
* the same after opening the neighbourhood of the concept with the most narrower ones,
  and after "Show all" (every node drawn, as the viewer did before it opened on the top
  concepts).
Needs Chromium (``scripts/install-system-deps.sh``).
"""

from __future__ import annotations

import argparse
import base64
import io
import sys
import tempfile
import time
from pathlib import Path

from _util import ROOT, stats

sys.path.insert(0, str(ROOT / "tests"))
from devtools import ZOOM_FRAME_MS, DevTools, find_chromium  # noqa: E402  (test support, not a package)

from kg.export import export  # noqa: E402
from kg.rdf.load import load_graph  # noqa: E402

_BIGGEST = (
    "(() => { const d = JSON.parse(document.getElementById('kg-data').textContent);"
    " const kids = new Map(); for (const e of d.edges) if (e[3])"
    " kids.set(e[1], (kids.get(e[1]) || 0) + 1);"
    " let best = 0; for (const [k, v] of kids) if (v > (kids.get(best) || 0)) best = k;"
    " return d.nodes[best].i; })()"
)


def measure(browser: DevTools, page: Path) -> dict[str, float]:
    """One load of ``page``: the figures of the module docstring, in milliseconds."""
    browser.open(page.as_uri())
    # The first moment the page reports a drawing; pages without the marker (older
    # viewers) are timed by polling, which can only be later than the real paint.
    polled = browser.wait_for("document.body.dataset.drawn && performance.now()", timeout=300)
    marked = browser.js("document.body.dataset.firstPaintMs")
    out = {"first paint": float(marked) if marked else float(polled)}
    out["shown"] = float(browser.js("kgViewer.stats().shown ?? kgViewer.stats().nodes"))
    browser.wait_for("kgViewer.stats().ticks >= 5", timeout=300)
    out["draw"] = browser.js("kgViewer.stats().frameMs")
    out["frame"] = browser.js(ZOOM_FRAME_MS, timeout=300)
    if browser.js("typeof kgViewer.showAll === 'function'"):
        browser.js(f"kgViewer.select({browser.js(_BIGGEST)!r})")
        time.sleep(0.5)
        out["shown after opening"] = float(browser.js("kgViewer.stats().shown"))
        out["frame after opening"] = browser.js(ZOOM_FRAME_MS, timeout=300)
        browser.js("kgViewer.select(''); kgViewer.showAll()")
        time.sleep(0.5)
        out["frame, all shown"] = browser.js(ZOOM_FRAME_MS, timeout=300)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("graph", nargs="?", default=str(ROOT.parent / "shared" / "taxonomies"
                                                        / "gemet.ttl"))
    parser.add_argument("--html", help="measure this exported page instead")
    parser.add_argument("--screenshot", help="write a PNG of the opened viewer here")
    parser.add_argument("--select", help="label or IRI of a node to open before the screenshot")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    exe = find_chromium()
    if exe is None:
        sys.exit("Chromium is not installed (scripts/install-system-deps.sh).")
    if args.html:
        page = Path(args.html).resolve()
    else:
        buf = io.BytesIO()
        result = export(load_graph([args.graph]).graph, "html", buf, title=Path(args.graph).stem)
        page = Path(tempfile.mkdtemp(prefix="kg-viewer-")) / "viewer.html"
        page.write_bytes(buf.getvalue())
        print(f"exported {result.nodes} nodes, {result.edges} edges "
              f"({len(buf.getvalue()) / 1e6:.1f} MB)")
    runs: list[dict[str, float]] = []
    browser = DevTools(exe)
    try:
        for _ in range(args.runs):
            runs.append(measure(browser, page))
        if args.screenshot:
            browser.open(page.as_uri())
            browser.wait_for("document.body.dataset.layout === 'done'", timeout=120)
            if args.select:
                # Opening the node adds its neighbourhood and runs the layout again; the
                # second select, once it has settled, centres the node and its links.
                browser.js(f"kgViewer.select({args.select!r})")
                time.sleep(0.3)
                browser.wait_for("document.body.dataset.layout === 'done'", timeout=120)
                browser.js(f"kgViewer.select({args.select!r})")
                browser.js("document.getElementById('details').scrollTop = 1e6")
                time.sleep(0.8)
            shot = browser.send("Page.captureScreenshot", {"format": "png"}, timeout=60)
            Path(args.screenshot).write_bytes(base64.b64decode(shot["data"]))
            print(f"wrote {args.screenshot}")
    finally:
        browser.close()
    print(f"\n{page.name}: {args.runs} runs, headless Chromium, 1400x900\n")
    print("| figure | min | median | max |\n|---|---|---|---|")
    for key in runs[0]:
        lo, mid, hi = stats([r[key] for r in runs])
        unit = "" if key.startswith("shown") else " ms"
        print(f"| {key} | {lo:.1f}{unit} | {mid:.1f}{unit} | {hi:.1f}{unit} |")


if __name__ == "__main__":
    main()
