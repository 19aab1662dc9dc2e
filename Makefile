# Two entry points for a fresh machine that has only Python:
#   make ask            set up .venv (once) and ask the built-in graph a question
#   make test           set up .venv (once) and run the linters and the tests
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
Q      ?= How does generative AI relate to deep learning?
.DEFAULT_GOAL := ask

.PHONY: ask test lint eval bench fuzz system-deps sparql-server clean-venv

# Graphviz and Chromium for the export tests (apt-get as root; otherwise prints how).
system-deps:
	bash scripts/install-system-deps.sh

# A real SPARQL server over one file, for trying --sparql-endpoint by hand; prints its URL:
#   make sparql-server ENGINE=oxigraph FILE=../shared/taxonomies/stw.ttl [PORT=7878]
ENGINE ?= oxigraph
sparql-server: $(STAMP)
	@test -n "$(FILE)" || { echo "usage: make sparql-server ENGINE=oxigraph|virtuoso FILE=graph.ttl [PORT=n]" >&2; exit 2; }
	bash scripts/sparql-server.sh $(ENGINE) "$(FILE)" $(PORT)

FUZZ_EXAMPLES ?= 2000
fuzz: $(STAMP)
	KG_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) HF_HUB_OFFLINE=1 $(BIN)/python -m pytest tests/test_fuzz.py -W ignore::DeprecationWarning

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# The CPU build of torch comes first: an unpinned torch pulls a CUDA build.
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

ask: $(STAMP)
	HF_HUB_OFFLINE=1 $(BIN)/kg ask "$(Q)"

lint: $(STAMP)
	$(BIN)/ruff check .

test: $(STAMP) system-deps
	$(BIN)/ruff check .
	HF_HUB_OFFLINE=1 $(BIN)/python -m pytest -m "slow or not slow"

eval: $(STAMP)
	$(BIN)/kg eval ../shared/eval/dev_qa.jsonl
	$(BIN)/kg eval eval/own_qa.jsonl

bench: $(STAMP)
	$(BIN)/python bench/run_all.py

clean-venv:
	rm -rf $(VENV)
