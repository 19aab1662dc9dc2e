"""The NumPy encoder gives the same vectors as sentence-transformers, from the packaged model."""

from __future__ import annotations

import numpy as np
import pytest

from kg.errors import ConfigError
from kg.qa.embeddings import get_encoder


def _sentences() -> list[str]:
    subjects = ["Deep learning", "A GAN", "The transformer", "Spotify", "Edge computing",
                "Reinforcement learning", "A bicycle", "Tumour detection", "LLMs", "Keras"]
    verbs = ["analyses", "creates", "needs", "is used for", "reduces", "struggles with"]
    objects = ["medical images.", "new content from prompts", "labeled data and GPUs!",
               "fraud in real time", "30% less downtime", "émojis 🚀 and ünïcode",
               "a very long sentence " * 40]
    return [f"{s} {v} {o}" for s in subjects for v in verbs for o in objects][:300] + ["", "x"]


@pytest.mark.slow  # loads torch and sentence-transformers: seconds of import alone
def test_numpy_encoder_matches_sentence_transformers() -> None:
    texts = _sentences()
    fast = get_encoder("numpy").encode(texts)
    ref = get_encoder("sentence-transformers").encode(texts)
    assert fast.shape == ref.shape == (len(texts), 384)
    cosines = (fast * ref).sum(axis=1)
    assert cosines.min() >= 0.9999


def test_vectors_are_unit_length_and_order_independent() -> None:
    enc = get_encoder("numpy")
    texts = ["short", "a somewhat longer sentence about neural networks", "mid length text"]
    vecs = enc.encode(texts)
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    again = enc.encode(list(reversed(texts)))[::-1]
    assert np.allclose(vecs, again, atol=1e-5)


def test_encoder_is_created_once() -> None:
    assert get_encoder("numpy") is get_encoder("numpy")


def test_unknown_encoder_name() -> None:
    with pytest.raises(ConfigError, match="choose one of"):
        get_encoder("word2vec")
