"""Which of the dependencies' data files the bundle keeps (read by fieldbook.spec and tests).

Babel ships CLDR data for ~330 languages (32 MB); money is formatted in the user's locale,
so the bundle keeps every locale of the languages a business desktop runs its whole UI in:
the union of the display languages Windows and macOS ship. A locale outside them formats
money as ``en_US`` does (``app.services.money`` falls back when Babel does not know it).
"""

from __future__ import annotations

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
