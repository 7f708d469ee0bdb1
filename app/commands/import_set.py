"""``fieldbook import FOLDER|EXPORT.zip``: a whole CRM export, every file at once."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.commands import UsageError


def run_set(args: argparse.Namespace, path: Path) -> int:
    """Import every file of an export; one report, one commit, one undo."""
    from app.imports.detection import describe_guess
    from app.imports.export_set import import_export, open_export
    from app.imports.fields import kind_words
    from app.imports.report import issue_lines, mapping_lines
    from app.imports.sources import ImportRefused
    from app.models.opening import is_url, open_workspace, resolve_target

    if args.mapping or args.kind or args.sheet or args.rejects:
        raise UsageError(
            "--kind, --mapping, --sheet and --rejects apply to one file, not a folder or .zip."
        )
    with open_export(path) as export:
        if args.renewal_deals:
            for entry in export.files:
                if entry.mapping is not None:
                    entry.mapping.renewal_deals = args.renewal_deals
        print(f"{path.name}: {len(export.files)} files.")
        for entry in export.files:
            if entry.skipped is not None:
                print(f"  {entry.name}: left out ({entry.skipped}).")
            elif entry.candidates:
                shown = "; ".join(describe_guess(m) for m in entry.candidates)
                print(f"  {entry.name}: fits more than one kind ({shown}).")
            elif entry.mapping is not None:
                print(f"  {entry.name}: {describe_guess(entry.mapping)}.")
        if export.undecided:
            names = ", ".join(e.name for e in export.undecided)
            raise ImportRefused(
                f"The columns of {names} fit more than one kind; import that file on its own "
                "with --kind, or take it out of the folder."
            )
        target = resolve_target(args.db)
        new_path = None if is_url(target) else Path(target).expanduser().absolute()
        if new_path is not None and new_path.exists():
            new_path = None
        store = open_workspace(args.db, create=True)
        committed = False
        try:
            before = None
            if new_path is None and store.path is not None:  # a server: pg_dump's job
                from app.services.backup import make_backup

                def before() -> None:
                    make_backup(store, "import")

            outcome = import_export(
                store,
                export,
                match=args.match,
                dry_run=args.dry_run,
                skip_bad_rows=args.skip_bad_rows,
                overwrite_edits=args.overwrite_edits,
                before_commit=before,
            )
            committed = outcome.committed
        finally:
            store.close()
            if new_path is not None and not committed:
                for suffix in ("", "-wal", "-shm", "-journal"):
                    Path(f"{new_path}{suffix}").unlink(missing_ok=True)
    for plan in outcome.plans:
        print(
            f"{plan.file_name} ({plan.described_as}) as {kind_words(plan.kind)}: "
            f"{plan.summary(done=outcome.committed)}."
        )
        if args.dry_run or not plan.ok:
            for line in mapping_lines(plan):
                print(f"  {line}")
        for line in [*plan.notes, *issue_lines(plan)]:
            print(f"  {line}")
    if not outcome.ok:
        count = sum(len(p.errors) for p in outcome.plans)
        problems = "1 problem needs" if count == 1 else f"{count:,} problems need"
        raise UsageError(f"Nothing was imported: {problems} fixing in the export first.")
    if args.dry_run:
        print("Dry run: nothing was changed.")
        return 0
    if not outcome.committed:
        print("Nothing changed: the workspace already holds every record as the export has it.")
        return 0
    print(f"Imported (batch {outcome.batch_id}; undo with --undo {outcome.batch_id}).")
    return 0
