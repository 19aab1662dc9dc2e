"""Tests for the RDF ontology in ontology/*.ttl (independent of the kg library)."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

ROOT = Path(__file__).resolve().parents[1]
ONTO = ROOT / "ontology"
AI = Namespace("https://w3id.org/aitax/id/")
AIS = Namespace("https://w3id.org/aitax/schema#")
ARTICLE = Path(__file__).resolve().parents[2] / "shared" / "article" / "article.txt"
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")
XSD_DECIMAL = URIRef("http://www.w3.org/2001/XMLSchema#decimal")

PREFIXES = """
PREFIX ai: <https://w3id.org/aitax/id/>
PREFIX ais: <https://w3id.org/aitax/schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""


def data_files() -> list[Path]:
    return sorted(p for p in ONTO.glob("*.ttl") if p.name != "shapes.ttl")


@pytest.fixture(scope="module")
def graph() -> Graph:
    g = Graph()
    for path in data_files():
        g.parse(path, format="turtle")
    return g


@pytest.fixture(scope="module")
def concepts(graph: Graph) -> set[URIRef]:
    return set(graph.subjects(RDF.type, SKOS.Concept))


def labels_of(graph: Graph, node) -> set[str]:
    return {str(o) for p in (SKOS.prefLabel, SKOS.altLabel) for o in graph.objects(node, p)}


def concept_by_label(graph: Graph, label: str) -> URIRef | None:
    want = label.casefold()
    for p in (SKOS.prefLabel, SKOS.altLabel):
        for s, o in graph.subject_objects(p):
            if str(o).casefold() == want:
                return s
    return None


# ------------------------------------------------------------------ basics
def test_files_parse():
    expected = {"schema.ttl", "article.ttl", "taxonomy.ttl", "figures.ttl", "tables.ttl",
                "claims.ttl", "shapes.ttl"}
    assert expected <= {p.name for p in ONTO.glob("*.ttl")}
    for path in ONTO.glob("*.ttl"):
        assert len(Graph().parse(path, format="turtle")) > 0, path.name


def test_shacl_conforms(graph: Graph):
    import pyshacl

    shapes = Graph().parse(ONTO / "shapes.ttl", format="turtle")
    conforms, _, text = pyshacl.validate(graph, shacl_graph=shapes, inference="none",
                                         advanced=True)
    assert conforms, text[:3000]


def test_hierarchy_acyclic_and_rooted(graph: Graph, concepts: set[URIRef]):
    tops = set(graph.subjects(SKOS.topConceptOf, AI.AITaxonomy))
    assert AI.ArtificialIntelligence in tops
    assert 5 <= len(tops) <= 15
    assert tops == set(graph.objects(AI.AITaxonomy, SKOS.hasTopConcept))
    for c in concepts:
        seen, stack, reached = set(), [c], c in tops
        while stack:
            for b in graph.objects(stack.pop(), SKOS.broader):
                assert b != c, f"cycle through {c}"
                if b in tops:
                    reached = True
                if b not in seen:
                    seen.add(b)
                    stack.append(b)
        assert reached, f"{c} does not reach a top concept"


def test_concept_labels(graph: Graph, concepts: set[URIRef]):
    seen: dict[str, URIRef] = {}
    for c in concepts:
        prefs = list(graph.objects(c, SKOS.prefLabel))
        assert len(prefs) == 1, f"{c} has {len(prefs)} prefLabels"
        assert prefs[0].language == "en"
        key = str(prefs[0]).casefold()
        assert key not in seen, f"prefLabel {prefs[0]} used by {seen.get(key)} and {c}"
        seen[key] = c
        assert list(graph.objects(c, SKOS.definition)), f"{c} has no definition"
        assert (c, SKOS.inScheme, AI.AITaxonomy) in graph
        assert any(str(t).startswith(str(AIS)) for t in graph.objects(c, RDF.type)), c


def test_used_properties_declared(graph: Graph):
    used = {p for _, p, _ in graph if str(p).startswith(str(AIS))}
    assert used
    for p in used:
        assert (p, RDF.type, None) in graph, f"{p} is not declared"
        label = graph.value(p, RDFS.label)
        assert label is not None and label.language == "en", f"{p} has no English label"
        assert graph.value(p, RDFS.domain) is not None, f"{p} has no domain"
        assert graph.value(p, RDFS.range) is not None, f"{p} has no range"
        if (p, RDF.type, OWL.ObjectProperty) in graph:
            inv = graph.value(p, OWL.inverseOf)
            assert inv is not None, f"{p} has no owl:inverseOf"
            assert graph.value(inv, RDFS.label) is not None, f"inverse {inv} has no label"


def test_sources_point_to_article_sections(graph: Graph):
    article = AI.SourceArticle
    assert (article, DCTERMS.title, None) in graph
    assert graph.value(article, DCTERMS.issued) == Literal("2026-03-09", datatype=XSD_DATE)
    for s, o in graph.subject_objects(DCTERMS.source):
        if o == article:  # the ontology header and the scheme cite the article as a whole
            assert s in (AI.AITaxonomy, URIRef("https://w3id.org/aitax/schema")), s
            continue
        assert (o, RDF.type, AIS.ArticleSection) in graph, f"{s} cites {o}"
        assert (o, DCTERMS.isPartOf, article) in graph, o
    for kind in (SKOS.Concept, AIS.Figure, AIS.TableCell, AIS.Claim, AIS.ComparisonTable):
        for n in graph.subjects(RDF.type, kind):
            assert graph.value(n, DCTERMS.source) is not None, f"{n} has no dcterms:source"


def test_section_titles_match_article(graph: Graph):
    if not ARTICLE.exists():
        pytest.skip("article text not available")
    lines = {line.strip() for line in ARTICLE.read_text(encoding="utf-8").splitlines()}
    sections = list(graph.subjects(RDF.type, AIS.ArticleSection))
    assert len(sections) >= 26
    orders = sorted(int(graph.value(s, AIS.order)) for s in sections)
    assert orders == list(range(1, len(sections) + 1))
    for s in sections:
        assert str(graph.value(s, DCTERMS.title)) in lines, s


# ------------------------------------------------------------------ hierarchy and double roles
@pytest.mark.parametrize("child,ancestor", [
    ("LargeLanguageModels", "DeepLearning"), ("DeepLearning", "MachineLearning"),
    ("MachineLearning", "ArtificialIntelligence"), ("LargeLanguageModels", "ArtificialIntelligence"),
    ("GenerativeAI", "NarrowAI"), ("DiscriminativeAI", "NarrowAI"), ("GeneralAI", "ArtificialIntelligence"),
    ("GPT4", "LargeLanguageModels"), ("ConvolutionalNeuralNetworks", "DeepLearning"),
    ("Transformers", "DeepLearning"), ("NeuralNetworks", "MachineLearning"),
    ("DecisionTrees", "TraditionalMachineLearning"), ("RLHF", "ReinforcementLearning"),
    ("TumorDetection", "MedicalImaging"), ("StyleGAN", "GenerativeAdversarialNetworks"),
])
def test_broader_chain(graph: Graph, child: str, ancestor: str):
    q = PREFIXES + f"ASK {{ ai:{child} skos:broader+ ai:{ancestor} }}"
    assert graph.query(q).askAnswer


@pytest.mark.parametrize("s,p,o", [
    ("Transformers", "backboneOf", "GenerativeAI"), ("NeuralNetworks", "foundationOf", "DeepLearning"),
    ("GenerativeAI", "buildsOn", "DeepLearning"), ("GPT4", "uses", "GenerativeAI"),
    ("Codex", "developedBy", "OpenAI"), ("Copilot", "developedBy", "Microsoft"),
    ("Microsoft", "develops", "Copilot"), ("Bard", "developedBy", "Google"),
    ("GenerativeFill", "developedBy", "Adobe"), ("Fusion360", "developedBy", "Autodesk"),
    ("DiscoverWeekly", "developedBy", "Spotify"), ("SupervisedLearning", "hasUseCase", "EmailFiltering"),
    ("TensorFlow", "hasUseCase", "SelfDrivingCars"), ("LargeLanguageModels", "hasExample", "GPT4"),
    ("GenerativeAI", "hasLimitation", "Hallucinations"), ("DeepLearning", "hasLimitation", "BlackBox"),
    ("DeepLearning", "contrastsWith", "GenerativeAI"), ("GenerativeAI", "contrastsWith", "DeepLearning"),
    ("HybridSystems", "combines", "DeepLearning"), ("AWS", "offers", "CloudAIServices"),
    ("LargeLanguageModels", "usesLearningMethod", "RLHF"), ("Transformers", "hasComponent", "SelfAttention"),
])
def test_key_relations(graph: Graph, s: str, p: str, o: str):
    assert (AI[s], AIS[p], AI[o]) in graph


# ------------------------------------------------------------------ table coverage
# (table, subject label (row concept or compared column), aspect, cell text as in the article)
TABLE_CELLS = [
    ("MLTypes", "Supervised Learning", "How It Works", "Learns from labeled examples"),
    ("MLTypes", "Supervised Learning", "Common Uses", "Email filtering, price predictions"),
    ("MLTypes", "Unsupervised Learning", "How It Works", "Discovers patterns independently"),
    ("MLTypes", "Unsupervised Learning", "Common Uses", "Customer grouping, anomaly detection"),
    ("MLTypes", "Reinforcement Learning", "How It Works", "Learns through trial and error"),
    ("MLTypes", "Reinforcement Learning", "Common Uses", "Game playing, robotics"),
    ("DLFrameworks", "TensorFlow", "Key Features", "Scalable for large datasets"),
    ("DLFrameworks", "TensorFlow", "Popular Use Cases", "Self-driving cars, recommendation systems"),
    ("DLFrameworks", "PyTorch", "Key Features", "Dynamic computation graphs"),
    ("DLFrameworks", "PyTorch", "Popular Use Cases", "NLP, real-time object detection"),
    ("DLFrameworks", "Keras", "Key Features", "User-friendly API for prototyping"),
    ("DLFrameworks", "Keras", "Popular Use Cases", "Image classification, chatbots"),
    ("TraditionalVsGenerativeAI", "Traditional AI", None, "Predicts outcomes"),
    ("TraditionalVsGenerativeAI", "Generative AI", None, "Creates new content"),
    ("TraditionalVsGenerativeAI", "Traditional AI", None, "Classifies data"),
    ("TraditionalVsGenerativeAI", "Generative AI", None, "Generates original text, images, code"),
    ("TraditionalVsGenerativeAI", "Traditional AI", None, "Analyzes patterns"),
    ("TraditionalVsGenerativeAI", "Generative AI", None, "Learns patterns to build something new"),
    ("DeepLearningVsGenerativeAI", "Deep Learning", "Primary Function", "Pattern recognition and prediction"),
    ("DeepLearningVsGenerativeAI", "Generative AI", "Primary Function", "Content creation"),
    ("DeepLearningVsGenerativeAI", "Deep Learning", "Output Type", "Classifications and predictions"),
    ("DeepLearningVsGenerativeAI", "Generative AI", "Output Type", "New text, images, or audio"),
    ("DeepLearningVsGenerativeAI", "Deep Learning", "Training Data", "Often requires labeled data"),
    ("DeepLearningVsGenerativeAI", "Generative AI", "Training Data", "Can use unlabeled data"),
    ("DeepLearningVsGenerativeAI", "Deep Learning", "Resource Needs", "Lower during training"),
    ("DeepLearningVsGenerativeAI", "Generative AI", "Resource Needs", "Higher during training"),
    ("DeepLearningVsGenerativeAI", "Deep Learning", "Best For", "Fraud detection, diagnostics"),
    ("DeepLearningVsGenerativeAI", "Generative AI", "Best For", "Marketing copy, visual design"),
    ("IndustryApplications", "Healthcare", "Application", "Medical imaging analysis"),
    ("IndustryApplications", "Healthcare", "Result", "90% tumor detection accuracy"),
    ("IndustryApplications", "Finance", "Application", "Real-time fraud detection"),
    ("IndustryApplications", "Finance", "Result", "Reduced financial losses"),
    ("IndustryApplications", "Manufacturing", "Application", "Predictive maintenance"),
    ("IndustryApplications", "Manufacturing", "Result", "30% less equipment downtime"),
    ("IndustryApplications", "Automotive", "Application", "Sensor data processing"),
    ("IndustryApplications", "Automotive", "Result", "Improved self-driving capabilities"),
    ("CostBenefit", "Deep Learning", "Initial Investment", "High (GPU clusters required)"),
    ("CostBenefit", "Generative AI", "Initial Investment", "Moderate (cloud APIs available)"),
    ("CostBenefit", "Deep Learning", "Expertise Needed", "Data scientists, ML engineers"),
    ("CostBenefit", "Generative AI", "Expertise Needed", "General developers"),
    ("CostBenefit", "Deep Learning", "ROI Timeline", "12-18 months"),
    ("CostBenefit", "Generative AI", "ROI Timeline", "6-9 months"),
    ("CostBenefit", "Deep Learning", "Best For", "Predictive accuracy"),
    ("CostBenefit", "Generative AI", "Best For", "Creative workflows"),
    ("FutureTechnologyAreas", "Federated Learning", "Expected Impact",
     "Enables AI to train on your devices while keeping data private"),
    ("FutureTechnologyAreas", "Edge Computing", "Expected Impact",
     "Brings AI processing directly to your hardware"),
    ("FutureTechnologyAreas", "Open-Source Tools", "Expected Impact",
     "Platforms like Hugging Face accelerate development and access"),
    ("MLvsDLvsLLM", "Machine Learning", "Scope", "All learning algorithms"),
    ("MLvsDLvsLLM", "Machine Learning", "Examples", "Linear regression, decision trees, neural networks"),
    ("MLvsDLvsLLM", "Deep Learning", "Scope", "Multi-layer neural networks"),
    ("MLvsDLvsLLM", "Deep Learning", "Examples", "CNNs for images, RNNs for sequences, transformers"),
    ("MLvsDLvsLLM", "Large Language Models", "Scope", "Text-focused deep learning"),
    ("MLvsDLvsLLM", "Large Language Models", "Examples", "GPT-4, Claude, PaLM, LLaMA"),
]


@pytest.mark.parametrize("table,subject,aspect,value", TABLE_CELLS,
                         ids=[f"{t}-{s}-{a or v}" for t, s, a, v in TABLE_CELLS])
def test_table_cell(graph: Graph, table: str, subject: str, aspect: str | None, value: str):
    q = PREFIXES + """
    ASK {
        ?cell a ais:TableCell ; ais:inTable ?table ; ais:row ?row ;
              ais:aspect ?aspect ; ais:cellValue ?value ; dcterms:source ?sec .
        ?row skos:prefLabel ?label ; ais:hasTableCell ?cell .
        FILTER(STR(?label) = ?subject && STR(?value) = ?text)
        FILTER(!BOUND(?want) || STR(?aspect) = ?want)
    }"""
    bindings = {"table": AI[f"Table_{table}"], "subject": Literal(subject), "text": Literal(value)}
    if aspect is not None:
        bindings["want"] = Literal(aspect)
    assert graph.query(q, initBindings=bindings).askAnswer


def test_table_counts(graph: Graph):
    tables = set(graph.subjects(RDF.type, AIS.ComparisonTable))
    assert len(tables) == 8
    cells = set(graph.subjects(RDF.type, AIS.TableCell))
    assert len(cells) == len(TABLE_CELLS)
    for t in tables:
        assert graph.value(t, AIS.columns) is not None


# ------------------------------------------------------------------ named things present
NAMED = {
    "product/model": ["GPT", "GPT-4", "GPT4", "ChatGPT", "BERT", "Claude", "Gemini", "PaLM", "LLaMA",
                      "StyleGAN", "DALL-E", "DALL\u00b7E", "Stable Diffusion", "Midjourney", "MidJourney",
                      "Imagen", "Codex", "Copilot", "Bard", "Generative Fill", "Fusion 360",
                      "Discover Weekly", "TensorFlow", "PyTorch", "Keras"],
    "organisation": ["OpenAI", "Google", "Google Health", "Microsoft", "JPMorgan Chase", "JPMorgan",
                     "Bank of America", "Netflix", "Spotify", "The New York Times", "NYT", "Autodesk",
                     "Adobe", "Siemens", "DeepMind", "NVIDIA", "AWS", "Azure", "Hugging Face"],
    "architecture": ["Neural Networks", "Convolutional Neural Networks", "CNN", "ConvNet",
                     "Recurrent Neural Networks", "RNN", "Transformers", "Generative Adversarial Networks",
                     "GAN", "Variational Autoencoders", "VAE", "Diffusion Models", "Energy-Based Models",
                     "Foundation Models", "Large Language Models", "LLM", "LLMs"],
    "field/type": ["Artificial Intelligence", "AI", "Machine Learning", "ML", "Deep Learning", "DL",
                   "Generative AI", "GenAI", "Traditional AI", "Traditional Machine Learning", "Narrow AI",
                   "Weak AI", "General AI", "Discriminative AI", "Natural Language Processing", "NLP",
                   "Computer Vision", "Hybrid Systems"],
    "learning": ["Supervised Learning", "Unsupervised Learning", "Reinforcement Learning",
                 "Reinforcement Learning from Human Feedback", "RLHF", "Federated Learning",
                 "Decision Trees", "Random Forests", "Support Vector Machines", "Linear Regression"],
    "component": ["Artificial Neurons", "Hidden Layers", "Weights", "Activation Functions",
                  "Self-Attention", "Tokens", "Embeddings"],
    "limitation": ["Hallucinations", "Black Box", "Bias", "Misinformation", "Plagiarism",
                   "Copyright Concerns", "High Computing Costs", "Energy Consumption", "Ethics",
                   "Training Data"],
    "trend": ["Multimodal Systems", "AI Agents", "Energy-Based Models", "Transformer-based Architectures",
              "Federated Learning", "Edge Computing", "Open-Source Tools", "AI Chips", "Cloud AI Services",
              "Energy Efficiency", "Ethical Guidelines"],
    "industry": ["Healthcare", "Finance", "Manufacturing", "Automotive", "Transportation", "E-commerce",
                 "Software Development", "Customer Service", "Marketing", "Creative Fields"],
    "application": ["Image Recognition", "Speech Translation", "Medical Diagnosis", "Financial Forecasting",
                    "Fraud Detection", "Recommendation Systems", "Chatbots", "Virtual Assistants",
                    "Voice Assistants", "Text-to-Image Generation", "Code Generation", "Video Generation",
                    "Self-Driving Cars", "Email Filtering", "Spam Detection", "Anomaly Detection",
                    "Customer Segmentation", "Customer Grouping", "Price Prediction", "Game Playing",
                    "Robotics", "Protein Folding", "Object Detection", "Image Classification",
                    "Sensor Data Processing", "Predictive Maintenance", "Medical Imaging", "Supply Chain",
                    "Cancer Screening", "Tumor Detection", "Tumour Detection"],
    "resource/role/factor": ["GPU Clusters", "TPU", "Cloud APIs", "Computing Resources", "Data Scientists",
                             "ML Engineers", "General Developers", "Technical Skills",
                             "Prediction or Creation"],
}


@pytest.mark.parametrize("kind,name", [(k, n) for k, ns in NAMED.items() for n in ns])
def test_named_concept_present(graph: Graph, kind: str, name: str):
    assert concept_by_label(graph, name) is not None, f"{kind} {name!r} missing"


# ------------------------------------------------------------------ figures
# (value, unit, subject label, min, max)
FIGURES = [
    ("90", "percent", "Healthcare", None, None),
    ("90", "percent", "Tumor Detection", None, None),
    ("30", "percent", "Manufacturing", None, None),
    ("30", "percent", "The New York Times", None, None),
    ("35", "percent", "Spotify", None, None),
    ("35", "percent", "Discover Weekly", None, None),
    ("54.6", "percent", "Generative AI", None, None),
    ("10", "percentage points", "Generative AI", None, None),
    ("15", "months", "Deep Learning", "12", "18"),
    ("7.5", "months", "Generative AI", "6", "9"),
    ("1000000", "transactions per day", "Fraud Detection", None, None),
    ("1000000", "customer interactions per day", "Bank of America", None, None),
    ("100000", "US dollars", "GPU Clusters", None, None),
]


def find_figures(graph: Graph, value: str, unit: str, subject: str) -> set[URIRef]:
    concept = concept_by_label(graph, subject)
    assert concept is not None, subject
    found = set()
    for fig in graph.subjects(RDF.type, AIS.Figure):
        v = graph.value(fig, AIS.value)
        if (v is not None and v.datatype == XSD_DECIMAL and Decimal(str(v)) == Decimal(value)
                and str(graph.value(fig, AIS.unit)) == unit
                and (fig, AIS.figureOf, concept) in graph
                and (concept, AIS.hasFigure, fig) in graph):
            found.add(fig)
    return found


@pytest.mark.parametrize("value,unit,subject,lo,hi", FIGURES)
def test_figure_present(graph: Graph, value, unit, subject, lo, hi):
    figs = find_figures(graph, value, unit, subject)
    assert figs, f"no figure {value} {unit} about {subject}"
    if lo is not None:
        assert any(Decimal(str(graph.value(f, AIS.minValue))) == Decimal(lo)
                   and Decimal(str(graph.value(f, AIS.maxValue))) == Decimal(hi) for f in figs)


def test_two_distinct_thirty_percent_figures(graph: Graph):
    a = find_figures(graph, "30", "percent", "Manufacturing")
    b = find_figures(graph, "30", "percent", "The New York Times")
    assert a and b and not (a & b)


def test_adoption_figure_period(graph: Graph):
    figs = find_figures(graph, "54.6", "percent", "Generative AI")
    assert any(str(graph.value(f, AIS.period)) == "2025" for f in figs)


# ------------------------------------------------------------------ claims and inverses
def test_claims(graph: Graph):
    claims = set(graph.subjects(RDF.type, AIS.Claim))
    assert 80 <= len(claims) <= 160
    for c in claims:
        assert graph.value(c, RDFS.comment) is not None
        about = list(graph.objects(c, AIS.about))
        assert about
        for x in about:
            assert (x, AIS.hasClaim, c) in graph


def test_data_nodes_are_not_concepts(graph: Graph):
    for kind in (AIS.Figure, AIS.TableCell, AIS.Claim, AIS.ComparisonTable, AIS.ArticleSection):
        for n in graph.subjects(RDF.type, kind):
            assert (n, RDF.type, SKOS.Concept) not in graph, n


def test_concept_relations_have_inverses(graph: Graph):
    for p, inv in graph.subject_objects(OWL.inverseOf):
        # ais:row / ais:side are sub-properties of ais:cellAbout; their inverse is stated
        # as ais:hasTableCell (checked in the table tests), so they are skipped here.
        if not str(p).startswith(str(AIS)) or p in (AIS.row, AIS.side, AIS.hasRowCell,
                                                     AIS.hasSideCell, AIS.cellAbout, AIS.hasTableCell):
            continue
        for s, o in graph.subject_objects(p):
            assert (o, inv, s) in graph, f"missing inverse {o} {inv} {s}"


@pytest.mark.parametrize("concept,keywords", [
    ("VariationalAutoencoders", ["compress", "reconstruct", "variation"]),
    ("ReinforcementLearning", ["reward", "penalt", "pet"]),
    ("HiddenLayers", ["refines the data", "identifies patterns"]),
    ("EdgeComputing", ["hardware", "process"]),
    ("FoundationModels", ["versatile", "LLaMA"]),
    ("Hallucinations", ["confidently", "wrong"]),
    ("GeneralAI", ["does not exist yet"]),
])
def test_definition_keywords(graph: Graph, concept: str, keywords: list[str]):
    text = str(graph.value(AI[concept], SKOS.definition)).lower()
    for k in keywords:
        assert k.lower() in text, f"{concept} definition lacks {k!r}"
