(function () {
  "use strict";
  // ---------------------------------------------------------------- data
  const D = JSON.parse(document.getElementById("kg-data").textContent);
  const nodes = D.nodes;
  const N = nodes.length;
  const EN = D.edges.length;
  const body = document.body;
  const $ = (id) => document.getElementById(id);
  const canvas = $("graph");
  const ctx = canvas.getContext("2d");

  const ES = new Int32Array(EN), ET = new Int32Array(EN), EP = new Int32Array(EN);
  const EH = new Uint8Array(EN);
  const outE = [], inE = [];
  for (let i = 0; i < N; i++) { outE.push([]); inE.push([]); }
  const deg = new Int32Array(N);
  D.edges.forEach((e, j) => {
    ES[j] = e[0]; ET[j] = e[1]; EP[j] = e[2]; EH[j] = e[3];
    outE[e[0]].push(j); inE[e[1]].push(j); deg[e[0]]++; deg[e[1]]++;
  });
  const parent = new Int32Array(N).fill(-1);
  for (let j = 0; j < EN; j++) {
    if (EH[j] && parent[ES[j]] < 0 && ES[j] !== ET[j]) parent[ES[j]] = ET[j];
  }
  const labelOf = (i) => nodes[i].l;
  const byLabel = (a, b) => (labelOf(a) < labelOf(b) ? -1 : labelOf(a) > labelOf(b) ? 1 : a - b);
  const kids = [];
  for (let i = 0; i < N; i++) kids.push([]);
  for (let j = 0; j < EN; j++) if (EH[j]) kids[ET[j]].push(ES[j]);
  kids.forEach((k) => k.sort(byLabel));
  const radius = new Float32Array(N);
  for (let i = 0; i < N; i++) radius[i] = 4 + Math.min(9, Math.sqrt(deg[i]) * 1.6);
  // Drawn radius in world units: never smaller than 2.5 screen pixels when zoomed out.
  const rad = (i) => Math.max(radius[i], 2.5 / k);
  const labelOrder = Array.from({ length: N }, (_, i) => i)
    .sort((a, b) => deg[b] - deg[a] || a - b);
  // Large graphs open on their top concepts (nodes without a broader one) and grow on
  // demand: selecting a node (click, search, outline) shows its neighbourhood, and
  // "Show all" draws everything. Only shown nodes take part in layout and drawing.
  const EXPLORE_ABOVE = 1500, FIRST_SHOWN = 300, FEW = 60, NEIGHBOURS_SHOWN = 150;
  let exploring = N > EXPLORE_ABOVE;
  const shown = new Uint8Array(N).fill(exploring ? 0 : 1);
  if (exploring) {
    // The top concepts (the export names them: collections and model classes wait), and
    // the levels under them while fewer than FEW nodes are shown.
    let level = (D.top || []).slice();
    if (!level.length) for (let i = 0; i < N; i++) if (parent[i] < 0) level.push(i);
    if (!level.length) level = labelOrder.slice(0, FIRST_SHOWN);
    let count = 0;
    while (level.length && count < FIRST_SHOWN) {
      level.sort((a, b) => kids[b].length - kids[a].length || deg[b] - deg[a] || a - b);
      const next = [];
      for (const i of level) {
        if (count >= FIRST_SHOWN) break;
        if (shown[i]) continue;
        shown[i] = 1; count++;
        next.push(...kids[i]);
      }
      if (count >= FEW) break;
      level = next;
    }
  }
  let act = new Int32Array(0), actE = new Int32Array(0);
  function rebuildActive() {
    const a = [], e = [];
    for (let i = 0; i < N; i++) if (shown[i]) a.push(i);
    for (let j = 0; j < EN; j++) if (shown[ES[j]] && shown[ET[j]]) e.push(j);
    act = Int32Array.from(a); actE = Int32Array.from(e);
  }
  rebuildActive();
  const searchText = nodes.map((n) => ({
    l: n.l.toLowerCase(), a: (n.a || []).join(" | ").toLowerCase(), i: (n.i || "").toLowerCase(),
  }));

  // ---------------------------------------------------------------- colour categories
  const branch = new Int32Array(N);
  for (let i = 0; i < N; i++) {
    let a = i, prev = i, guard = 0;
    while (parent[a] >= 0 && guard++ < 10000) { prev = a; a = parent[a]; }
    branch[i] = a === i ? i : prev;
  }
  const cat = new Int32Array(N);
  let cats = [];      // [{name, colour, count}]
  let hidden = new Uint8Array(0);
  function setColourMode(mode) {
    if (mode === "branch") {
      const size = new Map();
      for (let i = 0; i < N; i++) size.set(branch[i], (size.get(branch[i]) || 0) + 1);
      const top = [...size.entries()].filter((e) => e[1] > 1)
        .sort((a, b) => b[1] - a[1] || byLabel(a[0], b[0])).slice(0, D.palette.length - 1);
      const idx = new Map(top.map((e, k) => [e[0], k]));
      cats = top.map((e, k) => ({ name: labelOf(e[0]), colour: D.palette[k], count: 0 }));
      const other = { name: "other", colour: "#b8bfc7", count: 0 };
      for (let i = 0; i < N; i++) {
        const k = idx.has(branch[i]) ? idx.get(branch[i]) : cats.length;
        cat[i] = k;
      }
      cats.push(other);
    } else {
      cats = D.kinds.map((k) => ({ name: k[0], colour: k[1], count: 0 }));
      for (let i = 0; i < N; i++) cat[i] = nodes[i].k;
    }
    for (let i = 0; i < N; i++) cats[cat[i]].count++;
    hidden = new Uint8Array(cats.length);
    renderLegend();
    requestDraw();
  }
  const visible = (i) => shown[i] === 1 && (!hidden[cat[i]] || i === selected);

  // ---------------------------------------------------------------- positions
  const X = new Float64Array(N), Y = new Float64Array(N);
  const VX = new Float64Array(N), VY = new Float64Array(N);
  const pinned = new Uint8Array(N);
  const treeXY = new Float64Array(2 * N);
  let maxTX = 0;
  for (let i = 0; i < N; i++) maxTX = Math.max(maxTX, nodes[i].p[0]);
  const leaves = Math.round(maxTX / D.tree.dx) + 1;
  const radialTree = leaves > 60;
  function treePositions() {
    const ring = Math.max(90, Math.min(400, leaves * 1.2));
    let roots = 0;
    for (let i = 0; i < N; i++) if (nodes[i].p[1] === 0) roots++;
    const first = roots > 1 ? 1 : 0;  // several roots: put them on the first ring
    for (let i = 0; i < N; i++) {
      const p = nodes[i].p;
      if (radialTree) {
        const ang = (2 * Math.PI * p[0]) / (maxTX + D.tree.dx);
        const r = (p[1] / D.tree.dy + first) * ring;
        treeXY[2 * i] = r * Math.cos(ang); treeXY[2 * i + 1] = r * Math.sin(ang);
      } else {
        treeXY[2 * i] = p[0] * 4; treeXY[2 * i + 1] = p[1];
      }
    }
  }
  treePositions();
  // Start the force layout from a radial drawing of the tree, scaled to the graph size.
  (function initialPositions() {
    const R = Math.max(60, Math.sqrt(N) * 5);
    for (let i = 0; i < N; i++) {
      const p = nodes[i].p;
      const ang = (2 * Math.PI * p[0]) / (maxTX + D.tree.dx);
      const r = (p[1] / D.tree.dy) * R + R * 0.2 + (i % 7);
      X[i] = r * Math.cos(ang); Y[i] = r * Math.sin(ang);
    }
  })();

  // ---------------------------------------------------------------- force layout
  const linkStrength = new Float64Array(EN), linkBias = new Float64Array(EN);
  for (let j = 0; j < EN; j++) {
    const s = ES[j], t = ET[j];
    linkStrength[j] = 1 / Math.max(1, Math.min(deg[s], deg[t]));
    linkBias[j] = deg[s] / (deg[s] + deg[t]);
  }
  const CHARGE = -70, THETA2 = 0.81, LINK_H = 38, LINK_R = 70;
  let alpha = 1, layoutMode = "force", running = true;
  const ALPHA_MIN = 0.002, ALPHA_DECAY = 1 - Math.pow(ALPHA_MIN, 1 / 320);
  // Barnes-Hut quadtree in flat typed arrays; children always follow their parent.
  let cap = 4 * N + 64;
  let qx = new Float64Array(cap), qy = new Float64Array(cap), qs = new Float64Array(cap);
  let qm = new Float64Array(cap), qcx = new Float64Array(cap), qcy = new Float64Array(cap);
  let qc = new Int32Array(4 * cap), qb = new Int32Array(cap);
  const nextBody = new Int32Array(N);
  let qn = 0;
  function qnew(x, y, s) {
    if (qn >= cap) {
      cap *= 2;
      const grow = (a, n) => { const b = new a.constructor(n); b.set(a); return b; };
      qx = grow(qx, cap); qy = grow(qy, cap); qs = grow(qs, cap); qm = grow(qm, cap);
      qcx = grow(qcx, cap); qcy = grow(qcy, cap); qc = grow(qc, 4 * cap); qb = grow(qb, cap);
    }
    const q = qn++;
    qx[q] = x; qy[q] = y; qs[q] = s; qb[q] = -1; qm[q] = 0;
    qc[4 * q] = qc[4 * q + 1] = qc[4 * q + 2] = qc[4 * q + 3] = -1;
    return q;
  }
  function quadrant(q, i) {
    const h = qs[q] / 2;
    return (X[i] >= qx[q] + h ? 1 : 0) + (Y[i] >= qy[q] + h ? 2 : 0);
  }
  function child(q, k) {
    let c = qc[4 * q + k];
    if (c < 0) {
      const h = qs[q] / 2;
      c = qnew(qx[q] + (k & 1 ? h : 0), qy[q] + (k & 2 ? h : 0), h);
      qc[4 * q + k] = c;
    }
    return c;
  }
  function insert(i) {
    let q = 0;
    for (;;) {
      if (qb[q] === -1) {            // empty leaf
        if (qc[4 * q] < 0 && qc[4 * q + 1] < 0 && qc[4 * q + 2] < 0 && qc[4 * q + 3] < 0) {
          qb[q] = i; nextBody[i] = -1; return;
        }
        q = child(q, quadrant(q, i)); continue;   // internal
      }
      const b = qb[q];               // leaf holding bodies
      if ((X[b] === X[i] && Y[b] === Y[i]) || qs[q] < 1e-3) {
        nextBody[i] = nextBody[b]; nextBody[b] = i; return;
      }
      qb[q] = -1;
      const c = child(q, quadrant(q, b));
      qb[c] = b;
      q = child(q, quadrant(q, i));
    }
  }
  function buildTree() {
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (let n = 0; n < act.length; n++) {
      const i = act[n];
      if (X[i] < x0) x0 = X[i]; if (X[i] > x1) x1 = X[i];
      if (Y[i] < y0) y0 = Y[i]; if (Y[i] > y1) y1 = Y[i];
    }
    qn = 0;
    qnew(x0 - 1, y0 - 1, Math.max(x1 - x0, y1 - y0) + 2);
    for (let n = 0; n < act.length; n++) insert(act[n]);
    for (let q = qn - 1; q >= 0; q--) {
      let m = 0, cx = 0, cy = 0;
      if (qb[q] >= 0) {
        for (let b = qb[q]; b >= 0; b = nextBody[b]) { m++; cx += X[b]; cy += Y[b]; }
      } else {
        for (let k = 0; k < 4; k++) {
          const c = qc[4 * q + k];
          if (c >= 0 && qm[c] > 0) { m += qm[c]; cx += qcx[c] * qm[c]; cy += qcy[c] * qm[c]; }
        }
      }
      qm[q] = m;
      if (m > 0) { qcx[q] = cx / m; qcy[q] = cy / m; }
    }
  }
  const stack = new Int32Array(4096 * 4);
  function repel(i, strength) {
    let sp = 0;
    stack[sp++] = 0;
    const xi = X[i], yi = Y[i];
    let fx = 0, fy = 0;
    while (sp > 0) {
      const q = stack[--sp];
      if (qm[q] === 0) continue;
      let dx = qcx[q] - xi, dy = qcy[q] - yi, d2 = dx * dx + dy * dy;
      if (qb[q] >= 0) {
        for (let b = qb[q]; b >= 0; b = nextBody[b]) {
          if (b === i) continue;
          dx = X[b] - xi; dy = Y[b] - yi; d2 = dx * dx + dy * dy;
          if (d2 === 0) {
            dx = ((i * 7919 + b) % 13 - 6) * 0.1 + 0.05;
            dy = ((i + b * 31) % 11 - 5) * 0.1 + 0.05;
            d2 = dx * dx + dy * dy;
          }
          if (d2 < 25) d2 = Math.sqrt(25 * d2);
          const f = strength / d2;
          fx += dx * f; fy += dy * f;
        }
        continue;
      }
      if ((qs[q] * qs[q]) / d2 < THETA2) {
        if (d2 < 25) d2 = Math.sqrt(25 * d2);
        const f = (strength * qm[q]) / d2;
        fx += dx * f; fy += dy * f;
        continue;
      }
      for (let k = 0; k < 4; k++) {
        const c = qc[4 * q + k];
        if (c >= 0 && sp < stack.length) stack[sp++] = c;
      }
    }
    VX[i] += fx; VY[i] += fy;
  }
  let tickCount = 0, tickTime = 0;
  function tick() {
    const t0 = performance.now();
    for (let n = 0; n < actE.length; n++) {
      const j = actE[n], s = ES[j], t = ET[j];
      if (s === t) continue;
      let dx = X[t] + VX[t] - X[s] - VX[s], dy = Y[t] + VY[t] - Y[s] - VY[s];
      let l = Math.sqrt(dx * dx + dy * dy) || 1e-3;
      const want = EH[j] ? LINK_H : LINK_R;
      l = ((l - want) / l) * alpha * linkStrength[j];
      dx *= l; dy *= l;
      const b = linkBias[j];
      VX[t] -= dx * b; VY[t] -= dy * b;
      VX[s] += dx * (1 - b); VY[s] += dy * (1 - b);
    }
    buildTree();
    const strength = CHARGE * alpha;
    for (let n = 0; n < act.length; n++) repel(act[n], strength);
    for (let n = 0; n < act.length; n++) {
      const i = act[n];
      if (pinned[i]) { VX[i] = VY[i] = 0; continue; }
      // A pull to the centre keeps loose nodes and small components in view.
      const g = (deg[i] ? 0.02 : 0.08) * alpha;
      VX[i] = (VX[i] - X[i] * g) * 0.6; VY[i] = (VY[i] - Y[i] * g) * 0.6;
      X[i] += VX[i]; Y[i] += VY[i];
    }
    alpha += (0 - alpha) * ALPHA_DECAY;
    tickCount++; tickTime += performance.now() - t0;
  }

  // ---------------------------------------------------------------- view transform
  let W = 0, H = 0, dpr = 1, k = 1, tx = 0, ty = 0, autoFit = true;
  function resize() {
    const r = canvas.getBoundingClientRect();
    dpr = window.devicePixelRatio || 1;
    W = Math.max(1, r.width); H = Math.max(1, r.height);
    canvas.width = Math.round(W * dpr); canvas.height = Math.round(H * dpr);
    if (autoFit) fit(false);
    requestDraw();
  }
  function fit(animate) {
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity, any = false;
    for (let i = 0; i < N; i++) {
      if (!visible(i)) continue;
      any = true;
      if (X[i] < x0) x0 = X[i]; if (X[i] > x1) x1 = X[i];
      if (Y[i] < y0) y0 = Y[i]; if (Y[i] > y1) y1 = Y[i];
    }
    if (!any) { x0 = y0 = -100; x1 = y1 = 100; }
    const pad = 40;
    const fitK = Math.min((W - 2 * pad) / (x1 - x0 + 1), (H - 2 * pad) / (y1 - y0 + 1));
    const nk = Math.min(3, Math.max(0.01, fitK));
    const ntx = W / 2 - ((x0 + x1) / 2) * nk, nty = H / 2 - ((y0 + y1) / 2) * nk;
    if (animate) animateView(nk, ntx, nty); else { k = nk; tx = ntx; ty = nty; }
  }
  let viewAnim = null;
  function animateView(nk, ntx, nty) {
    const from = [k, tx, ty], start = performance.now();
    viewAnim = () => {
      const u = Math.min(1, (performance.now() - start) / 350), e = u * (2 - u);
      k = from[0] + (nk - from[0]) * e;
      tx = from[1] + (ntx - from[1]) * e;
      ty = from[2] + (nty - from[2]) * e;
      if (u >= 1) viewAnim = null;
    };
    requestDraw();
  }
  let follow = -1;  // keep this node centred while the layout is still moving
  function centreOn(i) {
    autoFit = false;
    follow = running ? i : -1;
    const nk = Math.max(k, 1.2);
    animateView(nk, W / 2 - X[i] * nk, H / 2 - Y[i] * nk);
  }

  // ---------------------------------------------------------------- drawing
  let selected = -1, hover = -1, drawPending = false, frames = 0, frameTime = 0;
  let nbr = new Set();
  let grid = new Uint8Array(0), gw = 0, gh = 0;
  const CELL = 8;
  function requestDraw() {
    if (!drawPending) { drawPending = true; requestAnimationFrame(frame); }
  }
  let posAnim = null;
  function frame() {
    drawPending = false;
    let more = false;
    if (posAnim) more = posAnim() || more;
    if (running && layoutMode === "force") {
      const t0 = performance.now();
      do { tick(); } while (alpha > ALPHA_MIN && performance.now() - t0 < 20);
      if (alpha <= ALPHA_MIN) {
        running = false;
        body.dataset.layout = "done";
        body.dataset.tickMs = (tickTime / Math.max(1, tickCount)).toFixed(2);
        body.dataset.ticks = String(tickCount);
      } else more = true;
      if (autoFit) fit(false);
      else if (follow >= 0 && !viewAnim) {
        tx = W / 2 - X[follow] * k; ty = H / 2 - Y[follow] * k;
      }
    }
    if (viewAnim) { viewAnim(); more = true; }
    draw();
    if (more) requestDraw();
  }
  function claim(x, y, w, h) {
    const c0 = Math.max(0, Math.floor(x / CELL));
    const c1 = Math.min(gw - 1, Math.floor((x + w) / CELL));
    const r0 = Math.max(0, Math.floor(y / CELL));
    const r1 = Math.min(gh - 1, Math.floor((y + h) / CELL));
    if (c0 > c1 || r0 > r1) return false;
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) if (grid[r * gw + c]) return false;
    }
    for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) grid[r * gw + c] = 1;
    return true;
  }
  function drawLabel(i, force, bold) {
    const sx = X[i] * k + tx, sy = Y[i] * k + ty;
    const text = labelOf(i).length > 40 ? labelOf(i).slice(0, 38) + "…" : labelOf(i);
    ctx.font = bold ? "600 12px system-ui, sans-serif" : "12px system-ui, sans-serif";
    const w = ctx.measureText(text).width, r = rad(i) * k;
    const x = sx + r + 3, y = sy - 7;
    if (!claim(x, y, w, 14) && !force) return;
    ctx.strokeText(text, x, sy); ctx.fillText(text, x, sy);
  }
  function edgePath(list, filter) {
    ctx.beginPath();
    for (const j of list) {
      if (!filter(j)) continue;
      ctx.moveTo(X[ES[j]], Y[ES[j]]); ctx.lineTo(X[ET[j]], Y[ET[j]]);
    }
  }
  function arrowHeads(list, filter) {
    ctx.beginPath();
    for (const j of list) {
      if (!filter(j)) continue;
      const s = ES[j], t = ET[j];
      const dx = X[t] - X[s], dy = Y[t] - Y[s], l = Math.sqrt(dx * dx + dy * dy);
      if (l < 1e-6) continue;
      const ux = dx / l, uy = dy / l, r = rad(t) + 1;
      const hx = X[t] - ux * r, hy = Y[t] - uy * r;
      const a = 6 / Math.max(k, 0.5), b = 3.2 / Math.max(k, 0.5);
      ctx.moveTo(hx, hy);
      ctx.lineTo(hx - ux * a - uy * b, hy - uy * a + ux * b);
      ctx.lineTo(hx - ux * a + uy * b, hy - uy * a - ux * b);
      ctx.closePath();
    }
  }
  function draw() {
    const t0 = performance.now();
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, W, H);
    const wx0 = -tx / k, wy0 = -ty / k, wx1 = (W - tx) / k, wy1 = (H - ty) / k, m = 20 / k;
    const inView = (i) => X[i] > wx0 - m && X[i] < wx1 + m && Y[i] > wy0 - m && Y[i] < wy1 + m;
    const edgeOn = (j) => visible(ES[j]) && visible(ET[j]) &&
      !((X[ES[j]] < wx0 && X[ET[j]] < wx0) || (X[ES[j]] > wx1 && X[ET[j]] > wx1) ||
        (Y[ES[j]] < wy0 && Y[ET[j]] < wy0) || (Y[ES[j]] > wy1 && Y[ET[j]] > wy1));
    const dim = selected >= 0;
    ctx.translate(tx, ty); ctx.scale(k, k);
    // edges: hierarchy solid grey, other relations dashed blue. Keep them exactly one pixel
    // wide: hairlines take the fast path of software rasterisers (10x faster at 5,000 nodes).
    ctx.lineWidth = 1 / k;
    ctx.globalAlpha = dim ? 0.12 : 1;
    ctx.strokeStyle = k < 0.3 ? "rgba(70,78,88,0.35)" : "rgba(70,78,88,0.55)";
    ctx.setLineDash([]);
    // The tree layout draws each node's first broader link only (the spanning tree).
    const hierOn = (j) => EH[j] && (layoutMode !== "tree" || parent[ES[j]] === ET[j]) && edgeOn(j);
    edgePath(actE, hierOn); ctx.stroke();
    ctx.strokeStyle = k < 0.3 ? "rgba(42,127,184,0.45)" : "rgba(42,127,184,0.75)";
    ctx.setLineDash([5 / k, 4 / k]);
    // In the tree layout only the hierarchy is drawn; a selected node still shows its relations.
    const relOn = (j) => !EH[j] && layoutMode !== "tree" && edgeOn(j);
    edgePath(actE, relOn); ctx.stroke();
    ctx.setLineDash([]);
    if (k > 0.45 && !dim) {
      ctx.fillStyle = "#fff"; ctx.strokeStyle = "rgba(70,78,88,0.8)";
      arrowHeads(actE, hierOn); ctx.fill(); ctx.stroke();
      ctx.fillStyle = "rgba(42,127,184,0.9)";
      arrowHeads(actE, relOn); ctx.fill();
    }
    // nodes, one path per colour
    let drawn = 0;
    const byCat = cats.map(() => []);
    for (let i = 0; i < N; i++) if (visible(i) && inView(i)) { byCat[cat[i]].push(i); drawn++; }
    ctx.lineWidth = 1 / k; ctx.strokeStyle = "#fff";
    byCat.forEach((list, c) => {
      if (!list.length) return;
      ctx.beginPath();
      for (const i of list) {
        ctx.moveTo(X[i] + rad(i), Y[i]);
        ctx.arc(X[i], Y[i], rad(i), 0, 2 * Math.PI);
      }
      ctx.fillStyle = cats[c].colour; ctx.fill(); if (k > 0.3) ctx.stroke();
    });
    ctx.globalAlpha = 1;
    if (dim) {
      const mine = outE[selected].concat(inE[selected])
        .filter((j) => visible(ES[j]) && visible(ET[j]));
      ctx.lineWidth = 2 / k;
      ctx.strokeStyle = "rgba(50,56,64,0.9)";
      edgePath(mine, (j) => EH[j]); ctx.stroke();
      ctx.strokeStyle = "rgba(42,127,184,1)"; ctx.setLineDash([6 / k, 4 / k]);
      edgePath(mine, (j) => !EH[j]); ctx.stroke(); ctx.setLineDash([]);
      ctx.lineWidth = 1 / k;
      ctx.fillStyle = "#fff"; ctx.strokeStyle = "rgba(50,56,64,1)";
      arrowHeads(mine, (j) => EH[j]); ctx.fill(); ctx.stroke();
      ctx.fillStyle = "rgba(42,127,184,1)"; arrowHeads(mine, (j) => !EH[j]); ctx.fill();
      for (const i of [selected, ...nbr]) {
        if (!visible(i)) continue;
        ctx.beginPath(); ctx.arc(X[i], Y[i], rad(i), 0, 2 * Math.PI);
        ctx.fillStyle = cats[cat[i]].colour;
        ctx.fill();
        ctx.lineWidth = 1.5 / k;
        ctx.strokeStyle = "#fff";
        ctx.stroke();
      }
      ctx.beginPath(); ctx.arc(X[selected], Y[selected], rad(selected) + 4 / k, 0, 2 * Math.PI);
      ctx.lineWidth = 2.5 / k; ctx.strokeStyle = "#1d232a"; ctx.stroke();
    }
    // labels in screen space, without overlaps
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    gw = Math.ceil(W / CELL) + 1; gh = Math.ceil(H / CELL) + 1;
    if (grid.length < gw * gh) grid = new Uint8Array(gw * gh); else grid.fill(0, 0, gw * gh);
    ctx.font = "12px system-ui, sans-serif"; ctx.textBaseline = "middle";
    ctx.lineJoin = "round";
    ctx.lineWidth = 3;
    ctx.strokeStyle = "rgba(255,255,255,0.9)";
    ctx.fillStyle = "#1d232a";
    if (dim) {
      ctx.font = "11px system-ui, sans-serif"; ctx.fillStyle = "#2a5d8a";
      for (const j of outE[selected].concat(inE[selected])) {
        if (EH[j] || !visible(ES[j]) || !visible(ET[j])) continue;
        const mx = ((X[ES[j]] + X[ET[j]]) / 2) * k + tx, my = ((Y[ES[j]] + Y[ET[j]]) / 2) * k + ty;
        const text = D.preds[EP[j]][0], w = ctx.measureText(text).width;
        if (claim(mx - w / 2, my - 7, w, 14)) {
          ctx.strokeText(text, mx - w / 2, my);
          ctx.fillText(text, mx - w / 2, my);
        }
      }
      ctx.fillStyle = "#1d232a";
      drawLabel(selected, true, true);
      ctx.font = "12px system-ui, sans-serif";
      for (const i of nbr) if (visible(i)) drawLabel(i, false, false);
    }
    if (hover >= 0 && visible(hover)) drawLabel(hover, true, true);
    ctx.font = "12px system-ui, sans-serif";
    ctx.fillStyle = dim ? "rgba(29,35,42,0.35)" : "#1d232a";
    const budget = k > 1.5 ? 600 : k > 0.7 ? 250 : k > 0.3 ? 80 : 25;
    let shown = 0;
    for (let n = 0; n < N && shown < budget; n++) {
      const i = labelOrder[n];
      if (!visible(i) || !inView(i)) continue;
      const sx = X[i] * k + tx, sy = Y[i] * k + ty;
      if (sx < -50 || sx > W || sy < 0 || sy > H) continue;
      drawLabel(i, false, false);
      shown++;
    }
    frames++; frameTime += performance.now() - t0;
    if (!body.dataset.firstPaintMs) body.dataset.firstPaintMs = performance.now().toFixed(1);
    body.dataset.drawn = String(drawn);
    body.dataset.frameMs = (frameTime / frames).toFixed(2);
    body.dataset.frames = String(frames);
  }

  // ---------------------------------------------------------------- interaction
  function nodeAt(sx, sy) {
    const wx = (sx - tx) / k, wy = (sy - ty) / k;
    let best = -1, bestD = Infinity;
    for (let i = 0; i < N; i++) {
      if (!visible(i)) continue;
      const dx = X[i] - wx, dy = Y[i] - wy, d2 = dx * dx + dy * dy, r = rad(i) + 4 / k;
      if (d2 < r * r && d2 < bestD) { best = i; bestD = d2; }
    }
    return best;
  }
  let drag = null;
  const tooltip = $("tooltip");
  canvas.addEventListener("pointerdown", (ev) => {
    const r = canvas.getBoundingClientRect(), sx = ev.clientX - r.left, sy = ev.clientY - r.top;
    const i = nodeAt(sx, sy);
    drag = { i, sx, sy, tx, ty, moved: false };
    canvas.setPointerCapture(ev.pointerId);
    canvas.classList.add("grabbing");
  });
  canvas.addEventListener("pointermove", (ev) => {
    const r = canvas.getBoundingClientRect(), sx = ev.clientX - r.left, sy = ev.clientY - r.top;
    if (drag) {
      if (Math.abs(sx - drag.sx) + Math.abs(sy - drag.sy) > 3) drag.moved = true;
      if (!drag.moved) return;
      autoFit = false;
      if (drag.i >= 0) {
        pinned[drag.i] = 1; X[drag.i] = (sx - tx) / k; Y[drag.i] = (sy - ty) / k;
        if (layoutMode === "force") { alpha = Math.max(alpha, 0.08); running = true; }
      } else { tx = drag.tx + sx - drag.sx; ty = drag.ty + sy - drag.sy; follow = -1; }
      requestDraw();
      return;
    }
    const i = nodeAt(sx, sy);
    if (i !== hover) {
      hover = i;
      canvas.classList.toggle("pointer", i >= 0);
      requestDraw();
    }
    if (i >= 0) {
      tooltip.hidden = false;
      tooltip.textContent = labelOf(i) + " · " + cats[cat[i]].name;
      tooltip.style.left = Math.min(sx + 14, W - 200) + "px";
      tooltip.style.top = sy + 12 + "px";
    } else tooltip.hidden = true;
  });
  canvas.addEventListener("pointerup", (ev) => {
    canvas.classList.remove("grabbing");
    if (!drag) return;
    const d = drag; drag = null;
    if (d.i >= 0 && d.moved) { pinned[d.i] = 0; return; }
    if (!d.moved) {
      const r = canvas.getBoundingClientRect();
      const i = nodeAt(ev.clientX - r.left, ev.clientY - r.top);
      if (i >= 0) select(i, false); else select(-1, false);
    }
  });
  canvas.addEventListener("pointerleave", () => {
    tooltip.hidden = true;
    if (hover >= 0) { hover = -1; requestDraw(); }
  });
  canvas.addEventListener("wheel", (ev) => {
    ev.preventDefault();
    autoFit = false; viewAnim = null; follow = -1;
    const r = canvas.getBoundingClientRect(), sx = ev.clientX - r.left, sy = ev.clientY - r.top;
    const f = Math.exp(-ev.deltaY * (ev.deltaMode === 1 ? 0.05 : 0.0015));
    const nk = Math.min(8, Math.max(0.01, k * f));
    tx = sx - ((sx - tx) / k) * nk; ty = sy - ((sy - ty) / k) * nk; k = nk;
    requestDraw();
  }, { passive: false });

  // ---------------------------------------------------------------- details panel
  const details = $("details");
  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function nodeLink(i) {
    const a = el("a", "node", labelOf(i));
    a.href = "#"; a.title = nodes[i].i || labelOf(i);
    a.addEventListener("click", (ev) => { ev.preventDefault(); select(i, true); });
    return a;
  }
  function chip(c) {
    const s = el("span", "chip", cats[c].name);
    s.style.background = cats[c].colour;
    return s;
  }
  function listOf(items, render, limit) {
    const ul = el("ul");
    const add = (from, to) => {
      for (let n = from; n < to; n++) {
        const li = el("li");
        render(li, items[n]);
        ul.appendChild(li);
      }
    };
    add(0, Math.min(items.length, limit));
    if (items.length > limit) {
      const li = el("li"), b = el("button", "link", "show " + (items.length - limit) + " more");
      b.type = "button";
      b.addEventListener("click", () => { li.remove(); add(limit, items.length); });
      li.appendChild(b); ul.appendChild(li);
    }
    return ul;
  }
  function showDetails(i) {
    details.textContent = "";
    if (i < 0) {
      details.appendChild(el("p", "hint", "Click a node, or search, to see its definition, "
        + "relations, figures and sources."));
      return;
    }
    const n = nodes[i];
    const chain = [];
    for (let a = parent[i], g = 0; a >= 0 && g < 50 && !chain.includes(a); g++) {
      chain.unshift(a);
      a = parent[a];
    }
    if (chain.length) {
      const p = el("div", "path");
      chain.forEach((a) => {
        p.appendChild(nodeLink(a));
        p.appendChild(document.createTextNode(" › "));
      });
      details.appendChild(p);
    }
    details.appendChild(el("h2", "", n.l));
    const kinds = el("div");
    kinds.appendChild(chip(cat[i]));
    if (D.kinds[n.k] && cats[cat[i]].name !== D.kinds[n.k][0]) {
      const s = el("span", "chip", D.kinds[n.k][0]);
      s.style.background = D.kinds[n.k][1];
      kinds.appendChild(s);
    }
    details.appendChild(kinds);
    if (n.i) details.appendChild(el("div", "iri", n.i));
    if (n.d) details.appendChild(el("p", "def", n.d));
    if (n.a && n.a.length) {
      details.appendChild(el("h3", "", "Also known as"));
      details.appendChild(el("div", "", n.a.join(", ")));
    }
    if (n.t && n.t.length) {
      details.appendChild(el("h3", "", "Types"));
      details.appendChild(el("div", "", n.t.join(", ")));
    }
    const broader = outE[i].filter((j) => EH[j]).map((j) => ET[j]);
    const narrower = inE[i].filter((j) => EH[j]).map((j) => ES[j]).sort(byLabel);
    const rel = outE[i].filter((j) => !EH[j]), relIn = inE[i].filter((j) => !EH[j]);
    if (broader.length) {
      details.appendChild(el("h3", "", "Is a kind of"));
      details.appendChild(listOf(broader, (li, a) => li.appendChild(nodeLink(a)), 50));
    }
    if (narrower.length) {
      details.appendChild(el("h3", "", "Kinds of it (" + narrower.length + ")"));
      details.appendChild(listOf(narrower, (li, a) => li.appendChild(nodeLink(a)), 30));
    }
    if (rel.length || relIn.length) {
      details.appendChild(el("h3", "", "Relations"));
      const items = rel.map((j) => [0, j]).concat(relIn.map((j) => [1, j]));
      details.appendChild(listOf(items, (li, it) => {
        const j = it[1];
        if (it[0] === 0) {
          li.appendChild(el("span", "pred", D.preds[EP[j]][0] + " "));
          li.appendChild(nodeLink(ET[j]));
        } else {
          li.appendChild(nodeLink(ES[j]));
          li.appendChild(el("span", "pred", " " + D.preds[EP[j]][0] + " "));
          li.appendChild(el("span", "hint", "this"));
        }
      }, 40));
    }
    if (n.f && n.f.length) {
      details.appendChild(el("h3", "", "Figures"));
      const table = el("table");
      n.f.forEach((pv) => {
        const tr = el("tr");
        tr.appendChild(el("td", "", pv[0]));
        tr.appendChild(el("td", "", pv[1]));
        table.appendChild(tr);
      });
      details.appendChild(table);
    }
    if (n.x && n.x.length) {
      details.appendChild(el("h3", "", "External links (" + n.x.length + ")"));
      details.appendChild(listOf(n.x, (li, x) => {
        li.appendChild(el("span", "pred", x[0] + " "));
        const a = el("a", "node", x[1]);
        a.href = x[1];
        a.target = "_blank";
        a.rel = "noopener noreferrer";
        li.appendChild(a);
      }, 20));
    }
    const hiddenNbrs = exploring ? neighbours(i).filter((m) => !shown[m]) : [];
    if (hiddenNbrs.length) {
      const b = el("button", "link", "Show " + hiddenNbrs.length + " more neighbours");
      b.type = "button";
      b.addEventListener("click", () => { reveal(hiddenNbrs, i); showDetails(i); });
      const p = el("p", "hint");
      p.appendChild(b);
      details.appendChild(p);
    }
    if (n.s && n.s.length) {
      details.appendChild(el("h3", "", "Sources"));
      details.appendChild(listOf(n.s, (li, s) => {
        const a = el("a", "node", s[1]);
        a.href = s[0];
        a.target = "_blank";
        a.rel = "noopener noreferrer";
        a.title = s[0];
        li.appendChild(a);
      }, 20));
    }
  }

  // ---------------------------------------------------------------- hierarchy outline
  const outline = $("outline");
  const outlineItems = new Map();
  function outlineList(items) {
    const ul = el("ul");
    items.forEach((i) => {
      const li = el("li");
      const tw = el("button", "tw", kids[i].length ? "▸" : "");
      tw.type = "button";
      li.appendChild(tw); li.appendChild(nodeLink(i));
      if (kids[i].length) {
        li.appendChild(el("span", "cnt", String(kids[i].length)));
        tw.addEventListener("click", () => toggleOutline(li, i));
      }
      outlineItems.set(i, li);
      ul.appendChild(li);
    });
    return ul;
  }
  function toggleOutline(li, i, open) {
    const tw = li.firstChild;
    let sub = li.querySelector(":scope > ul");
    const want = open === undefined ? !sub || sub.hidden : open;
    if (want && !sub) { sub = outlineList(kids[i]); li.appendChild(sub); }
    if (sub) sub.hidden = !want;
    tw.textContent = want ? "▾" : "▸";
  }
  let outlineBuilt = false;
  function buildOutline() {
    if (outlineBuilt) return;
    outlineBuilt = true;
    const roots = [];
    for (let i = 0; i < N; i++) if (parent[i] < 0 && kids[i].length) roots.push(i);
    roots.sort((a, b) => kids[b].length - kids[a].length || byLabel(a, b));
    if (!roots.length) {
      outline.appendChild(el("p", "hint",
        "This graph has no hierarchy (broader / subclass) edges."));
      return;
    }
    outline.appendChild(outlineList(roots));
    if (roots.length === 1) toggleOutline(outlineItems.get(roots[0]), roots[0], true);
  }
  function revealInOutline(i) {
    if (!outlineBuilt || i < 0) return;
    const chain = [];
    for (let a = parent[i], g = 0; a >= 0 && g < 50 && !chain.includes(a); g++) {
      chain.unshift(a);
      a = parent[a];
    }
    for (const a of chain) { const li = outlineItems.get(a); if (li) toggleOutline(li, a, true); }
    outline.querySelectorAll(".sel").forEach((e) => e.classList.remove("sel"));
    const li = outlineItems.get(i);
    if (li) {
      li.classList.add("sel");
      if (!outline.hidden) li.scrollIntoView({ block: "nearest" });
    }
  }
  function showTab(name) {
    $("tab-details").classList.toggle("on", name === "details");
    $("tab-tree").classList.toggle("on", name === "tree");
    details.hidden = name !== "details"; outline.hidden = name !== "tree";
    if (name === "tree") { buildOutline(); revealInOutline(selected); }
  }
  $("tab-details").addEventListener("click", () => showTab("details"));
  $("tab-tree").addEventListener("click", () => showTab("tree"));

  // ---------------------------------------------------------------- selection & search
  function neighbours(i) {
    const found = new Set();
    for (const j of outE[i]) found.add(ET[j]);
    for (const j of inE[i]) found.add(ES[j]);
    found.delete(i);
    return [...found];
  }
  // Show nodes that were hidden, placed around node ``near``; the layout takes them in.
  function reveal(list, near) {
    let added = 0;
    list.forEach((m, n) => {
      if (shown[m]) return;
      shown[m] = 1; added++;
      if (layoutMode === "tree") { X[m] = treeXY[2 * m]; Y[m] = treeXY[2 * m + 1]; return; }
      const ang = n * 2.399963, r = 30 + 4 * Math.sqrt(n);
      X[m] = X[near] + r * Math.cos(ang); Y[m] = Y[near] + r * Math.sin(ang);
      VX[m] = VY[m] = 0;
    });
    if (!added) return;
    rebuildActive();
    updateCounts();
    if (layoutMode === "force") {
      alpha = Math.max(alpha, 0.25); running = true; body.dataset.layout = "running";
    }
    requestDraw();
  }
  // A node's broader chain, narrower nodes and related nodes (hierarchy first).
  function expand(i) {
    const want = [];
    for (let a = parent[i], g = 0; a >= 0 && g < 50; g++, a = parent[a]) want.push(a);
    const near = kids[i].concat(neighbours(i).filter((m) => parent[m] !== i));
    let anchor = i;
    if (!shown[i]) { const up = want.find((a) => shown[a]); if (up !== undefined) anchor = up; }
    reveal(want.concat([i], near.slice(0, NEIGHBOURS_SHOWN)), anchor);
  }
  function showAll() {
    exploring = false;
    shown.fill(1);
    rebuildActive();
    updateCounts();
    $("btn-all").hidden = true;
    if (layoutMode === "force") {
      alpha = Math.max(alpha, 0.5); running = true; body.dataset.layout = "running";
    } else for (let i = 0; i < N; i++) { X[i] = treeXY[2 * i]; Y[i] = treeXY[2 * i + 1]; }
    autoFit = true;
    requestDraw();
  }
  function updateCounts() {
    let text = N.toLocaleString("en") + " nodes · " + EN.toLocaleString("en") + " edges";
    if (exploring) {
      text += " · showing " + act.length.toLocaleString("en")
        + ": click, search or browse the hierarchy to open more";
    }
    $("counts").textContent = text;
  }
  function select(i, centre) {
    selected = i;
    nbr = new Set();
    if (i >= 0 && exploring) expand(i);
    if (i >= 0) {
      if (hidden[cat[i]]) { hidden[cat[i]] = 0; renderLegend(); }
      for (const j of outE[i]) nbr.add(ET[j]);
      for (const j of inE[i]) nbr.add(ES[j]);
      nbr.delete(i);
      if (centre) centreOn(i);
    }
    showDetails(i);
    revealInOutline(i);
    body.dataset.selected = i >= 0 ? nodes[i].i || nodes[i].l : "";
    requestDraw();
  }
  const search = $("search"), results = $("results");
  let hits = [], active = 0;
  function runSearch() {
    const q = search.value.trim().toLowerCase();
    results.textContent = ""; hits = []; active = 0;
    if (!q) { results.hidden = true; return; }
    const scored = [];
    for (let i = 0; i < N; i++) {
      const s = searchText[i];
      let score = -1;
      if (s.l === q) score = 0;
      else if (s.l.startsWith(q)) score = 1;
      else if (s.l.includes(q)) score = 2;
      else if (s.a.includes(q)) score = 3;
      else if (s.i.includes(q)) score = 4;
      if (score >= 0) scored.push([score, s.l.length, i]);
    }
    scored.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
    hits = scored.slice(0, 30).map((s) => s[2]);
    hits.forEach((i, n) => {
      const li = el("li"); li.setAttribute("role", "option");
      const sw = el("span", "chip", "");
      sw.style.background = cats[cat[i]].colour;
      sw.style.padding = "0 5px";
      li.appendChild(sw); li.appendChild(el("span", "", labelOf(i)));
      li.appendChild(el("span", "sub", cats[cat[i]].name));
      li.addEventListener("mousedown", (ev) => { ev.preventDefault(); choose(n); });
      results.appendChild(li);
    });
    if (!hits.length) results.appendChild(el("li", "sub", "no match"));
    results.hidden = false;
    markActive();
  }
  function markActive() {
    [...results.children].forEach((li, n) => li.classList.toggle("active", n === active));
  }
  function choose(n) {
    if (!hits.length) return;
    select(hits[n], true); showTab("details");
    results.hidden = true; search.blur();
  }
  search.addEventListener("input", runSearch);
  search.addEventListener("keydown", (ev) => {
    if (ev.key === "ArrowDown") {
      active = Math.min(hits.length - 1, active + 1);
      markActive();
      ev.preventDefault();
    }
    else if (ev.key === "ArrowUp") {
      active = Math.max(0, active - 1);
      markActive();
      ev.preventDefault();
    }
    else if (ev.key === "Enter") choose(active);
    else if (ev.key === "Escape") { results.hidden = true; search.blur(); }
  });
  search.addEventListener("blur", () => { results.hidden = true; });
  search.addEventListener("focus", () => { if (search.value) runSearch(); });
  document.addEventListener("keydown", (ev) => {
    if (ev.key === "/" && document.activeElement !== search) {
      ev.preventDefault();
      search.focus();
    }
    else if (ev.key === "Escape" && document.activeElement !== search) select(-1, false);
  });

  // ---------------------------------------------------------------- legend & controls
  const legend = $("legend");
  function renderLegend() {
    legend.textContent = "";
    legend.appendChild(el("h2", "", $("colour-by").value === "branch" ? "Branches" : "Types"));
    cats.forEach((c, n) => {
      if (!c.count) return;
      const row = el("div", "row" + (hidden[n] ? " off" : ""));
      const sw = el("span", "sw"); sw.style.background = c.colour;
      row.appendChild(sw);
      row.appendChild(el("span", "", c.name));
      row.appendChild(el("span", "n", String(c.count)));
      row.title = "Click to hide or show";
      row.addEventListener("click", () => {
        hidden[n] = hidden[n] ? 0 : 1;
        renderLegend();
        requestDraw();
      });
      legend.appendChild(row);
    });
    const edges = el("div", "edges");
    const e1 = el("div", "edge");
    e1.appendChild(el("span", "line"));
    e1.appendChild(el("span", "", "is a kind of (→ broader)"));
    const e2 = el("div", "edge");
    e2.appendChild(el("span", "line rel"));
    e2.appendChild(el("span", "", "other relation (named)"));
    edges.appendChild(e1); edges.appendChild(e2); legend.appendChild(edges);
  }
  function setLayout(mode) {
    $("btn-force").classList.toggle("on", mode === "force");
    $("btn-tree").classList.toggle("on", mode === "tree");
    if (mode === layoutMode) return;
    layoutMode = mode;
    const fromX = Float64Array.from(X), fromY = Float64Array.from(Y);
    let toX, toY;
    if (mode === "tree") {
      toX = new Float64Array(N); toY = new Float64Array(N);
      for (let i = 0; i < N; i++) { toX[i] = treeXY[2 * i]; toY[i] = treeXY[2 * i + 1]; }
      running = false;
    } else {
      toX = forceX || fromX; toY = forceY || fromY;
    }
    if (mode === "tree") { forceX = fromX; forceY = fromY; }
    const start = performance.now();
    posAnim = () => {
      const u = Math.min(1, (performance.now() - start) / 600);
      const e = u < 0.5 ? 2 * u * u : 1 - Math.pow(-2 * u + 2, 2) / 2;
      for (let i = 0; i < N; i++) {
        X[i] = fromX[i] + (toX[i] - fromX[i]) * e;
        Y[i] = fromY[i] + (toY[i] - fromY[i]) * e;
      }
      if (autoFit || u < 1) fit(false);
      if (u >= 1) {
        posAnim = null;
        autoFit = true;
        fit(false);
        if (mode === "force" && alpha > ALPHA_MIN) running = true;
        return false;
      }
      return true;
    };
    autoFit = true;
    requestDraw();
  }
  let forceX = null, forceY = null;
  $("btn-force").addEventListener("click", () => setLayout("force"));
  $("btn-tree").addEventListener("click", () => setLayout("tree"));
  $("btn-fit").addEventListener("click", () => { autoFit = true; fit(true); });
  $("colour-by").addEventListener("change", (ev) => setColourMode(ev.target.value));

  // ---------------------------------------------------------------- start
  updateCounts();
  $("btn-all").hidden = !exploring;
  $("btn-all").addEventListener("click", showAll);
  const initialMode = D.kinds.filter((k) => k[0] !== "Literal").length > 1 ? "type" : "branch";
  $("colour-by").value = initialMode;
  setColourMode(initialMode);
  body.dataset.nodes = String(N);
  body.dataset.edges = String(EN);
  body.dataset.layout = "running";
  window.addEventListener("resize", resize);
  resize();
  // Draw once now, so the page shows the graph even before the first animation frame.
  fit(false); draw();
  requestDraw();
  // Open on a node: the export's focus, or "#node=<label or IRI>" in the address.
  const wanted = decodeURIComponent((location.hash.match(/^#node=(.+)$/) || [])[1] || "");
  const fromHash = wanted ? nodes.findIndex((n) => n.i === wanted || n.l === wanted) : -1;
  if (fromHash >= 0) select(fromHash, true);
  else if (D.focus >= 0) select(D.focus, false);
  window.kgViewer = {
    select: (iri) => {
      const i = nodes.findIndex((n) => n.i === iri || n.l === iri);
      select(i, true);
      return i;
    },
    screenPosition: (iri) => {
      const i = nodes.findIndex((n) => n.i === iri);
      return i < 0 ? null : [X[i] * k + tx, Y[i] * k + ty];
    },
    layout: setLayout,
    visible: () => Array.from(act, (i) => nodes[i].i || nodes[i].l),
    colourBy: (m) => { $("colour-by").value = m; setColourMode(m); },
    showAll,
    stats: () => ({
      nodes: N, edges: EN, shown: act.length, alpha, ticks: tickCount, frames,
      tickMs: tickTime / Math.max(1, tickCount), frameMs: frameTime / Math.max(1, frames),
    }),
  };
})();
