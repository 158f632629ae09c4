# Unrolled: `make lab` opens the course, `make test` runs every test.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8888
export OMP_NUM_THREADS := 1

.PHONY: lab test unit nbval nbval-seed test-seeds test-gpu browser stripped bench strip slides solutions canary html clean \
	classroom classroom-test

$(STAMP): requirements/lock.txt requirements/test.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements/test.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

lab: $(STAMP)  ## start JupyterLab on notebooks/ at 127.0.0.1
	$(BIN)/jupyter lab --ip=127.0.0.1 --port=$(PORT) --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root,)

test: $(STAMP) stripped unit nbval browser  ## every test: unit, notebooks (seeds 0 and 1), browser, stripped check
	$(MAKE) --no-print-directory nbval-seed SEED=1

# Tests record self-check outcomes in build/, never in a learner's own course/unrolled_progress.json.
TEST_PROGRESS := $(CURDIR)/build/test-progress/unrolled_progress.json
unit nbval nbval-seed test-seeds test-gpu browser: export UNROLLED_PROGRESS = $(TEST_PROGRESS)

# The classroom hub's own tests (accounts, the class-progress service's handlers) need its Python
# pins (not the proxy from npm): make test installs them into the course venv.
PINS_STAMP := $(VENV)/.classroom-pins
$(PINS_STAMP): $(STAMP) requirements/classroom.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements/classroom.txt
	touch $(PINS_STAMP)

unit: $(STAMP) $(PINS_STAMP)
	$(BIN)/pytest -q tests --ignore=tests/browser

NBVAL := -m pytest -q -p no:cacheprovider --nbval-current-env --nbval-cell-timeout=300 \
	--nbval-sanitize-with tests/nbval_sanitize.cfg

nbval: $(STAMP)  ## every notebook at the default seed, kept outputs compared
	$(BIN)/python $(NBVAL) --nbval notebooks

# Another seed: every claim is an assert, so every cell must still run; kept outputs (printed
# numbers of seed 0) are not compared (--nbval-lax).
nbval-seed: $(STAMP)  ## every notebook with UNROLLED_SEED=$(SEED)
	UNROLLED_SEED=$(SEED) $(BIN)/python $(NBVAL) --nbval-lax notebooks

SEEDS ?= $(shell seq 0 19)
test-seeds: $(STAMP)  ## every notebook with UNROLLED_SEED = 0 … 19 (SEEDS="3 7" for others); reports every failing seed
	@failed=""; for k in $(SEEDS); do $(MAKE) --no-print-directory nbval-seed SEED=$$k || failed="$$failed $$k"; done; \
	if [ -n "$$failed" ]; then echo "test-seeds: failed at UNROLLED_SEED$$failed"; exit 1; fi; echo "test-seeds: every seed passed: $(SEEDS)"

# On a machine where torch sees CUDA: GPU_PYTHON is a Python with a CUDA torch and the lock's other
# packages (the course venv with a CUDA wheel, or see README "GPU"). Fails when there is no GPU.
GPU_PYTHON ?= $(BIN)/python
test-gpu:  ## unit tests + nbval with training on CUDA
	$(GPU_PYTHON) -c "import sys, torch; sys.exit(0 if torch.cuda.is_available() else 'test-gpu: torch sees no CUDA device')"
	UNROLLED_REQUIRE_CUDA=1 $(GPU_PYTHON) -m pytest -q -p no:cacheprovider tests --ignore=tests/browser --ignore=tests/classroom
	UNROLLED_REQUIRE_CUDA=1 $(GPU_PYTHON) $(NBVAL) --nbval notebooks

# axe-core for the browser tests' accessibility audit (pinned by tests/browser/axe/package-lock.json)
AXE_DIR   := tests/browser/axe
AXE_STAMP := $(AXE_DIR)/node_modules/.installed
$(AXE_STAMP): $(AXE_DIR)/package.json $(AXE_DIR)/package-lock.json
	cd $(AXE_DIR) && npm ci --no-audit --no-fund --loglevel=error
	touch $(AXE_STAMP)

browser: $(STAMP) $(AXE_STAMP)
	$(BIN)/pytest -q tests/browser

stripped: $(STAMP)
	$(BIN)/python scripts/strip_notebooks.py --check notebooks
	$(BIN)/python scripts/slides.py --check notebooks

strip: $(STAMP)  ## strip outputs and widget state (keep_output cells excepted), write slide metadata
	$(BIN)/python scripts/strip_notebooks.py notebooks
	$(BIN)/python scripts/slides.py notebooks

canary:  ## latest releases of the direct dependencies in build/canary: unit tests + nbval (not in make test)
	$(PYTHON) scripts/canary.py

html: $(STAMP)  ## the course as static HTML that reads offline, in build/html/ (open build/html/index.html)
	$(BIN)/python scripts/export_html.py

solutions: $(STAMP)  ## instructor's copy: every solution shown and executed, in build/solutions/
	$(BIN)/python scripts/solutions.py

bench: $(STAMP)  ## notebook run times, widget latency (not pass/fail)
	$(BIN)/python benchmarks/run_notebooks.py
	$(BIN)/python benchmarks/widget_latency.py

# A class on one machine (deploy/jupyterhub), run as root: the hub makes a Unix account per learner,
# whose servers run from CLASSROOM_VENV, a venv of a Python that every user can run (the course
# venv's interpreter may sit in a folder only its owner can enter, e.g. pyenv under /root): the
# system's CLASSROOM_PYTHON when it is recent enough for the lock, else a copy of the course venv's
# interpreter in build/classroom-python (shared_python.py); with the lock, the test and classroom
# pins and the course; the proxy from npm next to the hub.
CLASSROOM_PYTHON ?= /usr/bin/python3.11
CLASSROOM_VENV   ?= build/classroom-venv
CLASSROOM_BIN    := $(CLASSROOM_VENV)/bin
CLASSROOM_STAMP  := $(CLASSROOM_VENV)/.installed
HUB_DIR := deploy/jupyterhub
LEARNERS ?= 8
$(CLASSROOM_STAMP): $(STAMP) requirements/lock.txt requirements/test.txt requirements/classroom.txt pyproject.toml \
		$(HUB_DIR)/package.json $(HUB_DIR)/package-lock.json
	test -x $(CLASSROOM_BIN)/python || \
		$$($(BIN)/python $(HUB_DIR)/shared_python.py build/classroom-python $(CLASSROOM_PYTHON)) -m venv $(CLASSROOM_VENV)
	$(CLASSROOM_BIN)/pip install --quiet --disable-pip-version-check -r requirements/test.txt -r requirements/classroom.txt
	$(CLASSROOM_BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	chmod -R a+rX $(CLASSROOM_VENV)
	cd $(HUB_DIR) && npm ci --no-audit --no-fund --loglevel=error
	touch $(CLASSROOM_STAMP)

classroom: $(CLASSROOM_STAMP)  ## JupyterHub for a class at 127.0.0.1:8000, as root (CLASS_PASSWORD=... INSTRUCTOR_PASSWORD=...); class view at /services/class-progress/
	@[ "$$(id -u)" = 0 ] || { echo "make classroom: run it as root (sudo): the hub creates a Unix account per learner"; exit 1; }
	UNROLLED_COURSE_REPO=$${UNROLLED_COURSE_REPO:-file://$(CURDIR)} \
	UNROLLED_COURSE_BRANCH=$${UNROLLED_COURSE_BRANCH:-$$(git rev-parse --abbrev-ref HEAD)} \
	$(CLASSROOM_BIN)/jupyterhub -f $(HUB_DIR)/jupyterhub_config.py

classroom-test: $(CLASSROOM_STAMP) $(PINS_STAMP) $(AXE_STAMP)  ## as root: hub tests, then LEARNERS (8) log in as Unix users of their own, run notebook 06, answer exercises, probe each other; the view must show exactly that (not in make test)
	$(BIN)/pytest -q -p no:cacheprovider tests/classroom
	$(CLASSROOM_BIN)/python benchmarks/classroom_load.py --learners $(LEARNERS) \
		$(if $(wildcard /usr/bin/chromium),--browser --screenshot benchmarks/results/class_view.png)
	@$(if $(wildcard /usr/bin/chromium),true,echo "classroom-test: the class view was NOT checked in a browser (no /usr/bin/chromium)")

clean:
	rm -rf $(VENV) build/classroom-venv build/classroom-python .pytest_cache benchmarks/results/*.json tests/browser/artifacts $(HUB_DIR)/node_modules \
		$(AXE_DIR)/node_modules
	find . -name __pycache__ -prune -exec rm -rf {} +
