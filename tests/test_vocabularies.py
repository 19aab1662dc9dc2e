"""Published-vocabulary shapes the view and the linker must read cleanly (issue 13).

Three hand-written fixtures reproduce what real thesauri, RDFS vocabularies and OBO
ontologies do: deprecated terms with replacements, notes on blank nodes, HTML and Markdown
in literals, raw IRIs in prose, labels in several languages and in SKOS-XL, unlabelled
nodes, camelCase labels, enumeration classes with members, long child lists.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg.config import Settings
from kg.errors import ConfigError
from kg.qa.linking import LabelMatcher
from kg.rdf.literals import plain_text
from kg.rdf.load import read_raw_triples
from kg.view.graph_view import GraphView, view_from_triples
from kg.view.labels import readable_local_name, split_identifier, strip_qualifier
from kg.workspace import Workspace

DATA = Path(__file__).parent / "data"
TH = "http://example.org/stars/"
VOC = "http://example.org/voc/"
Q = "http://example.org/quality/"
RAW_IRI = re.compile(r"https?://|urn:|_:")
HTML = re.compile(r"</?[a-zA-Z][^>]*>|&[a-z]+;")


def view_of(name: str, lang: str = "en") -> GraphView:
    return view_from_triples(read_raw_triples([DATA / name]), lang)


@pytest.fixture(scope="module")
def thesaurus() -> GraphView:
    return view_of("vocab_thesaurus.ttl")


@pytest.fixture(scope="module")
def schema() -> GraphView:
    return view_of("vocab_schema.ttl")


@pytest.fixture(scope="module")
def obo() -> GraphView:
    return view_of("vocab_obo.ttl")


# ---------------------------------------------------------------- literal text
@pytest.mark.parametrize(
    ("raw", "plain"),
    [
        ('A <a href="http://x.org/y">financial service</a>, such as <code>Loan</code>.',
         "A financial service, such as Loan."),
        ("line one<br/>line two &amp; more", "line one line two & more"),
        ("&lt;b&gt;escaped&lt;/b&gt; markup", "escaped markup"),
        ("A **bold** and *slanted* `code` word", "A bold and slanted code word"),
        ("See [the catalogue](http://example.org/c) and ![img](x.png)", "See the catalogue and img"),
        ("# Heading\n- item one\n- item two", "Heading item one item two"),
        ("See instead http://example.org/1410 (RR Lyrae variable stars).",
         "See instead RR Lyrae variable stars."),
        ("if magnitude(q1) < magnitude(q2) then a_b holds", "if magnitude(q1) < magnitude(q2) then a_b holds"),
        ("editorial code <D> and <billions> of words", "editorial code <D> and <billions> of words"),
        ("<p>One</p><p>Two <em>three</em></p>", "One Two three"),
        ("plain text, untouched", "plain text, untouched"),
    ],
)
def test_plain_text_renders_markup(raw: str, plain: str) -> None:
    assert plain_text(raw) == plain


def test_plain_text_names_known_iris() -> None:
    names = {"http://example.org/4": "RR Lyrae variable stars"}
    assert plain_text("Use http://example.org/4 instead.", names.get) == (
        "Use RR Lyrae variable stars instead."
    )
    assert plain_text("Moved to http://example.org/unknown.", names.get) == "Moved to."


def test_identifier_names() -> None:
    assert split_identifier("FinancialProduct") == "financial product"
    assert split_identifier("has_part") == "has part"
    assert split_identifier("URLPattern") == "URL pattern"
    assert split_identifier("already words") == ""
    assert readable_local_name("http://x.org/voc/PaymentCard") == "payment card"
    assert readable_local_name("http://purl.obolibrary.org/obo/PATO_0000001") == ""
    assert readable_local_name("http://x.org/c/0b5e6c1a-2d3f-4e5a-9b8c-7d6e5f4a3b2c") == ""
    assert readable_local_name("http://x.org/concept/15028") == ""
    assert strip_qualifier("seed (product)") == "seed"


# ---------------------------------------------------------------- the view
def test_no_blank_node_and_no_raw_iri_anywhere(thesaurus, schema, obo) -> None:  # noqa: ANN001
    for view in (thesaurus, schema, obo):
        for n, data in view.nx.nodes(data=True):
            assert not n.startswith("_:")
            assert not RAW_IRI.search(data["label"]), data["label"]
            for text in data["descriptions"]:
                assert not RAW_IRI.search(text), text
                assert not HTML.search(text), text


def test_notes_are_kept_but_never_descriptions(thesaurus) -> None:  # noqa: ANN001
    stars = thesaurus.node(TH + "1")
    assert stars["descriptions"] == [
        "Luminous spheres of plasma held together by their own gravity."
    ]
    assert ("http://www.w3.org/2004/02/skos/core#editorialNote",
            "Checked against the printed edition in 2019.") in stars["literals"]
    every_text = " ".join(
        " ".join([d["label"], *d["descriptions"]]) for _, d in thesaurus.nx.nodes(data=True)
    )
    assert "etymological" not in every_text.lower()
    assert "Label changed" not in every_text


def test_html_and_markdown_definitions_read_as_text(thesaurus, schema) -> None:  # noqa: ANN001
    assert thesaurus.node(TH + "2")["description"].endswith("See also pulsating stars.")
    assert thesaurus.node(TH + "3")["description"] == (
        "Variable stars that expand and contract in a regular cycle; see the catalogue."
    )
    assert schema.node(VOC + "FinancialProduct")["description"] == (
        "A product provided to consumers by a bank or another financial service, "
        "such as a LoanOrCredit."
    )


def test_deprecated_terms_are_left_out_with_their_replacement(thesaurus, obo) -> None:  # noqa: ANN001
    assert TH + "5" not in thesaurus.nx and TH + "6" not in thesaurus.nx
    assert thesaurus.replacement(TH + "5") == TH + "4"
    assert thesaurus.retired[TH + "5"][0] == "RR Lyrae stars"
    for iri in ("Q_0000005", "Q_0000006", "Q_0000007"):
        assert Q + iri not in obo.nx  # flagged, stub with only a replacement, "obsolete" label
    assert obo.replacement(Q + "Q_0000005") == Q + "Q_0000003"
    assert obo.retired[Q + "Q_0000005"][0] == "bigness value"


def test_restrictions_are_not_hierarchy_edges(obo) -> None:  # noqa: ANN001
    assert obo.broader(Q + "Q_0000002") == [Q + "Q_0000001"]
    assert all(not u.startswith("_:") and not v.startswith("_:") for u, v in obo.nx.edges())


def test_obo_definitions_beat_subset_comments(obo) -> None:  # noqa: ANN001
    quality = obo.node(Q + "Q_0000001")
    assert quality["description"] == "A dependent entity that inheres in a bearer."
    assert obo.node(Q + "Q_0000002")["alt_labels"] == ["magnitude of extent"]


def test_labels_follow_lang_and_keep_every_language_for_linking(thesaurus) -> None:  # noqa: ANN001
    node = thesaurus.node(TH + "2")
    assert node["label"] == "variable stars"
    assert set(node["names"]) == {"étoiles variables", "veränderliche Sterne"}
    french = view_of("vocab_thesaurus.ttl", "fr")
    assert french.node(TH + "2")["label"] == "étoiles variables"
    assert "variable stars" in french.node(TH + "2")["names"]
    assert french.node(TH + "4")["label"] == "RR Lyrae variable stars"  # no French: English


def test_skosxl_and_unlabelled_nodes(thesaurus, schema) -> None:  # noqa: ANN001
    assert thesaurus.node(TH + "7")["label"] == "neutron stars"
    assert thesaurus.node(TH + "7")["alt_labels"] == ["neutron star"]
    assert thesaurus.node(TH + "8")["label"] == "unnamed concept 8"
    assert thesaurus.label(TH + "8") == "unnamed concept 8"
    assert TH + "8" not in thesaurus.labels  # not a name anyone types
    assert schema.node(VOC + "PaymentCard")["label"] == "payment card"
    assert schema.label(VOC + "PaymentCard") == "payment card"


def test_snapshot_round_trip_keeps_names_and_retired(thesaurus) -> None:  # noqa: ANN001
    again = GraphView.from_data(thesaurus.to_data())
    assert again.node(TH + "2")["names"] == thesaurus.node(TH + "2")["names"]
    assert again.retired == thesaurus.retired


# ---------------------------------------------------------------- linking
def found(view: GraphView, text: str) -> list[tuple[str, str]]:
    return [(m.iri, m.replaces) for m in LabelMatcher(view).find(text)]


def test_longer_and_exact_names_win(schema) -> None:  # noqa: ANN001
    assert found(schema, "what is a financial product?") == [(VOC + "FinancialProduct", "")]
    assert found(schema, "what kinds of organize action are there?") == [
        (VOC + "OrganizeAction", "")
    ]
    assert found(schema, "Define DayOfWeek") == [(VOC + "DayOfWeek", "")]
    assert found(schema, "what is a payment card") == [(VOC + "PaymentCard", "")]


def test_individuals_are_linkable(schema) -> None:  # noqa: ANN001
    assert found(schema, "what is Monday?") == [(VOC + "Monday", "")]


def test_other_languages_find_the_concept(thesaurus) -> None:  # noqa: ANN001
    assert found(thesaurus, "que sont les étoiles variables ?") == [(TH + "2", "")]
    assert found(thesaurus, "was sind veränderliche Sterne") == [(TH + "2", "")]


def test_concept_beats_collection_of_the_same_name(thesaurus) -> None:  # noqa: ANN001
    assert found(thesaurus, "what are stars?") == [(TH + "1", "")]


def test_deprecated_names_lead_to_the_replacement(thesaurus, obo) -> None:  # noqa: ANN001
    assert found(thesaurus, "what are RR Lyrae stars?") == [(TH + "4", TH + "5")]
    # retired with nothing replacing it: never linked (only the live "variables" is)
    assert found(thesaurus, "what are cluster variables?") == [(TH + "2", "")]
    assert found(obo, "what is a bigness value?") == [(Q + "Q_0000003", Q + "Q_0000005")]


def test_matcher_round_trip(thesaurus) -> None:  # noqa: ANN001
    matcher = LabelMatcher(thesaurus)
    again = LabelMatcher.from_data(thesaurus, matcher.to_data())
    assert again.find("what are RR Lyrae stars") == matcher.find("what are RR Lyrae stars")


# ---------------------------------------------------------------- --lang setting
def test_lang_setting() -> None:
    assert Settings.from_env({}).lang == "en"
    assert Settings.from_env({"KG_LANG": "FR"}).lang == "fr"
    assert Settings.from_env({}, lang="pt-BR").lang == "pt-br"
    with pytest.raises(ConfigError, match="language tag"):
        Settings.from_env({}, lang="not a tag")


def test_lang_keys_the_caches_apart(tmp_path: Path) -> None:
    graph = (DATA / "vocab_thesaurus.ttl",)
    en = Workspace(Settings(graph_paths=graph, cache_dir=tmp_path))
    fr = Workspace(Settings(graph_paths=graph, cache_dir=tmp_path, lang="fr"))
    assert en.view_key != fr.view_key
    assert en.view.node(TH + "1")["label"] == "stars"
    assert fr.view.node(TH + "1")["label"] == "étoiles"
    again = Workspace(Settings(graph_paths=graph, cache_dir=tmp_path, lang="fr"))
    assert again.view.node(TH + "1")["label"] == "étoiles"
    assert again.view_source == "snapshot"


# ---------------------------------------------------------------- answers (real model)
@pytest.fixture(scope="module")
def ask_thesaurus(session_cache: Path):  # noqa: ANN201
    ws = Workspace(Settings(graph_paths=(DATA / "vocab_thesaurus.ttl",), cache_dir=session_cache))
    return ws.engine.ask


@pytest.fixture(scope="module")
def ask_schema(session_cache: Path):  # noqa: ANN201
    ws = Workspace(Settings(graph_paths=(DATA / "vocab_schema.ttl",), cache_dir=session_cache))
    return ws.engine.ask


def assert_clean(answer) -> None:  # noqa: ANN001
    """No raw IRI, no HTML, no blank node in what a person reads or in the facts."""
    assert not RAW_IRI.search(answer.text), answer.text
    assert not HTML.search(answer.text), answer.text
    for f in answer.facts:
        assert not f.subject.startswith("_:") and not f.object.startswith("_:")
    for e in answer.entities:
        assert not RAW_IRI.search(e.label)


def test_question_naming_a_deprecated_term_gets_its_replacement(ask_thesaurus) -> None:  # noqa: ANN001
    a = ask_thesaurus("What are RR Lyrae stars?")
    assert a.text.splitlines()[0] == (
        "RR Lyrae stars is deprecated in the graph; it is replaced by RR Lyrae variable stars."
    )
    assert "Old, low-mass pulsating stars" in a.text
    assert a.entities[0].iri == TH + "4"
    assert TH + "5" not in {e.iri for e in a.entities}
    assert_clean(a)


def test_long_child_list_names_every_kind_or_counts_the_rest(ask_thesaurus) -> None:  # noqa: ANN001
    a = ask_thesaurus("What are the kinds of spectral classes?")
    listed = next(line for line in a.text.splitlines()
                  if "narrower concept" in line or "subclass" in line)
    view = view_of("vocab_thesaurus.ttl")
    named = [n for n in range(21, 34) if view.label(f"{TH}{n}") in listed]
    more = re.search(r"and (\d+) more", listed)
    assert len(named) + (int(more.group(1)) if more else 0) == 13, listed
    assert_clean(a)


def test_question_in_another_language(ask_thesaurus) -> None:  # noqa: ANN001
    a = ask_thesaurus("Qu'est-ce que les étoiles variables ?")
    assert a.entities[0].iri == TH + "2"
    assert a.text.startswith("Variable stars: Stars whose brightness")
    assert_clean(a)


def test_notes_never_spoken(ask_thesaurus) -> None:  # noqa: ANN001
    for q in ("What are stars?", "Tell me about the history of stars", "Who edited stars?"):
        a = ask_thesaurus(q)
        assert "etymological" not in a.text.lower() and "Checked against" not in a.text
        assert_clean(a)


def test_exact_class_name_is_found(ask_schema) -> None:  # noqa: ANN001
    a = ask_schema("Define DayOfWeek")
    assert a.entities[0].iri == VOC + "DayOfWeek"
    assert a.text.startswith("DayOfWeek: The day of the week, for example in opening hours.")
    assert_clean(a)


def test_multi_word_name_is_not_its_last_word(ask_schema) -> None:  # noqa: ANN001
    a = ask_schema("What kinds of organize action are there?")
    listed = next(line for line in a.text.splitlines()
                  if "narrower concept" in line or "subclass" in line)
    assert "ApplyAction" in listed and "PlanAction" in listed
    assert "OrganizeAction" in listed and "MoveAction" not in listed
    b = ask_schema("What is a financial product?")
    assert b.entities[0].iri == VOC + "FinancialProduct"
    assert b.text.startswith("FinancialProduct: A product provided to consumers by a bank or "
                             "another financial service, such as a LoanOrCredit.")
    assert_clean(a)
    assert_clean(b)


def test_individual_is_found_by_name(ask_schema) -> None:  # noqa: ANN001
    a = ask_schema("What is Monday?")
    assert a.entities[0].iri == VOC + "Monday"
    assert "between Sunday and Tuesday" in a.text.splitlines()[0]
