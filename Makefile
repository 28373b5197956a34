# Two commands from a fresh clone: `make demo` and `make test`. Both create or update .venv.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN    := $(VENV)/bin
SEED   := seeds/putin_visit_north_korea.txt
TARGET ?= cooperation between Russia and North Korea

.PHONY: demo test lint bench screenshots readme clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

demo: $(VENV)/.installed  ## Run extraction on the seed article and print a summary
	COLUMNS=$${COLUMNS:-120} $(BIN)/newspipe extract $(SEED) --format pretty --target "$(TARGET)"

lint: $(VENV)/.installed-test  ## ruff and mypy
	$(BIN)/ruff check .
	$(BIN)/mypy

test: lint  ## ruff, mypy and the test suite (benchmarks run once each, untimed)
	$(BIN)/python -m pytest

bench: $(VENV)/.installed-test  ## Time the benchmark suite; saves .benchmarks/latest.json (+ autosave for compare)
	mkdir -p .benchmarks
	$(BIN)/python -m pytest tests/benchmarks --benchmark-enable --benchmark-only \
		--benchmark-autosave --benchmark-json=.benchmarks/latest.json

screenshots: $(VENV)/.installed  ## The README's screenshots: the seed's article view and the gold report (needs chromium)
	mkdir -p build docs/images
	$(BIN)/newspipe extract $(SEED) --target "$(TARGET)" -o build/article.html
	$(BIN)/newspipe score --report build/report.html --errors 0 --no-progress > /dev/null
	$(BIN)/python eval/scripts/screenshots.py build/article.html docs/images/article.png --width 1100 --height 800
	$(BIN)/python eval/scripts/screenshots.py build/report.html docs/images/report.png --width 1100 --height 800

readme: $(VENV)/.installed  ## Write the README's output blocks anew by running their commands
	$(BIN)/python eval/scripts/readme_blocks.py README.md

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .benchmarks
