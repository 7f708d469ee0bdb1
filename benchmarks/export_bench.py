"""Export benchmarks: one QBR deck, one brief, the 10,000-account report, 25 decks in batch.

Each ``bench_*`` function returns ``(median, floor, target)`` in seconds: the median of several
runs, a floor timed in the same run (so results compare across machines as ratios) and the
issue's target. The report's target is a ratio (1.5x its floor: the same cells written with
openpyxl's write-only mode alone); the others are seconds after imports. Run:

    python -m benchmarks.export_bench [--quick]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import text

from app.models import new_id
from app.models.store import Store, open_workspace

Result = tuple[float, float, float]
TODAY = date(2026, 11, 20)
ACCOUNTS = 10_000
WEEKS = 104


#: CPU seconds (this process) of the last measured subject and floor, by benchmark name: on a
#: shared machine the wall clock also counts waiting for a core; CPU time does not.
CPU: dict[str, tuple[float, float]] = {}


def _median(action: Callable[[], Any], runs: int, cpu: list[float] | None = None) -> float:
    times = []
    cpu_times = []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        action()
        times.append(time.perf_counter() - started)
        cpu_times.append(time.process_time() - started_cpu)
    if cpu is not None:
        cpu.append(statistics.median(cpu_times))
    return statistics.median(times)


def build_book(path: Path, accounts: int = ACCOUNTS, weeks: int = WEEKS) -> Store:
    """A book of ``accounts`` (one in ten a parent of the next nine) with full history."""
    rng = random.Random(7)
    store = open_workspace(path, create=True)
    now = "2026-11-20 00:00:00"
    account_rows, health_rows, metric_rows = [], [], []
    contract_rows, renewal_rows, people_rows, risk_rows, task_rows = [], [], [], [], []
    plan_rows, goal_rows, milestone_rows = [], [], []
    parent = None
    for index in range(accounts):
        aid = new_id(rng)
        parent = aid if index % 10 == 0 else parent
        arr = rng.randrange(20_000, 2_000_000) * 100
        account_rows.append(
            (aid, None if index % 10 == 0 else parent, f"Account {index:05d}", "enterprise",
             f"CSM {index % 40:02d}", "onboarding", "USD", arr, arr, 400, now, now)
        )  # fmt: skip
        score = rng.uniform(30, 90)
        for week in range(weeks):
            as_of = (TODAY - timedelta(weeks=weeks - 1 - week)).isoformat()
            score = max(1.0, min(99.0, score + rng.uniform(-4, 4)))
            band = "red" if score < 50 else "green" if score >= 75 else "yellow"
            health_rows.append((aid, as_of, round(score, 1), band))
            if week >= weeks - 26:
                metric_rows.append(
                    (aid, as_of, 200 + week, 400, rng.randint(0, 9),
                     rng.randint(0, 12), rng.randint(0, 2), 20.0, 4.2)
                )  # fmt: skip
        cid = new_id(rng)
        end = (TODAY + timedelta(days=rng.randint(1, 500))).isoformat()
        contract_rows.append((cid, aid, "Subscription", "2024-01-01", end, arr, "USD", 90, 0,
                              "active", now, now))  # fmt: skip
        forecast = rng.choice(["commit", "likely", "at_risk", None])
        renewal_rows.append((new_id(rng), cid, forecast, 70, "Send quote", now, now))
        for role, sentiment in (("economic_buyer", 1), ("champion", 2), ("blocker", -2)):
            people_rows.append((new_id(rng), aid, f"{role} {index}", "VP", role, sentiment, 4, 3,
                                0, 0, 0, now, now))  # fmt: skip
        risk_rows.append((new_id(rng), aid, "implementation", "Integration late", "high", "open",
                          0, "Owner", "Stand-up", "2026-10-01", now, now))  # fmt: skip
        task_rows.append((new_id(rng), aid, "Share plan", "2026-12-01", "Owner", 0, now, now))
        pid, gid = new_id(rng), new_id(rng)
        plan_rows.append((pid, aid, "Success plan", now, now))
        goal_rows.append((gid, pid, "Faster bookings", "on_track", "2027-01-31", 0))
        milestone_rows.append((new_id(rng), gid, "Pilot", "2026-10-15", "Owner", "done"))
    with store.engine.begin() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        raw.executemany(
            "INSERT INTO account (id, parent_id, name, segment, owner, lifecycle_stage, currency, "
            "arr_minor, baseline_revenue_minor, licences, created_at, updated_at, "
            "forecast_revenue_minor, usage_target_minor, usage_actual_minor, "
            "price_erosion_minor, terminations_minor, service_credits_minor, overdue_debt_minor)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,0,0,0,0,0,0,0)",
            account_rows,
        )
        raw.executemany(
            "INSERT INTO health_score (account_id, as_of, score, band, breakdown) "
            "VALUES (?,?,?,?,'[0]')",
            health_rows,
        )
        raw.executemany(
            "INSERT INTO metric_snapshot (account_id, as_of, active_users, licensed_users, "
            "tickets_new, tickets_open, tickets_p1, hours_to_resolve, csat) "
            "VALUES (?,?,?,?,?,?,?,?,?)",
            metric_rows,
        )
        raw.executemany(
            "INSERT INTO contract (id, account_id, name, start_date, end_date, value_minor, "
            "currency, notice_days, auto_renew, status, created_at, updated_at) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            contract_rows,
        )
        raw.executemany(
            "INSERT INTO renewal (id, contract_id, forecast, likelihood, next_step, created_at, "
            "updated_at) VALUES (?,?,?,?,?,?,?)",
            renewal_rows,
        )
        raw.executemany(
            "INSERT INTO stakeholder (id, account_id, name, title, role, sentiment, influence, "
            "relationship_strength, is_executive_sponsor, departed, departed_is_lead, "
            "created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            people_rows,
        )
        raw.executemany(
            "INSERT INTO risk (id, account_id, category, title, severity, status, is_escalation, "
            "owner, mitigation, opened_on, created_at, updated_at) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            risk_rows,
        )
        raw.executemany(
            "INSERT INTO task (id, account_id, title, due_on, owner, done, created_at, updated_at)"
            " VALUES (?,?,?,?,?,?,?,?)",
            task_rows,
        )
        raw.executemany(
            "INSERT INTO success_plan (id, account_id, title, created_at, updated_at) "
            "VALUES (?,?,?,?,?)",
            plan_rows,
        )
        raw.executemany(
            "INSERT INTO goal (id, plan_id, title, status, target_on, position) "
            "VALUES (?,?,?,?,?,?)",
            goal_rows,
        )
        raw.executemany(
            "INSERT INTO milestone (id, goal_id, title, due_on, owner, status) "
            "VALUES (?,?,?,?,?,?)",
            milestone_rows,
        )
    return store


def _first_ids(store: Store, count: int) -> list[str]:
    with store.read() as session:
        return list(
            session.execute(
                text("SELECT id FROM account ORDER BY name LIMIT :n"), {"n": count}
            ).scalars()
        )


def bench_deck(store: Store, folder: Path, runs: int = 7) -> Result:
    """One QBR deck with its charts, after imports; floor: open the template and save it."""
    from pptx import Presentation

    from app.exports.qbr import export_qbr
    from app.exports.qbr_deck import default_template

    account = _first_ids(store, 1)[0]
    out = folder / "deck.pptx"
    export_qbr(store, account, out, today=TODAY)  # warm-up: imports, caches
    median = _median(lambda: export_qbr(store, account, out, today=TODAY), runs)
    floor = _median(
        lambda: Presentation(str(default_template())).save(str(folder / "f.pptx")), runs
    )
    return median, floor, 0.5


def bench_brief(store: Store, folder: Path, runs: int = 5) -> Result:
    """One QBR brief with two chart pictures; floor: an empty python-docx document saved."""
    from docx import Document

    from app.exports.qbr import export_qbr

    account = _first_ids(store, 1)[0]
    out = folder / "brief.docx"
    export_qbr(store, account, out, today=TODAY)
    cpu: list[float] = []
    median = _median(lambda: export_qbr(store, account, out, today=TODAY), runs, cpu)
    floor = _median(lambda: Document().save(str(folder / "f.docx")), runs, cpu)
    CPU["brief"] = (cpu[0], cpu[1])
    return median, floor, 1.0


def bench_batch(store: Store, folder: Path, runs: int = 3) -> Result:
    """25 decks in one batch; floor: 25 template open-and-saves."""
    from pptx import Presentation

    from app.exports.qbr_batch import export_qbr_batch
    from app.exports.qbr_deck import default_template

    ids = _first_ids(store, 25)
    batch = folder / "batch"
    batch.mkdir(exist_ok=True)

    def run() -> None:
        outcome = export_qbr_batch(store, batch, account_ids=ids, today=TODAY)
        assert len(outcome.written) == 25 and not outcome.failures

    def floor_run() -> None:
        for index in range(25):
            Presentation(str(default_template())).save(str(batch / f"f{index}.pptx"))

    cpu: list[float] = []
    median, floor = _median(run, runs, cpu), _median(floor_run, runs, cpu)
    CPU["batch"] = (cpu[0], cpu[1])
    return median, floor, 10.0


def bench_report(store: Store, folder: Path, runs: int = 3) -> Result:
    """The whole book's report; floor: the same cells written with write-only mode alone.

    The target is a ratio: the report may take at most 1.5x its floor.
    """
    import openpyxl

    from app.exports.portfolio_report import export_report

    out = folder / "report.xlsx"
    export_report(store, out, today=TODAY)
    workbook = openpyxl.load_workbook(out, read_only=True)
    sheets = {ws.title: [list(row) for row in ws.iter_rows(values_only=True)] for ws in workbook}
    workbook.close()

    def floor_run() -> None:
        plain = openpyxl.Workbook(write_only=True)
        for title, rows in sheets.items():
            ws = plain.create_sheet(title)
            for row in rows:
                ws.append(row)
        plain.save(str(folder / "floor.xlsx"))

    medians: list[float] = []
    floors: list[float] = []
    subject_cpu: list[float] = []
    floor_cpu: list[float] = []
    for _ in range(runs):
        # Alternate, so a busy spell on the machine hits both alike.
        floors.append(_median(floor_run, 1, floor_cpu))
        medians.append(_median(lambda: export_report(store, out, today=TODAY), 1, subject_cpu))
    median, floor = statistics.median(medians), statistics.median(floors)
    CPU["report"] = (statistics.median(subject_cpu), statistics.median(floor_cpu))
    return median, floor, 1.5 * floor


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.export_bench")
    parser.add_argument("--quick", action="store_true", help="1,000 accounts, fewer runs")
    args = parser.parse_args(argv)
    accounts = 1_000 if args.quick else ACCOUNTS
    missed = 0
    with tempfile.TemporaryDirectory(prefix="fieldbook-export-bench-") as name:
        folder = Path(name)
        started = time.perf_counter()
        store = build_book(folder / "book.db", accounts)
        print(
            f"book: {accounts:,} accounts x {WEEKS} weeks in {time.perf_counter() - started:.1f} s"
        )
        try:
            for key, label, bench in (
                ("deck", "one QBR deck", bench_deck),
                ("brief", "one QBR brief", bench_brief),
                ("batch", "25 decks in batch", bench_batch),
                ("report", f"portfolio report, {accounts:,} accounts", bench_report),
            ):
                median, floor, target = bench(store, folder)
                verdict = "ok" if median <= target else "MISS"
                missed += verdict == "MISS"
                cpu, cpu_floor = CPU[key]
                print(
                    f"{label}: median {median:.3f} s, floor {floor:.3f} s, "
                    f"ratio {median / floor:.2f}x, target <= {target:.3f} s -> {verdict}; "
                    f"CPU {cpu:.3f} s (floor {cpu_floor:.3f} s, ratio {cpu / cpu_floor:.2f}x)",
                    flush=True,
                )
        finally:
            store.close()
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
