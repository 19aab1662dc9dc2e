"""Server-rendered pages: a concept, a concept scheme, the top level and the A–Z index.

Each page is complete without script (title, definition, labels in every language,
links to the broader, narrower and related concepts, mappings, notes, sources, the
concept as JSON-LD), so search engines, link previews, ``curl`` and people who block
script read it; the app's script adds search, the live tree and the drawing on top.
Every text from the graph is escaped here, once, by :func:`esc`.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any
from urllib.parse import quote, urlencode

from rdflib import Graph

from kg.rdf.describe import describe_resource
from kg.rdf.terms import NOTE_PREDICATES
from kg.server.taxonomy import COLLECTIONS, MODEL, Structure
from kg.view.concepts import ConceptCard, describe
from kg.view.graph_view import GraphView
from kg.view.languages import NOTE_KINDS, TermTexts, term_texts

__all__ = ["PageContext", "az_html", "concept_html", "esc", "link_header", "top_html"]

#: Notes are shown under "Notes" (those for readers) or not at all (those for editors).
_NOT_VALUES = {str(p) for p in NOTE_PREDICATES} | {str(p) for p in NOTE_KINDS}
#: Rows a list on a page shows before saying how many more there are.
_LIST_CAP = 200


def esc(text: object) -> str:
    """Text escaped for HTML content and attribute values."""
    return escape(str(text), quote=True)


@dataclass
class PageContext:
    """What every page needs: the view, the graph, the chosen language and its labels."""

    view: GraphView
    graph: Graph
    lang: str
    default_lang: str
    label: Callable[[str], str]
    structure: Structure
    languages: Sequence[str]

    def url(self, path: str, **params: str) -> str:
        """A same-site URL keeping the chosen language."""
        if self.lang != self.default_lang:
            params["lang"] = self.lang
        query = urlencode(params, quote_via=quote, safe="")
        return f"{path}?{query}" if query else path

    def concept_url(self, iri: str) -> str:
        return self.url("/concept", iri=iri)

    def link(self, iri: str, text: str | None = None) -> str:
        """A link to a concept page (or to the resource, when the graph lacks it)."""
        shown = text if text is not None else self.label(iri)
        if iri in self.view.nx or self.structure.is_group(iri):
            return (f'<a href="{esc(self.concept_url(iri))}" data-nav title="{esc(iri)}">'
                    f"{esc(shown)}</a>")
        return external(iri, shown)


def external(iri: str, text: str) -> str:
    """A link out of the app (http(s) only; anything else is shown as text)."""
    if iri.startswith(("http://", "https://")):
        return (f'<a href="{esc(iri)}" rel="noopener noreferrer external" '
                f'title="{esc(iri)}">{esc(text)}</a>')
    return f"<code>{esc(text)}</code>"


def _section(title: str, body: str, ident: str = "") -> str:
    if not body:
        return ""
    attr = f' id="{ident}"' if ident else ""
    return f"<section{attr}><h3>{esc(title)}</h3>{body}</section>"


def _chips(ctx: PageContext, iris: Sequence[str]) -> str:
    if not iris:
        return ""
    shown = "".join(ctx.link(i) for i in iris[:_LIST_CAP])
    more = (f'<span class="meta"> … and {len(iris) - _LIST_CAP} more</span>'
            if len(iris) > _LIST_CAP else "")
    return f'<p class="chips">{shown}{more}</p>'


def _list(items: Iterable[str]) -> str:
    rows = [f"<li>{item}</li>" for item in items]
    if not rows:
        return ""
    more = len(rows) - _LIST_CAP
    tail = f'<li class="meta">… and {more} more</li>' if more > 0 else ""
    return "<ul>" + "".join(rows[:_LIST_CAP]) + tail + "</ul>"


def _lang_name(tag: str) -> str:
    return tag or "no language"


def _labels_table(texts: TermTexts) -> str:
    """Every label by language: preferred and alternative, one row per language."""
    langs = texts.languages()
    if not langs:
        return ""
    rows = []
    for tag in langs:
        pref = "; ".join(texts.pref.get(tag, []))
        alt = "; ".join(texts.alt.get(tag, []))
        attr = f' lang="{esc(tag)}"' if tag else ""
        rows.append(f'<tr><th scope="row">{esc(_lang_name(tag))}</th>'
                    f"<td{attr}>{esc(pref)}</td><td{attr}>{esc(alt)}</td></tr>")
    return ('<table class="labels"><thead><tr><th scope="col">Language</th>'
            '<th scope="col">Preferred</th><th scope="col">Alternative</th></tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>")


def _definition(ctx: PageContext, card: ConceptCard, texts: TermTexts) -> str:
    """The definition in the chosen language, else the view's (marked with its language)."""
    for tag in (ctx.lang, ctx.default_lang, ""):
        if texts.definitions.get(tag):
            attr = f' lang="{esc(tag)}"' if tag else ""
            return f'<p class="definition"{attr}>{esc(texts.definitions[tag][0])}</p>'
    if card.definition:
        return f'<p class="definition">{esc(card.definition)}</p>'
    return ""


def _mappings(ctx: PageContext, card: ConceptCard, texts: TermTexts) -> str:
    seen: set[tuple[str, str]] = set()
    items = []
    for predicate, target in [(x.predicate, x.iri) for x in card.external_links] + texts.mappings:
        if (predicate, target) in seen:
            continue
        seen.add((predicate, target))
        name = ctx.view.predicate_label(predicate)
        shown = ctx.label(target) if target in ctx.view.nx else target
        items.append(f"{esc(name)}: {ctx.link(target, shown)}")
    return _list(items)


def _relations(ctx: PageContext, card: ConceptCard) -> str:
    items = [f"{esc(r.predicate_label)}: " + (ctx.link(r.iri) if r.iri else esc(r.label))
             for r in card.relations_out]
    # an incoming link from a node already listed (a group and its "has member") says the
    # same thing twice
    listed = {r.iri for r in card.relations_out}
    items += [(ctx.link(r.iri) if r.iri else esc(r.label)) + f" {esc(r.predicate_label)} this"
              for r in card.relations_in if not r.iri or r.iri not in listed]
    return _list(items)


def _figures(card: ConceptCard) -> str:
    out = []
    for f in card.figures:
        values = "".join(f"<li>{esc(a.name)}: {esc(a.value)}</li>" for a in f.attributes)
        out.append(f"<div><strong>{esc(f.label)}</strong>"
                   + (f"<p>{esc(f.description)}</p>" if f.description else "")
                   + (f"<ul>{values}</ul>" if values else "") + "</div>")
    return "".join(out)


def _chain(ctx: PageContext, iri: str) -> str:
    path = ctx.structure.path(ctx.view, iri)
    if len(path) < 2:
        return ""
    links = " › ".join(ctx.link(n) for n in path if n not in (MODEL, COLLECTIONS))
    return f'<p class="meta" id="chain">{links}</p>'


def rdf_links(ctx: PageContext, iri: str) -> str:
    def one(fmt: str, name: str) -> str:
        return f'<a href="{esc(ctx.url("/concept", iri=iri, format=fmt))}">{name}</a>'

    return (f'<p class="meta">As RDF: {one("turtle", "Turtle")} · {one("jsonld", "JSON-LD")}'
            f' · {one("nt", "N-Triples")}</p>')


def concept_html(ctx: PageContext, iri: str) -> tuple[str, str]:
    """(the page title, the concept's article) for a node of the view."""
    card = describe(ctx.view, ctx.graph, iri)
    texts = term_texts(ctx.graph, iri)
    label = ctx.label(iri)
    alt = texts.alt.get(ctx.lang) or card.alt_labels
    broader = [b.iri for b in card.broader]
    narrower = [n.iri for n in card.narrower]
    notes = _list(f'<strong>{esc(kind)}</strong>'
                  + (f' <span class="meta">({esc(tag)})</span>' if tag else "")
                  + f": {esc(text)}" for kind, tag, text in texts.notes)
    sources = _list(ctx.link(s.iri, s.title) if s.iri else esc(s.title) for s in card.sources)
    values = _list(f"{esc(a.name)}: {esc(a.value)}" for a in card.attributes
                   if a.predicate not in _NOT_VALUES)
    schemes = _chips(ctx, [s for s in texts.schemes if s in ctx.structure.schemes])
    members = ""
    if iri in ctx.structure.collections:
        members = _chips(ctx, ctx.structure.children(ctx.view, iri))
    parts = [
        _chain(ctx, iri),
        f'<h2 id="concept-title">{esc(label)}</h2>',
        f'<p><code class="iri">{esc(iri)}</code></p>',
        f'<p class="meta">{esc(", ".join(card.types))}</p>' if card.types else "",
        f'<p class="meta">Also: {esc(", ".join(alt))}</p>' if alt else "",
        _definition(ctx, card, texts),
        _section("Broader", _chips(ctx, broader), "broader"),
        _section("Narrower", _chips(ctx, narrower), "narrower"),
        _section("Members", members, "members"),
        _section("Relations", _relations(ctx, card), "relations"),
        _section("Mappings", _mappings(ctx, card, texts), "mappings"),
        _section("Notes", notes, "notes"),
        _section("Labels in every language", _labels_table(texts), "labels"),
        _section("Notation", esc(", ".join(texts.notations)), "notation"),
        _section("Figures", _figures(card), "figures"),
        _section("Values", values, "values"),
        _section("Sources", sources, "sources"),
        _section("In scheme", schemes, "schemes"),
        rdf_links(ctx, iri),
    ]
    article = "".join(p for p in parts if p)
    return label, article


def group_html(ctx: PageContext, iri: str) -> tuple[str, str]:
    """(title, article) for a concept scheme or one of the tree's grouping entries."""
    label = ctx.label(iri)
    children = ctx.structure.children(ctx.view, iri)
    parts = [f'<h2 id="concept-title">{esc(label)}</h2>']
    if iri not in (MODEL, COLLECTIONS):  # a concept scheme
        texts = term_texts(ctx.graph, iri)
        parts.append(f'<p><code class="iri">{esc(iri)}</code></p>')
        for tag in (ctx.lang, ctx.default_lang, ""):
            if texts.definitions.get(tag):
                parts.append(f'<p class="definition">{esc(texts.definitions[tag][0])}</p>')
                break
        parts.append(_section("Labels in every language", _labels_table(texts), "labels"))
        heading = "Top concepts"
    elif iri == MODEL:
        parts.append('<p class="hint">Classes of the data model (the kinds of records the '
                     "graph holds), apart from its concepts.</p>")
        heading = "Classes"
    else:
        heading = "Collections"
    parts.append(_section(heading, _chips(ctx, children), "top"))
    if iri not in (MODEL, COLLECTIONS):
        parts.append(rdf_links(ctx, iri))
    return label, "".join(parts)


def top_html(ctx: PageContext, title: str) -> str:
    """The top level: schemes and their top concepts, loose top concepts, groups."""
    s = ctx.structure
    parts = [f'<h2 id="concept-title">{esc(title)}</h2>',
             f'<p class="meta"><a href="{esc(ctx.url("/az"))}" data-nav>A–Z index</a></p>']
    for scheme, tops in s.schemes.items():
        parts.append(_section(f"Top concepts of {ctx.label(scheme)}",
                              f'<p class="meta">Concept scheme: {ctx.link(scheme)}</p>'
                              + _chips(ctx, tops)))
    if s.roots:
        heading = "Other top concepts" if s.schemes else "Top concepts"
        parts.append(_section(heading, _chips(ctx, s.roots), "top"))
    if s.collections:
        parts.append(_section("Collections", _chips(ctx, s.collections), "collections"))
    if s.model:
        parts.append(_section("Model", _chips(ctx, s.model), "model"))
    return "".join(parts)


def az_html(ctx: PageContext, letter: str) -> tuple[str, str]:
    """(title, article) of the alphabetical index: one letter's concepts, by the chosen
    language's labels, and the letters that have any."""
    entries: dict[str, list[tuple[str, str]]] = {}
    for n in ctx.view.nx:
        if n.startswith("_:") or not ctx.view.is_concept(n):
            continue
        label = ctx.label(n)
        # "Éau" files under E, as an index in print does; digits and signs under "#"
        first = unicodedata.normalize("NFD", label[:1])[:1].upper()
        key = first if first.isalpha() else "#"
        entries.setdefault(key, []).append((label, n))
    letters = sorted(entries, key=lambda k: (k == "#", k))
    chosen = letter.upper()[:1] if letter else (letters[0] if letters else "")
    if chosen not in entries and letter == "#":
        chosen = "#"
    nav = " ".join(
        f'<a href="{esc(ctx.url("/az", letter=k))}" data-nav'
        + (' aria-current="page"' if k == chosen else "") + f">{esc(k)}</a>"
        for k in letters)
    rows = sorted(entries.get(chosen, []), key=lambda e: (e[0].casefold(), e[1]))
    items = "".join(f"<li>{ctx.link(n, label)}</li>" for label, n in rows)
    title = f"A–Z: {chosen}" if chosen else "A–Z"
    article = (f'<h2 id="concept-title">{esc(title)}</h2>'
               f'<nav class="letters" aria-label="Letters">{nav}</nav>'
               f'<p class="meta">{len(rows)} concepts</p><ul class="az">{items}</ul>')
    return title, article


def jsonld(graph: Graph, iri: str) -> str:
    """The concept's own triples as JSON-LD, safe inside a ``<script>`` data block."""
    doc = json.loads(describe_resource(graph, iri).serialize(format="json-ld"))
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def alternates(ctx: PageContext, iri: str) -> list[tuple[str, str]]:
    """(URL, media type) of the concept's RDF forms."""
    return [(ctx.url("/concept", iri=iri, format="turtle"), "text/turtle"),
            (ctx.url("/concept", iri=iri, format="jsonld"), "application/ld+json")]


def link_header(links: Sequence[tuple[str, str]]) -> str:
    """The ``Link`` header naming the RDF forms (URLs are percent-encoded, so ASCII)."""
    return ", ".join(f'<{url}>; rel="alternate"; type="{kind}"' for url, kind in links)


def head_html(links: Sequence[tuple[str, str]], data: str | None) -> str:
    """``<link rel=alternate>`` elements and the JSON-LD block for the page's head."""
    out = "".join(f'<link rel="alternate" type="{esc(kind)}" href="{esc(url)}">'
                  for url, kind in links)
    if data:
        out += f'<script type="application/ld+json">{data}</script>'
    return out


def tree_html(ctx: PageContext, iri: str | None, cap: int) -> str:
    """The tree's first level, opened down to ``iri``, as the script builds it."""
    view, s = ctx.view, ctx.structure
    path = s.path(view, iri) if iri and (iri in view.nx) else []

    def items(nodes: Sequence[str], level: int, depth: int) -> str:
        out = []
        shown = list(nodes[:cap])
        if depth < len(path) and path[depth] not in shown:
            shown.append(path[depth])
        for n in shown:
            count = s.count(view, n)
            opened = depth < len(path) - 1 and path[depth] == n
            expanded = f' aria-expanded="{"true" if opened else "false"}"' if count else ""
            selected = "true" if n == iri else "false"
            twisty = ("▾" if opened else "▸") if count else "·"
            meta = f'<span class="meta"> ({count})</span>' if count else ""
            inner = (f'<ul role="group">{items(s.children(view, n), level + 1, depth + 1)}</ul>'
                     if opened else "")
            out.append(
                f'<li role="treeitem" aria-level="{level}" tabindex="-1"{expanded} '
                f'aria-selected="{selected}" data-iri="{esc(n)}"><div class="ti">'
                f'<span class="twisty" aria-hidden="true">{twisty}</span>'
                f'<a href="{esc(ctx.concept_url(n))}" tabindex="-1" data-nav>'
                f"{esc(ctx.label(n))}</a>{meta}</div>{inner}</li>")
        if len(nodes) > cap:
            out.append(f'<li class="more" role="none">… {len(nodes) - cap} more '
                       "(use the search box)</li>")
        return "".join(out)

    return items(s.top(), 1, 0)


def page_kind(ctx: PageContext, iri: str) -> str:
    """"concept" for a node of the view, "group" for a scheme or grouping entry, else ""."""
    if iri in ctx.view.nx:
        return "concept"
    if ctx.structure.is_group(iri):
        return "group"
    return ""


def card_payload(ctx: PageContext, iri: str) -> dict[str, Any]:
    """What the script needs to swap in a concept without reloading: title and article."""
    kind = page_kind(ctx, iri)
    title, article = (concept_html if kind == "concept" else group_html)(ctx, iri)
    return {"iri": iri, "title": title, "html": article}
