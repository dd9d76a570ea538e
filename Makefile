# Shelter Desk — two commands: `make run` (the app on a demo installation) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO   := .demo
DEMO_CASES ?= 300

# Debian packages: the libraries Qt needs even offscreen; for the tests strace (the crash
# tests kill commands at each write) and poppler-utils (pdftotext reads printed forms back as
# a reader would); for a real window (make run, make package) Qt's xcb platform.
QT_DEBS   := libegl1 libgl1 libfontconfig1 libxkbcommon0 libglib2.0-0 libdbus-1-3
TEST_DEBS := $(QT_DEBS) strace poppler-utils
RUN_DEBS  := $(QT_DEBS) libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 \
             libxcb-xkb1 libxkbcommon-x11-0 libxcb-cursor0 libxcb-shape0 libxcb-xinerama0

.PHONY: run test check i18n bench clean-demo package

run: DEBS = $(RUN_DEBS)
run: debs $(STAMP)
	@test -f $(DEMO)/keyslots.json || $(BIN)/shelter-desk --data-dir $(DEMO) demo --cases $(DEMO_CASES)
	$(BIN)/shelter-desk --data-dir $(DEMO)

test: DEBS = $(TEST_DEBS)
# The tests see no system font (FONTCONFIG_FILE names no font folder), run in random order
# (pytest-randomly prints the seed; --randomly-seed=N repeats an order) and on every core.
test: debs $(STAMP)
	QT_QPA_PLATFORM=offscreen FONTCONFIG_FILE=$(CURDIR)/tests/fontconfig/fonts.conf \
	  $(BIN)/python -m pytest -n auto $(PYTEST_ARGS)

check: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

# Re-extract every translatable string and merge it into the five catalogues.
i18n: $(STAMP)
	$(BIN)/python -m shelter_desk.i18n.catalogues update

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

clean-demo:
	rm -rf $(DEMO)

# The app without Python: dist/shelter-desk/ (one folder) and a .tar.gz of it. Qt's xcb
# libraries must be present for PyInstaller to bundle the window's platform plugin.
# packaging/smoke-test.sh checks the result as a shelter's laptop would run it.
package: DEBS = $(RUN_DEBS) poppler-utils
package: debs $(STAMP)
	rm -rf dist/shelter-desk build/pyinstaller
	$(BIN)/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller \
	  packaging/shelter-desk.spec
	cp packaging/shelter-desk.desktop resources/icons/shelter-desk-256.png dist/shelter-desk/
	version=$$($(BIN)/python -c 'import shelter_desk; print(shelter_desk.__version__)'); \
	  tar -C dist -czf dist/shelter-desk-$$version-linux-$$(uname -m).tar.gz shelter-desk

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	$(BIN)/python -m shelter_desk.i18n.catalogues compile
	touch $@

# Installs missing Debian packages when run as root; otherwise prints the one line to run.
.PHONY: debs
debs:
	@missing=""; for p in $(DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if ! command -v apt-get >/dev/null 2>&1; then echo "Not a Debian/Ubuntu system: install the equivalents of:$$missing"; \
	  elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else echo "Missing system packages. Run:"; echo "  sudo apt-get install -y$$missing"; exit 1; fi; \
	fi
