# cxkit — two commands: `make report` and `make test` (each sets everything up first).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.cxkit-installed
MONTH ?= latest
CONFIG ?= demo
OUT ?= reports

.PHONY: setup report test unit nbtest lab notebooks bench clean

setup: $(STAMP)

# Re-installs only when the pins or the package metadata change (idempotent, fast when done).
$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[notebooks,test,bench]"
	$(PY) -m ipykernel install --sys-prefix --name cxkit --display-name "Python (cxkit)" >/dev/null
	touch $(STAMP)

report: $(STAMP)
	$(VENV)/bin/cxkit report --config $(CONFIG) --month $(MONTH) --out $(OUT)

test: $(STAMP)
	$(VENV)/bin/pytest tests notebooks --nbval --nbval-current-env --nbval-sanitize-with notebooks/sanitize.cfg -p no:cacheprovider

unit: $(STAMP)
	$(VENV)/bin/pytest tests -p no:cacheprovider

lab: $(STAMP)
	$(VENV)/bin/jupyter lab notebooks

# Re-execute every notebook in place with its default parameters (refreshes stored outputs for nbval).
notebooks: $(STAMP)
	$(PY) -m cxkit.report refresh-notebooks

bench: $(STAMP)
	for b in benchmarks/*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) reports .pytest_cache
