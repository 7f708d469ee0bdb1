"""What every export shares: formula-safe text, our document properties, atomic writes and
the result it reports."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

#: An export's progress callback: (done, total, what is happening now).
Progress = Callable[[int, int, str], None]

#: Text starting with one of these can become a formula, a DDE call or a hyperlink payload
#: in a spreadsheet program (OWASP "CSV injection"); we store it as text, never as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")

#: Control characters XML 1.0 cannot hold (tab, LF and CR are allowed).
_ILLEGAL_XML_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

#: Spreadsheet error literals that openpyxl would otherwise store as error cells.
_ERROR_LITERALS = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"}
)

APPLICATION = "Fieldbook"


class ExportError(Exception):
    """An export cannot be written; the message is one sentence for the user."""


@dataclass
class BuiltDocument:
    """A document built in memory (a python-pptx presentation or a python-docx document),
    the titles of its sections in order, and what the user should be told about it."""

    document: Any
    sections: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def note_left_out(self, left_out: list[str]) -> str | None:
        """Tell the user which sections were left out for lack of data; returns the note."""
        if not left_out:
            return None
        note = "Left out for lack of data: " + "; ".join(left_out) + "."
        self.notes.append(note)
        return note


@dataclass
class ExportResult:
    """What a document export wrote, and what the user should be told about it (the export
    dialog and the command line show it)."""

    #: The file written; for a batch, the folder the files went into.
    path: Path
    #: What it holds, in order: a deck's or brief's sections, a workbook's sheets, or the
    #: files a batch wrote.
    parts: list[str] = field(default_factory=list)
    #: One sentence each: what was left out, what failed, what the figures leave out.
    notes: list[str] = field(default_factory=list)


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet program could read ``text`` as a formula or payload."""
    return text.startswith(FORMULA_TRIGGERS) or text in _ERROR_LITERALS


def clean_text(text: str) -> str:
    """``text`` without the control characters an Office file cannot hold."""
    return _ILLEGAL_XML_CHARS.sub("", text)


@dataclass(frozen=True)
class DocumentInfo:
    """The document properties we write into every file, replacing the libraries' defaults."""

    title: str
    author: str = APPLICATION
    company: str = ""
    subject: str = ""
    created: datetime = field(default_factory=lambda: datetime.now(UTC).replace(microsecond=0))

    @property
    def last_modified_by(self) -> str:
        """Whoever made the document also last modified it: it is made in one go."""
        return self.author

    @property
    def modified(self) -> datetime:
        """Made in one go, so modified when created."""
        return self.created

    def naive_utc(self) -> datetime:
        """``created`` as naive UTC, the form openpyxl and XlsxWriter expect."""
        return self.created.astimezone(UTC).replace(tzinfo=None)


def app_properties_xml(info: DocumentInfo) -> bytes:
    """A ``docProps/app.xml`` naming our application and the company."""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/'
        '2006/docPropsVTypes">'
        f"<Application>{APPLICATION}</Application>"
        f"<Company>{escape(clean_text(info.company))}</Company>"
        "</Properties>"
    ).encode()


def apply_opc_properties(document: Any, info: DocumentInfo) -> None:
    """Set core and app properties on a python-pptx Presentation or python-docx Document."""
    props = document.core_properties
    props.title = clean_text(info.title)
    props.author = clean_text(info.author)
    props.last_modified_by = clean_text(info.last_modified_by)
    props.subject = clean_text(info.subject)
    props.comments = ""
    props.keywords = ""
    props.category = ""
    props.revision = 1
    # Both libraries store naive datetimes as UTC ("Z").
    props.created = info.naive_utc()
    props.modified = info.naive_utc()
    package = document.part.package
    for part in package.iter_parts():
        if str(part.partname) == "/docProps/app.xml":
            part._blob = app_properties_xml(info)


def check_output_path(path: Path, suffixes: tuple[str, ...]) -> Path:
    """Refuse, in one sentence, an output path that cannot be written; return it absolute."""
    path = path.expanduser().absolute()
    if path.suffix.lower() not in suffixes:
        wanted = " or ".join(suffixes)
        raise ExportError(f"{path.name} must end in {wanted}.")
    folder = path.parent
    if not folder.exists():
        raise ExportError(f"The folder {folder} does not exist.")
    if not folder.is_dir():
        raise ExportError(f"{folder} is not a folder.")
    if path.is_dir():
        raise ExportError(f"{path} is a folder, not a file.")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ExportError(f"The folder {folder} is not writable: permission denied.")
    if path.exists() and not os.access(path, os.W_OK):
        raise ExportError(f"{path} cannot be replaced: permission denied.")
    return path


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """Yield a temp file next to ``path``; on success it replaces ``path`` in one rename.

    On any error the temp file is removed and a previous ``path`` is left untouched.
    """
    try:
        handle, temp_name = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.stem}.", suffix=f"{path.suffix}.part"
        )
    except PermissionError as exc:
        raise ExportError(f"The folder {path.parent} is not writable: permission denied.") from exc
    except FileNotFoundError as exc:
        raise ExportError(f"The folder {path.parent} does not exist.") from exc
    os.close(handle)
    temp = Path(temp_name)
    try:
        yield temp
        _fsync(temp)
        # mkstemp makes the file private (0600); give it what a plain open() would.
        temp.chmod(path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask())
        temp.replace(path)
    except PermissionError as exc:
        temp.unlink(missing_ok=True)
        raise ExportError(f"{path} cannot be written: permission denied.") from exc
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _fsync(path: Path) -> None:
    # A rename is only as durable as the bytes behind it.
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
