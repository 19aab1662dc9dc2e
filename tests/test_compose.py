"""The composer, table-driven, on hand-made facts (no graph, no model)."""

from __future__ import annotations

import pytest

from kg.qa import weights as W
from kg.qa.answer import Fact
from kg.qa.compose import compose, join_names, says_again


def fact(sentence: str, score: float, kind: str = "data", s: str = "", o: str = "") -> Fact:
    s = s or f"ex:{abs(hash(sentence))}"
    return Fact(subject=s, predicate="ex:p", object=o or f"{s}/o", sentence=sentence,
                score=score, kind=kind, sources=["ex:sec"], source_labels=["Section 1"])


def body(text: str) -> list[str]:
    return [line.split(" [")[0] for line in text.splitlines() if not line.startswith("Sources:")]


LEAD = fact("Keras is a deep learning framework with a user-friendly API.", 1.0, "definition")


@pytest.mark.parametrize(
    ("support", "spoken"),
    [
        # a repeat in other words, from another node, is dropped
        ([fact("Keras offers a user-friendly API and is a deep learning framework.", 0.9),
          fact("Keras is popular for image classification and chatbots.", 0.8)],
         ["Keras is popular for image classification and chatbots."]),
        # below the relevance floor nothing is said
        ([fact("Companies spend months collecting data.", W.SUPPORT_FLOOR - 0.01)], []),
        # far below the best supporting fact nothing is said
        ([fact("TensorFlow scales to large datasets.", 1.0),
          fact("Hugging Face speeds up development.", 0.5)],
         ["TensorFlow scales to large datasets."]),
        # the same figure about the same words is one fact
        ([fact("Spotify raised engagement by 35% with Discover Weekly.", 0.9),
          fact("Discover Weekly boosted Spotify user engagement by 35%.", 0.8)],
         ["Spotify raised engagement by 35% with Discover Weekly."]),
    ],
)
def test_support_adds_something_new(support: list[Fact], spoken: list[str]) -> None:
    out = compose([LEAD], support, quiet=set())
    assert body(out.text) == [LEAD.sentence, *spoken]


def test_at_most_three_supporting_sentences_and_all_facts_kept() -> None:
    words = ["Banks detect fraud in real time.", "Spotify recommends music.",
             "Siemens analyses factory data.", "Netflix creates thumbnails.",
             "Autodesk generates custom designs.", "Adobe speeds up design work."]
    support = [fact(w, 0.9 - i / 100) for i, w in enumerate(words)]
    out = compose([LEAD], support, quiet=set())
    assert len(body(out.text)) == 1 + W.SUPPORT_MAX
    assert len(out.supporting) == 1 + len(words)
    assert [f.spoken for f in out.supporting].count(True) == 1 + W.SUPPORT_MAX


def test_quiet_facts_are_kept_but_not_spoken() -> None:
    caption = fact("Table of three frameworks with their features.", 0.95)
    out = compose([LEAD], [caption], quiet={(caption.subject, caption.predicate, caption.object)})
    assert body(out.text) == [LEAD.sentence]
    assert caption in out.supporting and not caption.spoken


def test_two_sides_of_one_table_row_become_one_contrast_sentence() -> None:
    a = fact("In the table 'Costs', the ROI timeline given for Deep Learning is: 12-18 months.",
             1.0)
    b = fact("In the table 'Costs', the ROI timeline given for Generative AI is: 6-9 months.",
             0.9)
    out = compose([], [a, b], quiet=set())
    assert body(out.text) == [
        "In the table 'Costs', the ROI timeline given for Deep Learning is: 12-18 months; "
        "for Generative AI is: 6-9 months."
    ]


def cell(subject: str, aspect: str, value: str, score: float, table: str = "Frameworks") -> Fact:
    return fact(f"In the table '{table}', the {aspect} entry for {subject} reads: {value}.",
                score)


def test_cells_of_different_rows_and_columns_are_never_one_contrast() -> None:
    uses = cell("PyTorch", "popular use cases", "NLP, object detection", 1.0)
    other = cell("TensorFlow", "key features", "Scalable for large datasets", 0.9)
    out = compose([], [uses, other], quiet=set())
    assert not any(";" in line for line in body(out.text))


def test_two_entries_of_one_row_said_alike_become_one_sentence() -> None:
    table = "Deep learning frameworks compared"
    uses = cell("Keras", "popular use cases", "Image classification, chatbots", 1.0, table)
    feature = cell("Keras", "key features", "User-friendly API", 0.9, table)
    assert body(compose([], [uses, feature], quiet=set()).text) == [
        f"In the table '{table}', the popular use cases entry for Keras reads: Image "
        "classification, chatbots; the key features entry for Keras reads: User-friendly API."
    ]


def test_a_table_is_named_once_per_answer() -> None:
    uses = cell("PyTorch", "popular use cases", "NLP, object detection", 1.0)
    other = cell("TensorFlow", "key features", "Scalable for large datasets", 0.9)
    lines = body(compose([], [uses, other], quiet=set()).text)
    assert lines[0].startswith("In the table 'Frameworks', ")
    assert lines[1] == "The key features entry for TensorFlow reads: Scalable for large datasets."


def test_a_cell_another_sentence_already_says_is_not_merged_in() -> None:
    definition = fact("Keras: a framework whose popular use cases are image classification "
                      "and chatbots.", 1.0, "definition")
    feature = cell("Keras", "key features", "Fast prototyping", 0.9)
    uses = cell("Keras", "popular use cases", "Image classification, chatbots", 0.8)
    lines = body(compose([definition], [feature, uses], quiet=set()).text)
    assert lines == [definition.sentence, feature.sentence]


def test_full_lists_every_ranked_fact_with_its_score() -> None:
    support = [fact("Keras is popular for chatbots.", 0.8), fact("Weak line.", 0.31)]
    out = compose([LEAD], support, quiet=set(), full=True)
    lines = body(out.text)
    assert lines[0].startswith("(1.00) ") and len(lines) == 3


@pytest.mark.parametrize(
    ("names", "total", "text"),
    [
        (["A"], None, "A"),
        (["A", "B"], None, "A and B"),
        ([f"N{i}" for i in range(W.LIST_MAX + 3)], None,
         ", ".join(f"N{i}" for i in range(W.LIST_MAX)) + " and 3 more"),
    ],
)
def test_lists_name_every_member_or_say_how_many_more(names, total, text) -> None:
    assert join_names(names, total) == text


@pytest.mark.parametrize(
    ("new", "old", "repeat"),
    [
        ("LLaMA is a foundation model.", ["LLaMA: a large foundation model from Meta."], True),
        ("Bicycle is powered by Human Power; Car is powered by Combustion Engine.",
         ["Bicycle and Car are both kinds of Vehicle."], False),
        ("GPU clusters cost hundreds of thousands of dollars.",
         ["Training needs GPU clusters."], False),
    ],
)
def test_says_again(new: str, old: list[str], repeat: bool) -> None:
    assert says_again(new, old) is repeat


def test_a_shorter_name_of_the_same_table_counts_as_named() -> None:
    claim = fact("In the cost table, generative AI pays back in 6 to 9 months.", 1.0)
    other = cell("Deep Learning", "initial investment", "High", 0.9, "Cost table: DL vs GenAI")
    lines = body(compose([], [claim, other], quiet=set()).text)
    assert lines == [claim.sentence, "The initial investment entry for Deep Learning reads: High."]


def test_a_frame_is_kept_when_another_source_is_named() -> None:
    a = cell("Keras", "key features", "User-friendly API", 1.0, "Frameworks")
    b = fact("In the survey of 2024, most teams used Keras for prototypes.", 0.9)
    assert body(compose([], [a, b], quiet=set()).text)[1] == b.sentence


@pytest.mark.parametrize(
    ("sentence", "shown"),
    [
        ("acid rain is a kind of pollution.", "Acid rain is a kind of pollution."),
        ("smog: air pollution of smoke and fog.", "Smog: air pollution of smoke and fog."),
        ("iPhone is a kind of phone.", "iPhone is a kind of phone."),
        ("pH is a kind of measure.", "pH is a kind of measure."),
        ("3D printing is a kind of manufacturing.", "3D printing is a kind of manufacturing."),
    ],
)
def test_a_sentence_starts_with_a_capital_unless_its_first_word_is_cased(
    sentence: str, shown: str
) -> None:
    assert body(compose([fact(sentence, 1.0)], [], quiet=set()).text) == [shown]


def test_a_bare_link_is_explained_not_left_alone() -> None:
    link = fact("Neural Networks is the foundation of Deep Learning.", 1.0, "relation")
    how = fact("Deep learning passes raw data through layered neural networks whose artificial "
               "neurons cooperate across several layers.", 0.9)
    again = fact("Deep learning is founded on neural networks.", 0.8)
    assert body(compose([link], [how, again], quiet=set()).text) == [link.sentence, how.sentence]


def test_the_last_line_of_a_long_definition_is_not_a_bare_link() -> None:
    definition = fact("Narrow AI: AI built for one task. Most AI in use is narrow. It contains "
                      "discriminative AI and generative AI.", 1.0, "definition")
    again = fact("Narrow AI contains discriminative AI, which classifies input data, and "
                 "generative AI, which makes new content.", 0.9)
    assert body(compose([definition], [again], quiet=set()).text) == [definition.sentence]


def test_a_sentence_shows_a_few_sources_reusing_the_ones_already_cited() -> None:
    first = Fact(subject="ex:a", predicate="ex:p", object="ex:o", sentence="Alpha is first.",
                 score=1.0, kind="data", sources=["ex:s9"], source_labels=["Section 9"])
    many = Fact(subject="ex:b", predicate="ex:p", object="ex:o2", sentence="Beta draws on all.",
                score=0.9, kind="data", sources=[f"ex:s{i}" for i in range(10)],
                source_labels=[f"Section {i}" for i in range(10)])
    lines = compose([first], [many], quiet=set()).text.splitlines()
    assert lines[1] == "Beta draws on all. [1][2][3]"  # Section 9 is [1] already
    assert lines[2] == "Sources: [1] Section 9; [2] Section 0; [3] Section 1"


def test_under_a_lead_filing_x_only_x_own_hierarchy_links_support_it() -> None:
    from kg.qa.compose import select
    lead = fact("Yes: pink is a kind of red, which is a kind of colour.", 1.0, "hierarchy",
                s="ex:pink", o="ex:red")
    child = fact("Dark pink is a kind of pink.", 0.9, "hierarchy", s="ex:darkpink", o="ex:pink")
    beside = fact("Blue is a kind of colour.", 0.9, "hierarchy", s="ex:blue", o="ex:colour")
    other = fact("Pink is a kind of pastel.", 0.8, "hierarchy", s="ex:pink", o="ex:pastel")
    said = fact("Pink is named after the flower.", 0.7, "data", s="ex:pink")
    chosen = select([lead], [child, beside, other, said], limit=6)
    assert chosen == [lead, other, said]
    # under another lead, the hierarchy around is support as before
    listed = fact("Colour has 3 kinds: pink, blue and red.", 1.0, "membership", s="ex:colour")
    assert beside in select([listed], [child, beside], limit=6)
