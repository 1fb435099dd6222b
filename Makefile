# Two commands for a newcomer: `make run` (the main job) and `make test` (everything CI checks).
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test setup docs clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# torch first, pinned: that CPU wheel is local; a looser spec pulls a multi-GB CUDA build.
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -c constraints.txt -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/jaxmigrate suggest examples/train_torch.py

test: $(STAMP)
	$(BIN)/ruff check .
	# the strict docs build first; the browser tests then read that site rather than build their own
	$(BIN)/mkdocs build --strict --site-dir site
	JAXMIGRATE_SITE=site $(BIN)/python -m pytest -q -n 2 --dist worksteal

docs: $(STAMP)
	$(BIN)/mkdocs serve

clean:
	rm -rf $(VENV) site .pytest_cache .hypothesis
