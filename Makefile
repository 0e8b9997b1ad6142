# movielike: `make demo` (install, train a model on the data found, show results), `make test` (every package's
# tests on a small real model, a few minutes), `make acceptance` (the full model's checks), `make lint`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Data: ../shared/data when this checkout sits beside it, otherwise var/data (filled by `movielike-train fetch-data`).
MOVIELIKE_DATA ?= $(if $(wildcard ../shared/data/films/films.ndjson),$(abspath ../shared/data),$(abspath var/data))
MOVIELIKE_MODELS ?= $(abspath var/models)
export MOVIELIKE_DATA MOVIELIKE_MODELS
export TF_CPP_MIN_LOG_LEVEL ?= 2
DEMO_EPOCHS ?= 20

.PHONY: install demo test acceptance lint train data bench evaluate report clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# LightFM 1.17 (an evaluation baseline, in the baselines extra) builds only through pip's legacy setup.py path, without
# build isolation; pip 25.3 removed that path (its PEP 517 build fails: lyst/lightfm#687). So its wheel is built once
# by an older pip in a throwaway venv, and the install takes it from var/wheels.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	@if ! ls var/wheels/lightfm-1.17-*.whl >/dev/null 2>&1; then \
		rm -rf var/lightfm-build && $(BIN)/python -m venv var/lightfm-build && \
		var/lightfm-build/bin/pip install --quiet 'pip<25.3' setuptools wheel && \
		var/lightfm-build/bin/pip wheel --quiet --no-deps --no-build-isolation --wheel-dir var/wheels 'lightfm==1.17' && \
		rm -rf var/lightfm-build; \
	fi
	$(BIN)/pip install --quiet --find-links var/wheels -e '.[train,baselines,test,s3]'
	touch $@

install: $(VENV)/.installed

data: install
	@if [ ! -f "$(MOVIELIKE_DATA)/films/films.ndjson" ]; then \
		echo "No films under $(MOVIELIKE_DATA): downloading the public data"; \
		$(BIN)/movielike-train fetch-data --dir "$(MOVIELIKE_DATA)"; \
	else echo "Using data in $(MOVIELIKE_DATA)"; fi

train: data
	$(BIN)/movielike-train train --epochs $(DEMO_EPOCHS)

demo: train
	@echo; $(BIN)/movielike similar "Blade Runner"
	@echo; $(BIN)/movielike similar "star wars" -k 5
	@echo; $(BIN)/movielike similar "blade runer" -k 3
	@echo; $(BIN)/movielike about "George Lucas" -k 5
	@echo; $(BIN)/movielike similar "Heat (1995 film)" -k 5 --by links
	@echo; $(BIN)/movielike similar "Heat (1995 film)" -k 5 --by ratings
	@echo; $(BIN)/movielike recommend --like "Alien" --like "The Thing (1982 film)" --dislike "Mamma Mia! (film)" -k 5

# Every package's tests, on a small real model the suite trains once (about a minute).
test: install
	$(BIN)/python -m pytest tests --ignore=tests/acceptance

# Full-model checks: trains on every shared film with the default settings, then checks quality and memory.
acceptance: install
	$(BIN)/python -m pytest tests/acceptance -o faulthandler_timeout=3600  # its first test waits for the full training

lint: install
	$(BIN)/ruff check .

bench: install
	$(BIN)/python bench/engine.py
	$(BIN)/python bench/recommend.py

# The full recommendation evaluation of the published model (figures in the README), then its pictures.
evaluate: install
	mkdir -p var
	$(BIN)/movielike-train evaluate --json > var/evaluation.json
	@echo "figures: var/evaluation.json (also stored in the model's manifest)"

report: install
	$(BIN)/movielike-train report --out var/report --film "Heat (1995 film)"

clean:
	rm -rf $(VENV) var .pytest_cache
