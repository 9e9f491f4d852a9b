# Taza Studio: `make demo` sets up and renders the sample campaign; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CAMPAIGN := campaigns/tash-komur-2026.yaml
QUARTER ?= 2026Q1

.PHONY: setup voices demo lint test test-fast bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

setup: $(VENV)/.installed voices

# Natural Kyrgyz and Russian voices (RHVoice) from Debian/Ubuntu packages; says what it changes, and
# changes nothing where it cannot (not root, not Debian/Ubuntu): everything then speaks with espeak-ng.
voices:
	@sh tools/install-voices.sh

demo: setup
	$(BIN)/studio validate $(CAMPAIGN)
	$(BIN)/studio keys init --if-missing
	$(BIN)/studio render $(CAMPAIGN) --quarter $(QUARTER)

lint: setup
	$(BIN)/ruff check studio tests bench assets
	$(BIN)/ruff format --check studio tests bench assets
	$(BIN)/mypy studio

test: setup
	$(BIN)/python -m pytest

test-fast: setup
	$(BIN)/python -m pytest -m "not slow"

bench: setup
	$(BIN)/python bench/banners.py
	$(BIN)/python bench/print.py
	$(BIN)/python bench/video.py
	$(BIN)/python bench/batch.py
	$(BIN)/python bench/editor.py
	$(BIN)/python bench/gallery.py
	$(BIN)/python bench/qr.py
	$(BIN)/python bench/voices.py
	$(BIN)/python bench/watermark.py
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/cores.py

clean:
	rm -rf renders/*/ .pytest_cache
