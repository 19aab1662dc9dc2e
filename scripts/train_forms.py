"""Train the question-form classifier of each lexicon in kg/qa/lang and write it beside it.

Run after editing a lexicon (``kg/qa/lang/<lang>.toml``); a test fails while a shipped
classifier was trained on another version of its lexicon.

    .venv/bin/python scripts/train_forms.py
"""

from __future__ import annotations

import time
from importlib import resources

from kg.qa.embeddings import get_encoder
from kg.qa.forms import lexicon, model_path, save_model, train


def main() -> None:
    encoder = get_encoder()
    folder = resources.files("kg.qa").joinpath("lang")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        lang = entry.name.removesuffix(".toml")
        started = time.perf_counter()
        lex = lexicon(lang)
        model = train(lex, encoder.encode)
        save_model(model, model_path(lang))
        phrasings = sum(len(p) for p in lex.phrasings.values())
        print(f"{lang}: {len(model.forms)} forms, {phrasings} phrasings, "
              f"{time.perf_counter() - started:.1f} s -> {model_path(lang).name}")


if __name__ == "__main__":
    main()
