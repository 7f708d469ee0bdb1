"""The .ics feed reads back with icalendar: one event per entry, dates, time zones, UIDs."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import icalendar
import pytest

from app.exports import ics
from app.models.enums import ActivityKind, ForecastCategory, HealthBand, LifecycleStage, Segment
from app.models.store import Store
from app.services import renewals
from app.services.book_facts import account_summaries
from tests import renewal_book as book

TODAY = date(2027, 1, 4)
NOW = datetime(2027, 1, 4, 8, 30, tzinfo=UTC)


def _seed(store: Store) -> dict[str, str]:
    with store.session() as session:
        acme = book.account(session, 'Acme; Sons, "Ltd"', owner="Ana", arr_minor=25_000_000)
        beta = book.account(session, "Bêta Ünïcode GmbH", owner="Ben", currency="EUR")
        book.health(session, acme, date(2026, 12, 28), HealthBand.YELLOW, 60)
        first = book.contract(session, acme, date(2026, 4, 1), date(2027, 3, 31), 12_000_000)
        second = book.contract(
            session,
            beta,
            date(2026, 6, 1),
            date(2027, 5, 31),
            4_000_000,
            currency="EUR",
            notice_days=60,
        )
        renewals.set_forecast(session, first.id, ForecastCategory.LIKELY, likelihood=70, on=TODAY)
        call = book.touchpoint(session, acme, datetime(2027, 2, 10, 15, 0, tzinfo=UTC), title="QBR")
        book.task(session, beta, date(2027, 2, 1))
    return {"first": first.id, "second": second.id, "call": call.id}


def _export(store: Store, path: Path, **kwargs: object) -> icalendar.Calendar:
    with store.read() as session:
        ics.export_calendar(session, path, today=TODAY, days=180, now=NOW, **kwargs)  # type: ignore[arg-type]
    return icalendar.Calendar.from_ical(path.read_bytes())


def _events(cal: icalendar.Calendar) -> list[icalendar.Event]:
    return list(cal.walk("VEVENT"))


def test_feed_has_one_event_per_renewal_checkpoint_and_deadline(
    store: Store, tmp_path: Path
) -> None:
    ids = _seed(store)
    cal = _export(store, tmp_path / "renewals.ics", with_tasks=True)
    assert str(cal["PRODID"]).startswith("-//Fieldbook//")
    assert str(cal["VERSION"]) == "2.0"
    events = _events(cal)
    by_uid = {str(e["UID"]): e for e in events}
    assert len(by_uid) == len(events)
    for contract in (ids["first"], ids["second"]):
        assert f"renewal-{contract}@fieldbook" in by_uid
    # Acme renews 31 March: its 120- and 90-day checkpoints and its notice deadline
    # (1 and 31 December) lie before the window; Beta renews 31 May.
    checkpoints = {uid for uid in by_uid if uid.startswith("checkpoint-")}
    assert checkpoints == {
        f"checkpoint-60-{ids['first']}@fieldbook",
        f"checkpoint-30-{ids['first']}@fieldbook",
        *(f"checkpoint-{offset}-{ids['second']}@fieldbook" for offset in (120, 90, 60, 30)),
    }
    assert by_uid[f"checkpoint-30-{ids['first']}@fieldbook"].decoded("DTSTART") == date(2027, 3, 1)
    assert f"notice-{ids['first']}@fieldbook" not in by_uid
    assert by_uid[f"notice-{ids['second']}@fieldbook"].decoded("DTSTART") == date(2027, 4, 1)
    kinds = sorted(str(e["CATEGORIES"].cats[0]) for e in events)
    assert kinds.count("Renewal") == 2
    assert kinds.count("Checkpoint") == 6
    assert kinds.count("Touchpoint") == 1 and kinds.count("Task due") == 1
    # Without with_tasks the feed keeps to renewals, their dates and touchpoints.
    plain = _events(_export(store, tmp_path / "plain.ics"))
    assert len(plain) == len(events) - 1
    assert "Task due" not in {str(e["CATEGORIES"].cats[0]) for e in plain}


def test_all_day_events_have_date_values_and_exclusive_ends(store: Store, tmp_path: Path) -> None:
    ids = _seed(store)
    cal = _export(store, tmp_path / "renewals.ics")
    renewal = next(e for e in _events(cal) if str(e["UID"]) == f"renewal-{ids['first']}@fieldbook")
    start, end = renewal.decoded("DTSTART"), renewal.decoded("DTEND")
    assert type(start) is date and type(end) is date
    assert (start, end) == (date(2027, 3, 31), date(2027, 4, 1))
    assert renewal["DTSTART"].params.get("VALUE") == "DATE"
    assert renewal.decoded("DTSTAMP") == NOW
    text = str(renewal["DESCRIPTION"])
    assert "ARR $120,000" in text
    assert "Forecast: Likely (70%)" in text
    assert 'Acme; Sons, "Ltd": Enterprise segment, Onboarding stage' in text
    assert "Yellow health" in text
    assert str(renewal["SUMMARY"]) == 'Renewal: Acme; Sons, "Ltd" ($120K)'
    for event in _events(cal):
        if str(event["CATEGORIES"].cats[0]) != "Touchpoint":
            assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(days=1)


def test_a_renewal_without_a_call_reads_as_the_renewals_tab_says(
    store: Store, tmp_path: Path
) -> None:
    # The feed said "Forecast: not called yet" where the Renewals tab offers "Not called".
    ids = _seed(store)
    cal = _export(store, tmp_path / "renewals.ics")
    beta = next(e for e in _events(cal) if str(e["UID"]) == f"renewal-{ids['second']}@fieldbook")
    text = str(beta["DESCRIPTION"])
    assert "Forecast: Not called" in text
    assert "not called yet" not in text


def test_touchpoints_are_timed_in_the_chosen_zone(store: Store, tmp_path: Path) -> None:
    ids = _seed(store)
    cal = _export(store, tmp_path / "berlin.ics", tz_name="Europe/Berlin")
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Berlin"]
    call = next(e for e in _events(cal) if str(e["UID"]) == f"touchpoint-{ids['call']}@fieldbook")
    assert call["DTSTART"].params["TZID"] == "Europe/Berlin"
    start = call.decoded("DTSTART")
    assert start.utcoffset() == timedelta(hours=1)
    assert start.astimezone(UTC) == datetime(2027, 2, 10, 15, 0, tzinfo=UTC)
    assert call.decoded("DTEND") - start == timedelta(minutes=45)
    utc = _export(store, tmp_path / "utc.ics")
    assert not list(utc.walk("VTIMEZONE"))
    call = next(e for e in _events(utc) if str(e["UID"]) == f"touchpoint-{ids['call']}@fieldbook")
    assert call.decoded("DTSTART") == datetime(2027, 2, 10, 15, 0, tzinfo=UTC)


def test_uids_identical_across_two_exports(store: Store, tmp_path: Path) -> None:
    _seed(store)
    first = _export(store, tmp_path / "a.ics")
    with store.session() as session:
        book.account(session, "Gamma")
    second = _export(store, tmp_path / "b.ics")
    assert [str(e["UID"]) for e in _events(first)] == [str(e["UID"]) for e in _events(second)]


def test_owner_feed(store: Store, tmp_path: Path) -> None:
    _seed(store)
    cal = _export(store, tmp_path / "ben.ics", owner="Ben")
    assert {str(e["X-FIELDBOOK-ACCOUNT"]) for e in _events(cal)} and all(
        "Bêta" in str(e["DESCRIPTION"]) for e in _events(cal)
    )
    assert str(cal["X-WR-CALNAME"]) == "Fieldbook renewals: Ben"


def test_long_lines_fold_at_75_octets_without_breaking_characters() -> None:
    line = "DESCRIPTION:" + "Ünïcödé " * 30
    folded = ics._fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line
    assert ics._escape("a;b,c\\d\ne") == "a\\;b\\,c\\\\d\\ne"


def test_failed_write_keeps_the_previous_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "feed.ics"
    target.write_bytes(b"old")

    def broken_replace(self: Path, other: Path) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(Path, "replace", broken_replace)
    with pytest.raises(OSError):
        ics.write_atomically(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["feed.ics"]


def test_ascii_lines_fold_at_75_octets() -> None:
    line = "DESCRIPTION:" + "x" * 300
    folded = ics._fold(line)
    parts = folded.split("\r\n")
    assert [len(p) for p in parts[:2]] == [75, 75]
    assert all(p.startswith(" ") for p in parts[1:])
    assert folded.replace("\r\n ", "") == line


def test_event_texts_read_as_the_window_writes_them(store: Store, tmp_path: Path) -> None:
    """A phone's calendar showed "email: Email: invoice disputes", "on site: ...", a bare
    "call" or an owner's name as the description's first line, "mid market, stage
    value realisation" and "smb", "health red": the stored values, not the window's words."""
    with store.session() as session:
        shop = book.account(session, "Shop", segment=Segment.SMB)
        plant = book.account(session, "Plant", segment=Segment.MID_MARKET)
        at = datetime(2027, 2, 10, 15, 0, tzinfo=UTC)
        book.touchpoint(session, shop, at, title="Email: invoice disputes", kind=ActivityKind.EMAIL)
        book.touchpoint(session, plant, at, title="Plant tour", kind=ActivityKind.ON_SITE)
        book.touchpoint(session, plant, at, title="Q1 review", kind=ActivityKind.QBR)
        book.task(session, shop, date(2027, 2, 1))
        book.milestone(session, plant, date(2027, 2, 2))
    events = _events(_export(store, tmp_path / "feed.ics", with_tasks=True))
    said = {str(e["SUMMARY"]): str(e["DESCRIPTION"]) for e in events}
    assert said["Email: invoice disputes (Shop)"].startswith("Email\nShop: SMB segment, ")
    assert said["On site: Plant tour (Plant)"].startswith("On site\nPlant: Mid-market segment, ")
    assert "QBR: Q1 review (Plant)" in said
    assert said["Task due: Send proposal (Shop)"].startswith("Owner: Ana\n")
    assert said["Milestone due: Go-live (Plant)"].startswith("Goal: Adopt (")
    assert not any(text[:1].islower() for text in said)


def test_account_summaries_give_choices_in_the_windows_words(store: Store, tmp_path: Path) -> None:
    # book_facts said "mid_market" and "not set", which the feed then wrote "Not set segment".
    with store.session() as session:
        plant = book.account(session, "Plant", segment=Segment.MID_MARKET)
        plant.lifecycle_stage = LifecycleStage.VALUE_REALISATION
        bare = book.account(session, "Bare")
        bare.segment = bare.lifecycle_stage = None
        at = datetime(2027, 2, 10, 15, 0, tzinfo=UTC)
        book.touchpoint(session, bare, at, title="Intro call", kind=ActivityKind.CALL)
        ids = (plant.id, bare.id)
    with store.read() as session:
        summaries = account_summaries(session)
    plant_words = (summaries[ids[0]].segment, summaries[ids[0]].stage)
    assert plant_words == ("Mid-market", "Value realisation")
    assert (summaries[ids[1]].segment, summaries[ids[1]].stage) == ("", "")
    events = _events(_export(store, tmp_path / "feed.ics"))
    said = {str(e["SUMMARY"]): str(e["DESCRIPTION"]) for e in events}
    assert said["Call: Intro call (Bare)"].endswith("\nBare: ARR $0, owner Ana")
