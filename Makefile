# Unrolled: `make lab` opens the course, `make test` runs every test.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8888
export OMP_NUM_THREADS := 1

.PHONY: lab test unit nbval browser stripped bench strip clean

$(STAMP): requirements/lock.txt requirements/test.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements/test.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

lab: $(STAMP)  ## start JupyterLab on notebooks/ at 127.0.0.1
	$(BIN)/jupyter lab --ip=127.0.0.1 --port=$(PORT) --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root,)

test: $(STAMP) stripped unit nbval browser  ## every test: unit, notebooks, browser, stripped check

unit: $(STAMP)
	$(BIN)/pytest -q tests --ignore=tests/browser

nbval: $(STAMP)
	$(BIN)/pytest -q -p no:cacheprovider --nbval --nbval-current-env --nbval-cell-timeout=120 \
		--nbval-sanitize-with tests/nbval_sanitize.cfg notebooks

browser: $(STAMP)
	$(BIN)/pytest -q tests/browser

stripped: $(STAMP)
	$(BIN)/python scripts/strip_notebooks.py --check notebooks

strip: $(STAMP)  ## strip outputs and widget state (keep_output cells excepted)
	$(BIN)/python scripts/strip_notebooks.py notebooks

bench: $(STAMP)  ## notebook run times, widget latency (not pass/fail)
	$(BIN)/python benchmarks/run_notebooks.py
	$(BIN)/python benchmarks/widget_latency.py

clean:
	rm -rf $(VENV) .pytest_cache benchmarks/results/*.json tests/browser/artifacts
	find . -name __pycache__ -prune -exec rm -rf {} +
