# The two commands of the README:  make dev  (run the app locally)  and  make test  (run every test).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export PYTHONPATH := $(CURDIR)/backend:$(CURDIR)/infra:$(CURDIR)
export NEXT_TELEMETRY_DISABLED := 1

.PHONY: dev demo test lint bench fuzz clean train

$(VENV)/.installed: requirements.txt backend/requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

dev: $(VENV)/.installed
	$(PY) -m devstack

# Upload the sample invoices at 1/s to a running `make dev` (RATE=3 make demo for more).
demo: $(VENV)/.installed
	$(PY) -m devstack.demo --rate $${RATE:-1}

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/cfn-lint infra/template.yaml

# pytest exits 5 when it collects no tests; that is not a failure here.
test: lint
	$(PY) -m pytest; rc=$$?; if [ $$rc -eq 5 ]; then exit 0; else exit $$rc; fi

bench: $(VENV)/.installed
	for b in bench/[!_]*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

# The fuzz suite's long profile (tests/fuzz/conftest.py), bounded in time: FUZZ_SECONDS (default
# 900) for the whole run, FUZZ_EXAMPLES (default 2000) per property. `make test` runs the short one.
fuzz: $(VENV)/.installed
	HYPOTHESIS_PROFILE=fuzz timeout --signal=INT $${FUZZ_SECONDS:-900} \
		$(PY) -m pytest tests/fuzz --hypothesis-show-statistics -o timeout=0

# Fit the extractor's rankers on the shared labelled sets, print k-fold CV figures (hand weights vs
# learned) and store the model; CACHE=/work/cache/detections replays OCR detections (else OCR runs).
TRAIN_SETS ?= ../shared/data/dev/sroie ../shared/data/dev/facturx ../shared/data/invoices
train: $(VENV)/.installed
	$(PY) -m invoice_app.processing.extraction.train $(TRAIN_SETS) --engine tesseract \
		$(if $(CACHE),--cache $(CACHE)) --write backend/invoice_app/processing/extraction/model.json

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .build

# Frontend (Next.js static export in frontend/out). Installs only when the lock file changed.
# Not `npm ci`: the registry reachable here serves only this platform's native packages, so the lock
# lacks the other platforms' optional binaries and `npm ci` refuses it; `npm install --no-save`
# installs exactly the locked versions and never rewrites the lock.
FRONTEND_STAMP := frontend/node_modules/.package-lock.stamp
FRONTEND_SOURCES := $(shell find frontend/app frontend/components frontend/lib frontend/public -type f 2>/dev/null) \
	$(wildcard frontend/*.ts frontend/*.mjs frontend/package.json)

.PHONY: frontend-test frontend-clean

$(FRONTEND_STAMP): frontend/package-lock.json
	cd frontend && npm install --no-save --no-audit --no-fund
	touch $@

frontend/out/index.html: $(FRONTEND_STAMP) $(FRONTEND_SOURCES)
	cd frontend && npm run build

# Typecheck + lint, unit tests, static build, and every page's JS budget (scripts/page-budgets.mjs; home 150 kB gzip).
frontend-test: $(FRONTEND_STAMP)
	cd frontend && npm run lint && npm test && npm run build && npm run budgets

test: frontend-test
dev: frontend/out/index.html
clean: frontend-clean

frontend-clean:
	rm -rf frontend/node_modules frontend/out frontend/.next
