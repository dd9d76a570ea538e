# Shelter Desk — two commands: `make run` (the app on a demo installation) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO   := .demo
DEMO_CASES ?= 300

# Debian packages: the libraries Qt needs even offscreen (tests), then Qt's xcb platform
# for a real window (make run). strace: the crash tests kill commands at each write.
TEST_DEBS := libegl1 libgl1 libfontconfig1 libxkbcommon0 libglib2.0-0 libdbus-1-3 strace
RUN_DEBS  := $(TEST_DEBS) libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 \
             libxcb-xkb1 libxkbcommon-x11-0 libxcb-cursor0 libxcb-shape0 libxcb-xinerama0

.PHONY: run test check i18n bench clean-demo

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
