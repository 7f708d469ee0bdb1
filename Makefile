# Fieldbook: `make run` starts the app on a demo workspace, `make test` runs every test headless.
# Both create the virtual environment in .venv first when it is missing or out of date.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-pg lint bench bench-quick bundle bundle-test bundle-archive wheel install-desktop clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/fieldbook gui --demo

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m ruff check .
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m ruff format --check .
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m mypy
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -n auto --dist loadfile

# The same suite against a throwaway local PostgreSQL server (Debian's postgresql-15 binaries,
# or FIELDBOOK_PG_BIN): each workspace fixture gets a fresh database; SQLite-only tests skip.
test-pg: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tests.pg.server -- $(BIN)/python -m pytest -n auto --dist loadfile

lint: $(STAMP)
	$(BIN)/python -m ruff check --fix .
	$(BIN)/python -m ruff format .

# Every benchmark, full size (10,000 accounts), ending with a table of medians, floors,
# ratios and targets; exit 1 when one fails or misses its target.
bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m benchmarks

# A 1,000-account pass of every benchmark in under two minutes (targets not checked).
bench-quick: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m benchmarks --quick

# A one-folder PyInstaller bundle in dist/fieldbook; prints its size and build time.
# PYZ_LEVEL is the zlib level of the Python modules packed into the executable; BUNDLE_WORK
# is PyInstaller's work folder (one per level: PyInstaller reuses a packed archive as it is).
PYZ_LEVEL ?= 6
BUNDLE_WORK ?= build/pyinstaller
bundle: $(STAMP)
	$(BIN)/python -m pip install --quiet 'pyinstaller>=6.10,<7'
	$(BIN)/python packaging/build_icons.py build/icons > /dev/null
	@start=$$(date +%s); \
	PYINSTALLER_ZLIB_COMPRESSION_LEVEL=$(PYZ_LEVEL) $(BIN)/pyinstaller --noconfirm --log-level ERROR --distpath dist --workpath $(BUNDLE_WORK) packaging/fieldbook.spec && \
	echo "bundle: dist/fieldbook, $$(du -sm dist/fieldbook | cut -f1) MB unpacked, built in $$(( $$(date +%s) - start )) s"

bundle-test: bundle
	$(BIN)/python packaging/smoke_test.py dist/fieldbook/fieldbook

# The bundle as one download, dist/fieldbook-<version>-linux-<arch>.tar.zst (unpack with
# `tar --zstd -xf`; its 128 MB window needs no option to decompress); prints its size.
# Its Python modules are stored, not zlib-packed: zstd does far better on the raw bytes
# (the executable is 39 MB instead of 15, but 10 MB instead of 15 in the archive).
bundle-archive: $(STAMP)
	$(MAKE) bundle PYZ_LEVEL=0 BUNDLE_WORK=build/pyinstaller-stored
	@out=dist/fieldbook-$$($(BIN)/python -c 'import app; print(app.__version__)')-linux-$$(uname -m).tar.zst; \
	tar -C dist --sort=name --owner=0 --group=0 --numeric-owner -cf - fieldbook | zstd -19 --long=27 -T0 -q -f -o $$out && \
	echo "archive: $$out, $$(( $$(stat -c %s $$out) / 1000000 )) MB"

wheel: $(STAMP)
	$(BIN)/python -m pip wheel --quiet --no-deps -w dist .

# Desktop integration for the current user: launcher, icons, AppStream metadata, MIME type.
DATA_HOME ?= $(or $(XDG_DATA_HOME),$(HOME)/.local/share)
install-desktop: $(STAMP)
	$(BIN)/python packaging/build_icons.py build/icons > /dev/null
	for size in 16 24 32 48 64 128 256 512; do \
	  install -Dm644 build/icons/fieldbook-$$size.png $(DATA_HOME)/icons/hicolor/$${size}x$${size}/apps/fieldbook.png; \
	done
	install -Dm644 resources/icons/fieldbook.svg $(DATA_HOME)/icons/hicolor/scalable/apps/fieldbook.svg
	install -Dm644 packaging/linux/fieldbook.desktop $(DATA_HOME)/applications/fieldbook.desktop
	install -Dm644 packaging/linux/io.github.fieldbook.Fieldbook.metainfo.xml $(DATA_HOME)/metainfo/io.github.fieldbook.Fieldbook.metainfo.xml
	install -Dm644 packaging/linux/fieldbook-workspace.xml $(DATA_HOME)/mime/packages/fieldbook-workspace.xml
	-update-desktop-database $(DATA_HOME)/applications 2>/dev/null
	-update-mime-database $(DATA_HOME)/mime 2>/dev/null

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache .mypy_cache
