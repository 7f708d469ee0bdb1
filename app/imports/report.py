"""What an import did, in words a CSM can act on: the mapping used, ignored columns, issues."""

from __future__ import annotations

import csv
from pathlib import Path

from app.imports.fields import FIELDS, field_spec
from app.imports.plan_model import ImportPlan
from app.imports.records import Issue
from app.imports.sources import Table
from app.imports.values import clean_text
from app.services.labels import quoted

#: Errors and warnings listed before "... and N more".
SHOWN_ISSUES = 50


def mapping_lines(plan: ImportPlan) -> list[str]:
    """``  “StageName” → Stage (30 of 30 rows)`` per mapped field (the field named as the
    wizard's mapping page names it), then the ignored columns."""
    mapping = plan.mapping
    if mapping is None:
        return []
    lines = ["Mapping used (column → field, rows filled):"]
    for key in [spec.key for spec in FIELDS[mapping.kind] if spec.key in mapping.columns]:
        headers = mapping.headers_of(key)
        shown = " or ".join(quoted(h) for h in headers)
        label = field_spec(mapping.kind, key).label
        filled = plan.filled.get(key, 0)
        lines.append(f"  {shown} → {label} ({filled:,} of {plan.rows_read:,} rows)")
    if plan.ignored:
        lines.append("Ignored columns: " + ", ".join(quoted(h) for h in plan.ignored) + ".")
    else:
        lines.append("Ignored columns: none.")
    return lines


def issue_kinds(plan: ImportPlan) -> tuple[tuple[str, list[Issue]], ...]:
    """The plan's issues by the word for their kind: ``Error``, ``Warning``, ``Conflict``
    (the word the summary counts them by). The wizard starts each issue with it (``Conflict,
    row 2: …``), the command line heads each group with it (``Conflicts:``); the message says
    the rest (a conflict says that the record was edited in Fieldbook), so nothing is said
    twice."""
    return (("Error", plan.errors), ("Warning", plan.warnings), ("Conflict", plan.conflicts))


def issue_lines(plan: ImportPlan, shown: int = SHOWN_ISSUES) -> list[str]:
    """The errors, then the warnings, each ``row N (Column): message``, capped at ``shown``."""
    lines = []
    if plan.changed:
        lines.append("Updates (row, record: fields changed):")
        lines.extend(
            f"  {f'row {row}, ' if row else ''}{name}: {', '.join(fields)}"
            for row, name, fields in plan.changed[:shown]
        )
        if len(plan.changed) > shown:
            lines.append(f"  ... and {len(plan.changed) - shown:,} more")
    for word, issues in issue_kinds(plan):
        if issues:
            lines.append(f"{word}s:")
            lines.extend(f"  {issue}" for issue in issues[:shown])
            if len(issues) > shown:
                lines.append(f"  ... and {len(issues) - shown:,} more")
    return lines


def write_rejects(table: Table, plan: ImportPlan, path: str | Path) -> int:
    """Write the rows left out, as read, with a Reason column; returns how many."""
    reasons: dict[int, list[str]] = {}
    for issue in plan.errors:
        if issue.row > 0:
            column = f"{issue.column}: " if issue.column else ""
            reasons.setdefault(issue.row, []).append(column + issue.message)
    path = Path(path)
    count = 0
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([*table.headers, "Reason"])
        width = len(table.headers)
        for row in table.rows():
            found = reasons.get(row.number)
            if found is None:
                continue
            cells = [clean_text(c) or "" for c in row.cells[:width]]
            cells += [""] * (width - len(cells))
            writer.writerow([*cells, "; ".join(found)])
            count += 1
    return count
