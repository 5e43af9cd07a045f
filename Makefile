# cxkit — two commands: `make report` and `make test` (each sets everything up first).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.cxkit-installed
MONTH ?= latest
CONFIG ?= demo
OUT ?= reports

.PHONY: setup browser java report test unit lab notebooks bench clean

setup: $(STAMP)

# Re-installs only when the pins or the package metadata change (idempotent, fast when done).
$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[notebooks,test,bench,engines,fast]"
	$(PY) -m ipykernel install --sys-prefix --name cxkit --display-name "Python (cxkit)" >/dev/null
	touch $(STAMP)

report: $(STAMP)
	$(VENV)/bin/cxkit report --config $(CONFIG) --month $(MONTH) --out $(OUT)

# Chromium for the browser test, from Debian's packages (root only; otherwise the test skips).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Chromium (Debian package) for the browser test"; \
	    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "note: Chromium is not installed (package chromium); the browser test will be skipped"; fi; }

# Java for Spark local mode (tests/test_engines.py), Debian's package (root only; else those tests skip).
java:
	@command -v java >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Java 17 (Debian package openjdk-17-jre-headless) for the Spark tests"; \
	    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null; \
	  else echo "note: Java is not installed (package openjdk-17-jre-headless); the Spark tests will be skipped"; fi; }

# Two workers (pytest-xdist, one file per worker at a time): the report, kill and wheel tests
# spend most of their time waiting on kernels.  The notebooks shipped in cxkit/report/notebooks
# carry no outputs (the report runs them); nbval checks their working copies in notebooks/, and
# a test checks that both hold the same cells.
test: $(STAMP) browser java
	$(VENV)/bin/pytest tests cxkit notebooks --doctest-modules --nbval --nbval-current-env --nbval-sanitize-with notebooks/sanitize.cfg -p no:cacheprovider --ignore=cxkit/report/notebooks -n 2 --dist loadfile

unit: $(STAMP)
	$(VENV)/bin/pytest tests cxkit --doctest-modules -p no:cacheprovider

# Jupyter refuses to start as root without --allow-root (containers run as root).
lab: $(STAMP)
	$(VENV)/bin/jupyter lab notebooks $$([ "$$(id -u)" = 0 ] && echo --allow-root)

# Re-execute every notebook in place with its default parameters (refreshes stored outputs for nbval).
notebooks: $(STAMP)
	$(VENV)/bin/cxkit refresh-notebooks

bench: $(STAMP)
	for b in benchmarks/*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) reports .pytest_cache
