"""The bundle's Babel keep-list: what money formatting is tested with ships, every kept locale
loads from the kept files alone, and a locale left out formats money as en_US."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import babel.localedata
import pytest
from babel import Locale
from babel.numbers import format_currency

from app.services import money

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("bundle_data", ROOT / "packaging" / "bundle_data.py")
assert _spec is not None and _spec.loader is not None
bundle_data = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bundle_data)

ALL_LOCALE_DATA = Path(babel.localedata._dirname)


def _clear_babel_caches() -> None:
    babel.localedata.clear_caches()
    babel.localedata.exists.cache_clear()
    babel.localedata.locale_identifiers.cache_clear()
    money.set_locale(None)


@pytest.fixture
def trimmed_babel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Babel reading only the locale files the bundle keeps, as it does inside the bundle."""
    kept = tmp_path / "locale-data"
    kept.mkdir()
    for data in ALL_LOCALE_DATA.iterdir():
        if bundle_data.babel_keeps(data.name):
            shutil.copy(data, kept / data.name)
    monkeypatch.setattr(babel.localedata, "_dirname", str(kept))
    _clear_babel_caches()
    yield kept
    monkeypatch.undo()
    _clear_babel_caches()


def test_keeps_the_locales_money_is_tested_with() -> None:
    tests = (ROOT / "tests" / "services" / "test_money.py").read_text()
    tested = set(re.findall(r"set_locale\(\"([A-Za-z_-]+)\"\)", tests))
    known = {name for name in tested if babel.localedata.exists(name.replace("-", "_"))}
    assert {"en_US", "de_DE", "fr_FR"} <= known
    assert {name for name in known if not bundle_data.babel_keeps(f"{name}.dat")} == set()


def test_keeps_root_and_drops_what_no_kept_language_needs() -> None:
    assert bundle_data.babel_keeps("root.dat")
    assert bundle_data.babel_keeps("en_001.dat") and bundle_data.babel_keeps("zh_Hant_TW.dat")
    assert not bundle_data.babel_keeps("sw_KE.dat")
    kept = [p for p in ALL_LOCALE_DATA.glob("*.dat") if bundle_data.babel_keeps(p.name)]
    kept_mb = sum(p.stat().st_size for p in kept) / 1e6
    assert kept_mb < 12, f"the Babel keep-list grew to {kept_mb:.1f} MB"


def test_every_kept_locale_loads_from_the_kept_files(trimmed_babel: Path) -> None:
    """Babel merges each locale over its parents (de_CH <- de <- root, es_MX <- es_419 <- es,
    pt_AO <- pt_PT, nn <- no): a parent outside the keep-list breaks the child."""
    identifiers = babel.localedata.locale_identifiers()
    assert len(identifiers) > 300
    for name in identifiers:
        locale = Locale.parse(name)
        assert locale.currency_formats["standard"] is not None, name
        assert "1" in format_currency(1234.5, "EUR", locale=locale), name


def test_a_dropped_locale_formats_money_as_en_us(
    trimmed_babel: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert not (trimmed_babel / "sw_KE.dat").exists()
    with pytest.raises(ValueError):
        money.set_locale("sw_KE")
    # What the app does then (app.views.app): back to the default, the process locale.
    monkeypatch.setenv("LC_ALL", "sw_KE.UTF-8")
    money.set_locale(None)
    assert str(money.current_locale()) == "en_US"
    assert money.format_money(12_500_050, "USD", exact=True) == "$125,000.50"
    money.set_locale("de_CH")
    assert money.format_money(12_500_000, "CHF").startswith("CHF")


def test_icu_keeps_what_qt_asks_for() -> None:
    kept = (
        "res_index.res pool.res root.res zoneinfo64.res metaZones.res cnvalias.icu "
        "ibm-943_P15A-2003.cnv coll/ucadata.icu coll/de.res zone/ja.res region/pool.res "
        "de_CH.res zh_Hant_TW.res"
    )
    dropped = (
        "brkitr/cjdict.dict translit/root.res curr/de.res lang/en.res unit/fr.res coll/sw.res "
        "zone/sw_KE.res haw.res unames.icu"
    )
    assert [item for item in kept.split() if not bundle_data.icu_keeps(item)] == []
    assert [item for item in dropped.split() if bundle_data.icu_keeps(item)] == []


ICU_PROBE = """
from PySide6.QtCore import QCollator, QLocale, QStringDecoder, QTimeZone
zone = QTimeZone(b"Europe/Berlin")
name = zone.displayName(QTimeZone.TimeType.StandardTime, QTimeZone.NameType.LongName,
                        QLocale("de_DE"))
print(QCollator(QLocale("sv_SE")).compare("z", "\\u00e4") < 0,
      QCollator(QLocale("de_DE")).compare("\\u00e4", "b") < 0,
      name, QStringDecoder("Shift_JIS").isValid(), QLocale("tr_TR").toUpper("i"))
"""


@pytest.mark.skipif(
    not (shutil.which("icupkg") and shutil.which("cc")), reason="needs icupkg and a C compiler"
)
def test_slim_icu_data_still_serves_qt(tmp_path: Path) -> None:
    """Qt loaded over the slimmed libicudata collates, names zones, converts and upper-cases
    as over the whole one (the library is preloaded, so its data symbol wins)."""
    import PySide6

    whole = next(Path(PySide6.__file__).parent.glob("Qt/lib/libicudata.so.*"))
    slim = tmp_path / whole.name
    shutil.copyfile(whole, slim)
    before, after = bundle_data.slim_icu_data(slim, tmp_path / "work")
    assert after < before * 0.5

    def probe(preload: Path | None) -> str:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        if preload is not None:
            env["LD_PRELOAD"] = str(preload)
        done = subprocess.run(
            [sys.executable, "-c", ICU_PROBE], env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    expected = "True True Mitteleuropäische Normalzeit True \u0130\n"
    assert probe(None) == expected
    assert probe(slim) == expected


@pytest.mark.skipif(not shutil.which("strip"), reason="needs binutils' strip")
def test_strip_keeps_what_would_no_longer_load(tmp_path: Path) -> None:
    """numpy's OpenBLAS stops loading once stripped and stays whole; Pillow's FreeType,
    patched by the same auditwheel, loads stripped and gets smaller."""
    import numpy
    import PIL

    site = Path(numpy.__file__).parents[1]
    (openblas,) = shutil.copytree(site / "numpy.libs", tmp_path / "numpy.libs").glob("*openblas*")
    whole = openblas.read_bytes()
    assert not bundle_data.strip_if_it_still_loads(openblas)
    assert openblas.read_bytes() == whole

    pillow_libs = shutil.copytree(Path(PIL.__file__).parents[1] / "pillow.libs", tmp_path / "p")
    (freetype,) = pillow_libs.glob("libfreetype*")
    before = freetype.stat().st_size
    assert bundle_data.strip_if_it_still_loads(freetype)
    assert freetype.stat().st_size < before
