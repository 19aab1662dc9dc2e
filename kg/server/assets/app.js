"use strict";
// The browser app of `kg serve`: Ask, Browse and SPARQL over the served graph.
// Everything comes from this server's small JSON routes; nothing is fetched elsewhere.
(() => {
  const $ = (id) => document.getElementById(id);
  const state = { info: null, answer: null, concept: null, searchSeq: 0, askSeq: 0,
    lang: new URLSearchParams(location.search).get("lang") || "",
    // the address the server rendered: its article and tree are already on the page
    rendered: location.pathname + location.search };

  // ------------------------------------------------------------------ helpers
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "text") node.textContent = value;
      else if (key === "class") node.className = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  // The chosen label language travels in every address (?lang=fr), so links keep it.
  const langParam = () => (state.lang ? "&lang=" + encodeURIComponent(state.lang) : "");
  const conceptUrl = (iri) => "/concept?iri=" + encodeURIComponent(iri) + langParam();
  const conceptLink = (iri, label) =>
    el("a", { href: conceptUrl(iri), "data-nav": true, title: iri }, label || iri);

  async function getJson(url) {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    const text = await response.text();
    if (!response.ok) throw new Error(text.trim() || `${response.status} ${response.statusText}`);
    return JSON.parse(text);
  }

  function setStatus(node, text, error) {
    node.textContent = text || "";
    node.classList.toggle("error", Boolean(error));
  }

  // ------------------------------------------------------------------ routing
  function currentView() {
    const path = location.pathname;
    if (path === "/sparql") return "sparql";
    if (path === "/concept" || path === "/az") return "browse";
    return "ask";
  }

  function navigate(url, replace) {
    if (url !== location.pathname + location.search) {
      history[replace ? "replaceState" : "pushState"](null, "", url);
    }
    route();
  }

  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest("a[data-nav]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    navigate(link.getAttribute("href"));
  });
  window.addEventListener("popstate", route);

  function route() {
    const view = currentView();
    for (const name of ["ask", "browse", "sparql"]) {
      $("view-" + name).hidden = name !== view;
      const tab = $("tab-" + name);
      if (name === view) tab.setAttribute("aria-current", "page");
      else tab.removeAttribute("aria-current");
    }
    document.body.dataset.view = view;
    const params = new URLSearchParams(location.search);
    const lang = params.get("lang") || "";
    if (lang !== state.lang) { state.lang = lang; state.concept = null; treeFor = null; state.answer = null; }
    if ($("lang")) $("lang").value = state.lang || (state.info && state.info.lang) || $("lang").value;
    if (view === "ask") showAsk(params.get("q") || "");
    else if (location.pathname === "/az") showIndex(params.get("letter") || "");
    else if (view === "browse") showBrowse(params.get("iri") || "");
    else showSparql(params.get("query"));
  }

  // ------------------------------------------------------------------ graph drawing
  const PALETTE = ["#1f5fbf", "#0f7b6c", "#8a3ffc", "#b45309", "#c2185b", "#2e7d32",
    "#6d4c41", "#00838f", "#5e35b1", "#ad1457"];
  function colour(kind) {
    let h = 0;
    for (const c of kind || "") h = (h * 31 + c.charCodeAt(0)) >>> 0;
    return PALETTE[h % PALETTE.length];
  }

  const SVG = "http://www.w3.org/2000/svg";
  function svg(tag, attrs, ...children) {
    const node = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
    for (const child of children) if (child) node.append(child);
    return node;
  }

  // Draws a picture the server laid out (kg/server/drawing.py): every node has its place
  // and its label's width, so labels never overlap; hierarchy edges are arrows without words.
  function drawGraph(figure, data, options) {
    const opts = options || {};
    const nodes = data.nodes || [], edges = data.edges || [];
    figure.replaceChildren();
    if (!nodes.length) {
      figure.append(el("figcaption", { text: opts.empty || "Nothing to draw." }));
      figure.dataset.nodes = "0";
      return;
    }
    const at = new Map(nodes.map((node) => [node.iri, node]));
    const root = svg("svg", { viewBox: `0 0 ${data.width} ${data.height}`, role: "img",
      "aria-label": opts.label || "graph", preserveAspectRatio: "xMidYMin meet" });
    root.style.maxWidth = data.width + "px";  // drawn at its size, never blown up
    root.append(svg("defs", {}, svg("marker", { id: "arrow-" + figure.id, viewBox: "0 0 10 10",
      refX: "10", refY: "5", markerWidth: "8", markerHeight: "8", markerUnits: "userSpaceOnUse",
      orient: "auto-start-reverse" },
    svg("path", { d: "M0,0 L10,5 L0,10 z", class: "arrowhead" }))));
    const edgeLayer = svg("g"), nodeLayer = svg("g");
    root.append(edgeLayer, nodeLayer);
    for (const e of edges) {
      const a = at.get(e.s), b = at.get(e.o);
      if (!a || !b) continue;
      // an edge reaching past the first row of a wrapped layer crosses that row: drawn faint
      const far = Math.max(a.row || 0, b.row || 0) > 0 && Math.abs(a.y - b.y) > 60;
      const group = svg("g", { class: "edge" + (e.hierarchy ? " hierarchy" : "") + (far ? " far" : "") });
      group.dataset.key = e.s + "\n" + e.p + "\n" + e.o;
      // from the lower node's label top to the upper node's dot, so no line crosses a label
      const ay = b.y < a.y - 1 ? a.y - 26 : a.y, by = a.y < b.y - 1 ? b.y - 26 : b.y;
      const dx = b.x - a.x, dy = by - ay, d = Math.max(1, Math.hypot(dx, dy));
      const gapA = ay === a.y ? 7 : 1, gapB = by === b.y ? 8 : 2;
      group.append(svg("line", { x1: a.x + (dx / d) * gapA, y1: ay + (dy / d) * gapA,
        x2: b.x - (dx / d) * gapB, y2: by - (dy / d) * gapB, "marker-end": `url(#arrow-${figure.id})` }));
      if (e.show) {
        const t = svg("text", { x: e.lx, y: e.ly, "text-anchor": "middle" });
        t.textContent = e.label;
        group.append(t);
      }
      group.append(svg("title"));
      group.lastChild.textContent = e.label || (e.hierarchy ? "is a kind of" : e.p);
      edgeLayer.append(group);
    }
    for (const node of nodes) {
      const link = svg("a", { href: conceptUrl(node.iri), "data-nav": "",
        class: "node" + (node.iri === opts.center ? " center" : "") });
      link.dataset.iri = node.iri;
      const label = node.label.length > 28 ? node.label.slice(0, 27) + "…" : node.label;
      link.append(svg("circle", { cx: node.x, cy: node.y, r: node.iri === opts.center ? 7 : 5,
        fill: colour(node.kind) }), svg("text", { x: node.x, y: node.y - 12, "text-anchor": "middle" }),
      svg("title"));
      link.children[1].textContent = label;
      link.children[2].textContent = `${node.label} (${node.kind || "node"})\n${node.iri}`;
      nodeLayer.append(link);
    }
    figure.append(root);
    if (opts.caption) figure.append(el("figcaption", { text: opts.caption }));
    figure.dataset.nodes = String(nodes.length);
    figure.dataset.edges = String(edgeLayer.children.length);
  }

  function highlight(figure, triples) {
    const keys = new Set(triples.map((t) => t.subject + "\n" + t.predicate + "\n" + t.object));
    const iris = new Set(triples.flatMap((t) => [t.subject, t.object]));
    for (const group of figure.querySelectorAll(".edge")) {
      group.classList.toggle("hl", keys.has(group.dataset.key));
      if (keys.has(group.dataset.key)) group.parentNode.append(group);  // drawn above the rest
    }
    for (const node of figure.querySelectorAll(".node")) {
      node.classList.toggle("hl", iris.has(node.dataset.iri));
    }
    figure.dataset.highlighted = String(figure.querySelectorAll(".edge.hl, .node.hl").length);
  }

  // ------------------------------------------------------------------ Ask
  $("ask-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const question = $("q").value.trim();
    if (question) navigate("/?q=" + encodeURIComponent(question));
  });

  async function showAsk(question) {
    document.title = question ? `${question} · kg` : "kg: ask, browse and query the graph";
    if ($("q").value !== question) $("q").value = question;
    if (!question) {
      $("answer").replaceChildren(el("p", { class: "hint",
        text: "Answers are built from the graph's facts only; every sentence cites its source, and the graph says so when it does not hold the answer." }));
      $("ask-graph").replaceChildren();
      setStatus($("ask-status"), "");
      $("q").focus();
      return;
    }
    if (state.answer && state.answer.question === question) return;
    const seq = ++state.askSeq;
    delete document.body.dataset.answered;
    setStatus($("ask-status"), "Thinking… (the first question loads the model)");
    const started = performance.now();
    try {
      const answer = await getJson("/ask?draw=1&q=" + encodeURIComponent(question) + langParam());
      if (seq !== state.askSeq) return;
      state.answer = answer;
      const seconds = ((performance.now() - started) / 1000).toFixed(2);
      setStatus($("ask-status"), answer.abstained ? `No answer in the graph (${seconds} s).`
        : `Answered in ${seconds} s, confidence ${answer.confidence.toFixed(2)}.`);
      renderAnswer(answer);
      drawAnswer(answer);
      document.body.dataset.answered = String(Math.round(performance.now() - started));
      document.body.dataset.answeredAt = String(Math.round(performance.now()));  // since navigation
    } catch (error) {
      if (seq !== state.askSeq) return;
      setStatus($("ask-status"), error.message, true);
      document.body.dataset.answered = "error";
    }
  }

  function splitAnswer(text) {
    const lines = text.split("\n").map((l) => l.trim()).filter(Boolean);
    const sources = new Map();
    const body = [];
    for (const line of lines) {
      if (line.startsWith("Sources:")) {
        for (const match of line.slice(8).matchAll(/\[(\d+)\]\s*([^[]*?)(?=;\s*\[\d+\]|$)/g)) {
          sources.set(match[1], match[2].trim().replace(/;$/, ""));
        }
      } else if (!/^\(confidence [\d.]+\)$/.test(line)) {
        body.push(line);
      }
    }
    return { body, sources };
  }

  function renderAnswer(answer) {
    const box = $("answer");
    box.replaceChildren();
    if (answer.abstained) {
      box.append(el("div", { class: "abstain" }, el("p", { text: answer.answer.split(" Nearest concepts:")[0] })));
      if (answer.suggestions && answer.suggestions.length) {
        box.append(el("h3", { text: "Nearest concepts" }),
          el("p", { class: "chips", id: "suggestions" },
            answer.suggestions.map((s) => conceptLink(s.iri, s.label))));
      }
      return;
    }
    const { body, sources } = splitAnswer(answer.answer);
    const byText = new Map();
    for (const fact of answer.facts) {
      if (fact.spoken === false) continue;
      const list = byText.get(fact.text) || [];
      list.push(fact);
      byText.set(fact.text, list);
    }
    const list = el("ol", { class: "facts", id: "facts" });
    for (const line of body) {
      const match = line.match(/^(.*?)((?:\s*\[\d+\])*)$/);
      const sentence = match[1].trim();
      const cites = [...match[2].matchAll(/\d+/g)].map((m) => m[0]);
      const facts = byText.get(sentence) || byText.get(line) || [];
      const cite = cites.map((n) => el("a", { class: "cite", href: "#source-" + n, title: sources.get(n) || "" }, `[${n}]`));
      if (facts.length) {
        const button = el("button", { class: "link fact", type: "button", "aria-pressed": "false",
          title: "Show this fact's triples in the graph" }, sentence, " ", cite);
        button.addEventListener("click", () => {
          const on = button.getAttribute("aria-pressed") !== "true";
          for (const other of list.querySelectorAll(".fact")) other.setAttribute("aria-pressed", "false");
          button.setAttribute("aria-pressed", String(on));
          highlight($("ask-graph"), on ? facts.flatMap((f) => f.triples || [f]) : []);
        });
        list.append(el("li", {}, button));
      } else {
        list.append(el("li", {}, el("span", { class: "fact" }, sentence, " ", cite)));
      }
    }
    box.append(list);
    if (sources.size) {
      box.append(el("h3", { text: "Sources" }), el("ol", { class: "sources" },
        [...sources].map(([n, title]) => el("li", { id: "source-" + n, value: n, text: title }))));
    }
    if (answer.entities && answer.entities.length) {
      box.append(el("h3", { text: "Concepts" }), el("p", { class: "chips" },
        answer.entities.slice(0, 12).map((e) => conceptLink(e.iri, e.label))));
    }
    if (answer.sparql) {
      box.append(el("p", { class: "meta" }, el("a", { href: "/sparql?query=" + encodeURIComponent(answer.sparql),
        "data-nav": true }, "The SPARQL query behind these facts")));
    }
  }

  // The drawing holds what the answer says: the triples of its spoken facts.
  // The server laid it out with the answer (/ask?draw=1); POST /api/drawing does the same
  // for an answer from elsewhere.
  function drawAnswer(answer) {
    const figure = $("ask-graph");
    drawGraph(figure, answer.drawing || { nodes: [], edges: [] }, { label: "The facts of the answer",
      empty: answer.abstained ? "No drawing: the graph does not hold the answer." : "No facts between concepts to draw.",
      caption: "The answer's facts. Click a sentence to highlight its triples; click a node to open it." });
  }

  // ------------------------------------------------------------------ Browse
  // The server renders the concept's article (kg/server/html.py); the script fetches the
  // same article when it moves to another concept, so there is one rendering of a concept.
  async function showBrowse(iri) {
    const here = location.pathname + location.search;
    const fresh = state.rendered === here;
    state.rendered = null;
    if (!fresh || !iri) loadTree(iri, fresh);
    else { treeFor = iri; markTree(iri); }
    if (state.concept && state.concept.iri === iri && state.concept.lang === state.lang) return;
    delete document.body.dataset.concept;
    const box = $("concept");
    try {
      let title;
      if (fresh) {
        title = document.title;
      } else {
        box.setAttribute("aria-busy", "true");
        const card = await getJson("/api/card" + (iri ? "?iri=" + encodeURIComponent(iri) + langParam()
          : (state.lang ? "?lang=" + encodeURIComponent(state.lang) : "")));
        if (location.pathname + location.search !== here) return;
        box.innerHTML = card.html;  // rendered and escaped by the server
        box.removeAttribute("aria-busy");
        title = iri ? `${card.title} · kg` : card.title;
        document.title = title;
      }
      state.concept = { iri, lang: state.lang };
      if (!iri) {
        $("browse-graph").replaceChildren();
        document.body.dataset.concept = "top";
        return;
      }
      if (!document.getElementById("broader") && !document.getElementById("narrower")
          && !document.getElementById("relations") && !document.getElementById("chain")) {
        $("browse-graph").replaceChildren();
      } else {
        const hood = await getJson("/api/node?iri=" + encodeURIComponent(iri) + langParam());
        drawGraph($("browse-graph"), hood, { center: iri, label: "Neighbourhood",
          caption: hood.truncated ? `Showing ${hood.edges.length} of ${hood.total} links.` : "Direct neighbours. Click a node to open it." });
      }
      document.body.dataset.concept = iri;
    } catch (error) {
      state.concept = null;
      box.removeAttribute("aria-busy");
      box.replaceChildren(el("p", { class: "status error", text: error.message }));
      document.body.dataset.concept = "error";
    }
  }

  // The alphabetical index, one letter at a time, by the chosen language's labels.
  async function showIndex(letter) {
    const here = location.pathname + location.search;
    const fresh = state.rendered === here;
    state.rendered = null;
    state.concept = null;
    if (!$("tree").children.length) loadTree("", false);
    if (!fresh) {
      const page = await getJson("/az?letter=" + encodeURIComponent(letter) + langParam());
      if (location.pathname + location.search !== here) return;
      $("concept").innerHTML = page.html;  // rendered and escaped by the server
      document.title = `${page.title} · kg`;
    }
    $("browse-graph").replaceChildren();
    document.body.dataset.concept = "az";
  }

  // The search box: a combobox whose options come from /api/search as the user types.
  const search = $("search"), results = $("search-results");
  let searchTimer = 0, active = -1;
  function setActive(index) {
    const options = [...results.children];
    active = options.length ? (index + options.length) % options.length : -1;
    options.forEach((o, i) => o.setAttribute("aria-selected", String(i === active)));
    if (active >= 0) {
      search.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    } else search.removeAttribute("aria-activedescendant");
  }
  function closeResults() {
    results.hidden = true;
    search.setAttribute("aria-expanded", "false");
    search.removeAttribute("aria-activedescendant");
  }
  function pick(option) {
    closeResults();
    navigate(conceptUrl(option.dataset.iri));
  }
  search.addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(runSearch, 120);
  });
  async function runSearch() {
    const text = search.value.trim();
    const seq = ++state.searchSeq;
    if (!text) { results.replaceChildren(); closeResults(); return; }
    const found = await getJson("/api/search?q=" + encodeURIComponent(text) + langParam());
    if (seq !== state.searchSeq) return;
    results.replaceChildren(...found.results.map((hit, i) => {
      const option = el("li", { role: "option", id: "hit-" + i, "aria-selected": "false" },
        hit.label, hit.matched || hit.broader ? el("small", { text:
          [hit.matched && `matched “${hit.matched}”`, hit.broader && `in ${hit.broader}`].filter(Boolean).join(" · ") }) : null);
      option.dataset.iri = hit.iri;
      option.addEventListener("mousedown", (event) => { event.preventDefault(); pick(option); });
      return option;
    }));
    if (!found.results.length) results.append(el("li", { class: "more", text: "No label matches." }));
    results.hidden = false;
    search.setAttribute("aria-expanded", "true");
    setActive(found.results.length ? 0 : -1);
    document.body.dataset.searched = String(found.results.length);
  }
  search.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (results.hidden) runSearch(); else setActive(active + (event.key === "ArrowDown" ? 1 : -1));
    } else if (event.key === "Enter") {
      event.preventDefault();
      const option = results.children[active];
      if (!results.hidden && option && option.dataset.iri) pick(option);
    } else if (event.key === "Escape") closeResults();
  });
  search.addEventListener("blur", () => setTimeout(closeResults, 150));

  // The hierarchy: a tree view loaded level by level, opened on the selected concept. The
  // server renders the same markup for the first view; clicks are handled here, for both.
  function treeItem(item, level) {
    const li = el("li", { role: "treeitem", "aria-level": level, tabindex: "-1",
      "aria-expanded": item.children ? "false" : null, "aria-selected": "false" });
    li.dataset.iri = item.iri;
    li.append(el("div", { class: "ti" }, el("span", { class: "twisty", "aria-hidden": "true",
      text: item.children ? "▸" : "·" }), el("a", { href: conceptUrl(item.iri), tabindex: "-1",
      "data-nav": true, text: item.label }),
    item.children ? el("span", { class: "meta", text: ` (${item.children})` }) : null));
    return li;
  }
  $("tree").addEventListener("click", (event) => {
    const li = event.target.closest('[role="treeitem"]');
    if (!li) return;
    if (event.target.classList.contains("twisty")) { event.preventDefault(); toggle(li); }
    else if (!event.target.closest("a")) navigate(conceptUrl(li.dataset.iri));
  });

  function fillGroup(parent, block, level) {
    const group = el("ul", { role: "group" });
    for (const item of block.items) group.append(treeItem(item, level));
    if (block.total > block.items.length) {
      group.append(el("li", { class: "more", role: "none", text: `… ${block.total - block.items.length} more (use the search box)` }));
    }
    return group;
  }

  async function toggle(li, open) {
    const expanded = li.getAttribute("aria-expanded");
    if (expanded === null) return;
    const want = open === undefined ? expanded !== "true" : open;
    let group = li.querySelector(":scope > ul");
    if (want && !group) {  // load the children first, so "expanded" always has them
      const data = await getJson("/api/tree?children=" + encodeURIComponent(li.dataset.iri) + langParam());
      group = fillGroup(li, data.children[li.dataset.iri], Number(li.getAttribute("aria-level")) + 1);
      li.append(group);
    }
    li.setAttribute("aria-expanded", String(want));
    li.querySelector(".twisty").textContent = want ? "▾" : "▸";
    if (group) group.hidden = !want;
  }

  // Scroll the tree panel (never the window) so the selected row shows.
  function scrollTree(li) {
    const box = $("tree"), row = li.firstElementChild || li;
    const top = row.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop;
    if (top < box.scrollTop || top + row.offsetHeight > box.scrollTop + box.clientHeight) {
      box.scrollTop = Math.max(0, top - box.clientHeight / 3);
    }
  }

  function markTree(iri) {
    const tree = $("tree");
    const selected = iri && [...tree.querySelectorAll('[role="treeitem"]')].find((li) => li.dataset.iri === iri);
    for (const li of tree.querySelectorAll('[role="treeitem"]')) {
      li.setAttribute("aria-selected", String(li === selected));
      li.tabIndex = -1;
    }
    const focusable = selected || tree.querySelector('[role="treeitem"]');
    if (focusable) focusable.tabIndex = 0;
    if (selected) scrollTree(selected);
    document.body.dataset.tree = iri || "roots";
    return focusable;
  }

  let treeFor = null;
  async function loadTree(iri, keep) {
    if (treeFor === (iri || "")) return;
    treeFor = iri || "";
    if (keep && $("tree").children.length) { markTree(iri); return; }
    const data = await getJson("/api/tree" + (iri ? "?open=" + encodeURIComponent(iri) + langParam()
      : (state.lang ? "?lang=" + encodeURIComponent(state.lang) : "")));
    if (treeFor !== (iri || "")) return;
    const tree = $("tree");
    const hadFocus = tree.contains(document.activeElement);
    tree.replaceChildren(...fillGroup(null, data.roots, 1).children);
    let scope = tree;
    for (const node of data.path.slice(0, -1)) {
      const li = [...scope.children].find((c) => c.dataset.iri === node);
      if (!li) break;
      li.setAttribute("aria-expanded", "true");
      li.querySelector(".twisty").textContent = "▾";
      const group = fillGroup(li, data.children[node], Number(li.getAttribute("aria-level")) + 1);
      li.append(group);
      scope = group;
    }
    const focusable = markTree(iri);
    if (hadFocus && focusable) focusable.focus({ preventScroll: true });
  }

  function visibleItems() {
    return [...$("tree").querySelectorAll('[role="treeitem"]')].filter((li) => li.offsetParent !== null);
  }
  function focusItem(li) {
    if (!li) return;
    for (const other of $("tree").querySelectorAll('[role="treeitem"]')) other.tabIndex = -1;
    li.tabIndex = 0;
    li.focus({ preventScroll: true });
    scrollTree(li);
  }
  $("tree").addEventListener("keydown", async (event) => {
    const li = event.target.closest('[role="treeitem"]');
    if (!li) return;
    const items = visibleItems();
    const at = items.indexOf(li);
    const key = event.key;
    if (key === "ArrowDown") focusItem(items[at + 1]);
    else if (key === "ArrowUp") focusItem(items[at - 1]);
    else if (key === "Home") focusItem(items[0]);
    else if (key === "End") focusItem(items[items.length - 1]);
    else if (key === "ArrowRight") {
      if (li.getAttribute("aria-expanded") === "false") await toggle(li, true);
      else if (li.getAttribute("aria-expanded") === "true") focusItem(li.querySelector('[role="treeitem"]'));
    } else if (key === "ArrowLeft") {
      if (li.getAttribute("aria-expanded") === "true") await toggle(li, false);
      else focusItem(li.parentElement.closest('[role="treeitem"]'));
    } else if (key === "Enter" || key === " ") navigate(conceptUrl(li.dataset.iri));
    else return;
    event.preventDefault();
  });

  // ------------------------------------------------------------------ SPARQL
  const EXAMPLES = [
    ["Concepts and labels", "SELECT ?concept ?label WHERE {\n  ?concept a skos:Concept ;\n           skos:prefLabel ?label .\n}\nORDER BY ?label\nLIMIT 50"],
    ["Top concepts", "SELECT ?top ?label (COUNT(?child) AS ?children) WHERE {\n  ?top a skos:Concept .\n  FILTER NOT EXISTS { ?top skos:broader ?up }\n  OPTIONAL { ?top skos:prefLabel ?label }\n  OPTIONAL { ?child skos:broader ?top }\n}\nGROUP BY ?top ?label\nORDER BY DESC(?children)\nLIMIT 50"],
    ["Broader chains", "SELECT ?concept ?ancestor WHERE {\n  ?concept skos:broader+ ?ancestor .\n}\nLIMIT 50"],
    ["Classes by size", "SELECT ?class (COUNT(?s) AS ?members) WHERE {\n  ?s a ?class .\n}\nGROUP BY ?class\nORDER BY DESC(?members)\nLIMIT 25"],
    ["Properties by use", "SELECT ?property (COUNT(*) AS ?triples) WHERE {\n  ?s ?property ?o .\n}\nGROUP BY ?property\nORDER BY DESC(?triples)\nLIMIT 25"],
    ["Definitions (CONSTRUCT)", "CONSTRUCT { ?c skos:definition ?d } WHERE {\n  ?c skos:definition ?d .\n}\nLIMIT 20"],
  ];
  const KEYWORDS = new Set(("select construct describe ask where from named prefix base distinct reduced " +
    "limit offset order by asc desc group having optional filter union minus graph bind values as " +
    "not exists in a count sum min max avg sample group_concat separator str lang langmatches " +
    "datatype bound iri uri bnode regex replace contains strstarts strends lcase ucase strlen " +
    "concat coalesce if true false isiri isuri isblank isliteral service undef").split(" "));
  const TOKEN = /(#[^\n]*)|("""[\s\S]*?"""|'''[\s\S]*?'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')|(<[^<>"{}|^`\\\s]*>)|([?$][\w]+)|([A-Za-z][\w.-]*)?:([\w.-]*)|(\b\d+(?:\.\d+)?\b)|([A-Za-z_]+)/g;
  const KINDS = ["cmt", "str", "iri", "var", "pn", null, "num", "kw"];

  function highlightSparql(text) {
    const out = document.createDocumentFragment();
    let last = 0;
    for (const match of text.matchAll(TOKEN)) {
      if (match.index > last) out.append(text.slice(last, match.index));
      let kind = null;
      for (let g = 1; g <= 8; g++) {
        if (match[g] !== undefined) { kind = KINDS[g - 1]; break; }
      }
      if (match[5] !== undefined || (match[6] !== undefined && kind === null)) kind = "pn";
      if (kind === "kw" && !KEYWORDS.has(match[0].toLowerCase())) kind = null;
      out.append(kind ? el("span", { class: "tok-" + kind, text: match[0] }) : match[0]);
      last = match.index + match[0].length;
    }
    out.append(text.slice(last) + "\n");
    return out;
  }

  const editor = $("sparql-text");
  function syncEditor() {
    $("highlight").replaceChildren(highlightSparql(editor.value));
    $("highlight").scrollTop = editor.scrollTop;
    const q = encodeURIComponent(editor.value);
    $("dl-csv").href = "/sparql?format=csv&query=" + q;
    $("dl-json").href = "/sparql?format=json&query=" + q;
  }
  editor.addEventListener("input", syncEditor);
  editor.addEventListener("scroll", () => { $("highlight").scrollTop = editor.scrollTop; });
  editor.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      runQuery();
    }
  });
  $("run").addEventListener("click", runQuery);
  $("examples").append(...EXAMPLES.map(([name, text]) => el("button", { type: "button",
    onclick: () => { editor.value = text; syncEditor(); editor.focus(); } }, name)));

  function showSparql(query) {
    document.title = "SPARQL · kg";
    if (query !== null) editor.value = query;
    else if (!editor.value) editor.value = EXAMPLES[0][1];
    syncEditor();
  }

  function cell(term) {
    if (!term) return el("td");
    if (term.type === "uri") return el("td", {}, conceptLink(term.value, shorten(term.value)));
    const extra = term["xml:lang"] ? `@${term["xml:lang"]}` : "";
    return el("td", { text: term.value + extra });
  }

  function shorten(iri) {
    const prefixes = (state.info && state.info.prefixes) || {};
    let best = null;
    for (const [prefix, ns] of Object.entries(prefixes)) {
      if (iri.startsWith(ns) && (!best || ns.length > best[1].length)) best = [prefix, ns];
    }
    return best ? `${best[0]}:${iri.slice(best[1].length)}` : iri;
  }

  async function runQuery() {
    const status = $("sparql-status"), out = $("sparql-results");
    delete document.body.dataset.rows;
    setStatus(status, "Running…");
    const started = performance.now();
    try {
      const response = await fetch("/sparql", { method: "POST", body: new URLSearchParams({ query: editor.value }),
        headers: { Accept: "application/sparql-results+json, text/turtle;q=0.9" } });
      const text = await response.text();
      if (!response.ok) throw new Error(text.trim() || `${response.status}`);
      const ms = Math.round(performance.now() - started);
      const truncated = response.headers.get("X-KG-Truncated");
      const type = response.headers.get("Content-Type") || "";
      if (type.includes("json")) {
        const data = JSON.parse(text);
        if ("boolean" in data) {
          out.replaceChildren(el("p", { text: `Answer: ${data.boolean}` }));
          document.body.dataset.rows = "1";
          setStatus(status, `ASK answered in ${ms} ms.`);
          return;
        }
        const vars = data.head.vars;
        const rows = data.results.bindings;
        out.replaceChildren(el("table", { id: "results-table" },
          el("thead", {}, el("tr", {}, vars.map((v) => el("th", { scope: "col", text: v })))),
          el("tbody", {}, rows.map((row) => el("tr", {}, vars.map((v) => cell(row[v])))))));
        document.body.dataset.rows = String(rows.length);
        setStatus(status, `${rows.length} row${rows.length === 1 ? "" : "s"} in ${ms} ms` +
          (truncated ? ` (cut at the server's limit, ${truncated}).` : "."));
      } else {
        out.replaceChildren(el("pre", { class: "rdf", text }));
        document.body.dataset.rows = response.headers.get("X-KG-Rows") || "0";
        setStatus(status, `${response.headers.get("X-KG-Rows")} triples in ${ms} ms` + (truncated ? " (cut at the server's limit)." : "."));
      }
    } catch (error) {
      out.replaceChildren();
      setStatus(status, error.message, true);
      document.body.dataset.rows = "error";
    }
  }

  // ------------------------------------------------------------------ languages
  // The switch lists the graph's label languages; the server renders it on browse pages,
  // the script adds it elsewhere. Choosing one puts ?lang= in the address.
  function languageSwitch(info) {
    let select = $("lang");
    if (!select && info.languages.length > 1) {
      select = el("select", { id: "lang", name: "lang" },
        info.languages.map((tag) => el("option", { value: tag, text: tag })));
      $("graph-info").after(el("form", { id: "lang-form" }, el("label", { for: "lang", text: "Labels" }), select));
    }
    if (!select) return;
    select.value = state.lang || info.lang;
    select.addEventListener("change", () => {
      const params = new URLSearchParams(location.search);
      if (select.value === info.lang) params.delete("lang"); else params.set("lang", select.value);
      const query = params.toString();
      navigate(location.pathname + (query ? "?" + query : ""));
    });
    $("lang-form").addEventListener("submit", (event) => event.preventDefault());
  }

  // ------------------------------------------------------------------ start
  async function start() {
    route();
    try {
      state.info = await getJson("/api/info");
      $("graph-info").textContent = `${state.info.title} · ${state.info.triples.toLocaleString("en")} triples`;
      $("prefix-list").textContent = Object.entries(state.info.prefixes)
        .map(([p, ns]) => `PREFIX ${p}: <${ns}>`).join("\n");
      languageSwitch(state.info);
    } catch (error) {
      $("graph-info").textContent = "The server did not answer: " + error.message;
    }
    document.body.dataset.ready = String(Math.round(performance.now()));
  }
  window.kgApp = { navigate, state };
  start();
})();
