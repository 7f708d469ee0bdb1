"""Which of the dependencies' data files the bundle keeps (read by fieldbook.spec and tests).

Babel ships CLDR data for ~330 languages (32 MB); money is formatted in the user's locale,
so the bundle keeps every locale of the languages a business desktop runs its whole UI in:
the union of the display languages Windows and macOS ship. A locale outside them formats
money as ``en_US`` does (``app.services.money`` falls back when Babel does not know it).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

_DESKTOP_LANGUAGES = (
    "ar bg ca cs da de el en es et fi fr he hi hr hu id it ja ko lt lv ms nb nl nn no pl pt "
    "ro ru sk sl sr sv th tr uk vi zh"
)
BABEL_LANGUAGES = frozenset(_DESKTOP_LANGUAGES.split())


def babel_keeps(filename: str) -> bool:
    """Whether ``babel/locale-data/<filename>`` ships: root, and each kept language's locales
    (every territory and script: ``de_CH``, ``zh_Hant_TW``); files that are not locale data
    are kept."""
    stem, _, extension = filename.rpartition(".")
    if extension != "dat":
        return True
    return stem == "root" or stem.split("_")[0] in BABEL_LANGUAGES


# ICU's data (libicudata, 31 MB) serves every ICU API in every locale; Qt Core calls only
# converters (ucnv), collation (ucol), case mapping and time zone ids and names (ucal), so
# the break-iterator dictionaries, transliterators, spelled-out numbers and the display
# names of currencies, languages and units go, and the locale-specific trees keep the same
# languages as Babel (another locale collates and names zones as ICU's root does).
ICU_DROPPED_TREES = ("brkitr/", "translit/", "rbnf/", "curr/", "lang/", "unit/")
ICU_DROPPED_ITEMS = frozenset({"unames.icu"})
ICU_LOCALE_TREES = ("", "coll/", "zone/", "region/")


def icu_keeps(item: str) -> bool:
    """Whether ICU data item ``item`` (as ``icupkg -l`` lists it: ``coll/de.res``) ships."""
    if item in ICU_DROPPED_ITEMS or item.startswith(ICU_DROPPED_TREES):
        return False
    tree, _, name = item.rpartition("/")
    stem, _, extension = name.partition(".")
    if f"{tree}/".lstrip("/") not in ICU_LOCALE_TREES or extension != "res":
        return True
    language = stem.split("_")[0]
    is_locale = language.isalpha() and language.islower() and 2 <= len(language) <= 3
    return not is_locale or stem == "res_index" or language in BABEL_LANGUAGES


def slim_icu_data(library: Path, work: Path) -> tuple[int, int]:
    """Rewrite ``library`` (libicudata.so.NN) with only the items ``icu_keeps``.

    Needs ICU's ``icupkg`` (Debian: icu-devtools; its package format reads newer ICU data)
    and a C compiler. Returns the library's size before and after, in bytes.
    """
    symbols = subprocess.run(
        ["nm", "-D", "-S", "--defined-only", str(library)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    (symbol,) = [word for word in symbols if re.fullmatch(r"icudt\d+_dat", word)]
    address, size = (int(symbols[symbols.index(symbol) - n], 16) for n in (3, 2))
    offset = _file_offset(library, address)
    blob = library.read_bytes()[offset : offset + size]
    work.mkdir(parents=True, exist_ok=True)
    package = work / f"{symbol[:-4]}l.dat"
    package.write_bytes(blob)
    listed = subprocess.run(
        ["icupkg", "-l", str(package)], check=True, capture_output=True, text=True
    ).stdout.split()
    dropped = work / "dropped.txt"
    dropped.write_text("".join(f"{item}\n" for item in listed if not icu_keeps(item)))
    subprocess.run(["icupkg", "-r", str(dropped), str(package)], check=True, capture_output=True)
    source = work / "icudata.S"
    source.write_text(
        f"\t.section .rodata\n\t.globl {symbol}\n\t.type {symbol}, @object\n\t.balign 16\n"
        f'{symbol}:\n\t.incbin "{package}"\n\t.size {symbol}, . - {symbol}\n'
        '\t.section .note.GNU-stack,"",@progbits\n'
    )
    slim = work / library.name
    subprocess.run(
        ["cc", "-shared", "-nostdlib", f"-Wl,-soname,{library.name}", "-o", str(slim),
         str(source)],
        check=True,
    )  # fmt: skip
    before = library.stat().st_size
    shutil.copyfile(slim, library)
    return before, library.stat().st_size


def _file_offset(library: Path, address: int) -> int:
    """Where the virtual ``address`` lies in the file (the section that holds it)."""
    sections = subprocess.run(
        ["readelf", "-S", "-W", str(library)], check=True, capture_output=True, text=True
    ).stdout
    for match in re.finditer(
        r"\]\s+\S+\s+\S+\s+([0-9a-f]{16})\s+([0-9a-f]+)\s+([0-9a-f]+)", sections
    ):
        start, file_offset, length = (int(group, 16) for group in match.groups())
        if start <= address < start + length:
            return address - start + file_offset
    raise ValueError(f"{library} has no section holding {address:#x}")


def strip_if_it_still_loads(binary: Path) -> bool:
    """Strip ``binary`` of what the loader does not need, unless it then no longer loads.

    Some libraries auditwheel patched lose their ELF layout to ``strip`` (numpy's OpenBLAS:
    "ELF load command address/offset not page-aligned"), others do not (Pillow's ``_imaging``
    sheds 2.7 MB of debug info): loading each one in a fresh process tells them apart.
    """
    original = binary.read_bytes()
    subprocess.run(["strip", "--strip-unneeded", str(binary)], check=False, capture_output=True)
    if binary.read_bytes() == original:
        return False
    probe = subprocess.run(
        [sys.executable, "-c", "import ctypes, sys; ctypes.CDLL(sys.argv[1])", str(binary)],
        check=False,
        capture_output=True,
    )
    if probe.returncode != 0:
        binary.write_bytes(original)
        return False
    return True
