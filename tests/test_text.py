"""Text normalisation: norm's folding rules, and norm_many giving exactly what norm gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.qa.text import content_stems, content_tokens, norm, norm_many, stem, tokens, tokens_many

# Characters where the joined normalisation could go wrong if it were not exact: line and
# paragraph separators, curly quotes, decimal points, ligatures NFKC expands, final sigma,
# combining marks, the private-use joiner itself.
TRICKY = "ab1.2 '’s-_/%#+,;:\t\n\r\x0b\x0c\x1c\x85\u2028\u00a0\u2003éΣσ\u0301K\ufb01\u2460\ue000"


def test_norm_folds_case_quotes_hyphens_and_keeps_decimals() -> None:
    assert norm("Transformer’s  Self-Attention/Heads") == "transformer self attention heads"
    assert norm("GPT-3.5 costs $4.6M.") == "gpt 3.5 costs 4.6m"
    assert tokens("  C++ and C#\n") == ["c++", "and", "c#"]
    assert stem("organisations") == "organization" and stem("tumour") == "tumor"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=TRICKY, max_size=25), max_size=30))
def test_norm_many_equals_norm_on_tricky_text(texts: list[str]) -> None:
    assert norm_many(texts) == [norm(t) for t in texts]
    assert tokens_many(texts) == [tokens(t) for t in texts]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=40), max_size=20))
def test_norm_many_equals_norm_on_any_text(texts: list[str]) -> None:
    assert norm_many(texts) == [norm(t) for t in texts]


def test_content_stems_match_content_tokens() -> None:
    text = "What are the main types of neural networks, and how are they used?"
    assert content_stems(tokens(text)) == content_tokens(text) == ["main", "neural", "network"]


def test_a_plural_of_british_spelling_stems_as_its_singular() -> None:
    for plural, singular in [("harbours", "harbour"), ("centres", "centre"),
                             ("tumours", "tumour"), ("analyses", "analyse")]:
        assert stem(plural) == stem(singular), plural
    assert stem("hours") == stem("hour") == "hour"  # too short for the spelling rule
