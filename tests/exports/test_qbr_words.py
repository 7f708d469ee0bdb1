"""The QBR's sentences read as English: one point, one user, one goal; no '+0' or '-1 points'."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from enum import StrEnum
from pathlib import Path

from docx import Document
from pptx import Presentation

from app.exports.qbr import gather, present, write_qbr
from app.exports.qbr_data import Audience, QbrRequest
from app.exports.qbr_text import (
    label,
    milestones_done,
    summary_sentences,
    trend_clause,
    users_change,
)
from app.models import enums
from app.models.enums import GoalStatus, HealthBand
from app.models.store import Store
from app.services.health_scores import HealthPoint
from app.services.labels import label_of
from app.services.qbr_facts import NextStep, UsagePoint
from tests.exports.sample_book import TODAY


def test_trend_and_user_changes_in_words() -> None:
    assert trend_clause(-7.4) == ", down 7 points over the last 90 days"
    assert trend_clause(-1) == ", steady (down 1 point) over the last 90 days"
    assert trend_clause(None) == ""
    since = TODAY - timedelta(days=90)
    assert users_change(0, since) == "No change in active users since Aug 22, 2026"
    assert users_change(-1, since) == "1 fewer active user since Aug 22, 2026"
    assert users_change(3, since) == "3 more active users since Aug 22, 2026"


def _content(book: tuple[Store, dict[str, str]]):  # type: ignore[no-untyped-def]
    store, _ = book
    facts = gather(store, QbrRequest("Acme Logistics", today=TODAY))
    start = TODAY - timedelta(days=91)
    goal = facts.goals[0]
    return replace(
        facts,
        health=[
            HealthPoint(start, 61, HealthBand.YELLOW),
            HealthPoint(TODAY, 60, HealthBand.YELLOW),
        ],
        usage=[UsagePoint(start, 1, 5), UsagePoint(TODAY, 1, 5)],
        goals=[replace(goal, status=GoalStatus.ON_TRACK)],
    )


def test_deck_and_brief_say_it_in_words(book: tuple[Store, dict[str, str]], tmp_path: Path) -> None:
    facts = _content(book)
    content = present(facts, Audience.CUSTOMER)
    sentences = summary_sentences(content, Audience.CUSTOMER)
    assert (
        "Overall health is yellow at 60 out of 100, steady (down 1 point) over the last 90 days."
        in sentences
    )
    assert any(s.startswith("1 of 1 success-plan goal is achieved or on track") for s in sentences)
    # A single goal missed read "0 of 1 success-plan goal are achieved or on track".
    missed = replace(content, goals=[replace(facts.goals[0], status=GoalStatus.MISSED)])
    assert any(
        s.startswith("0 of 1 success-plan goal is achieved or on track")
        for s in summary_sentences(missed, Audience.CUSTOMER)
    )
    assert "1 of 5 licensed users was active in the week of Nov 20, 2026 (20%)." in sentences

    request = QbrRequest("Acme Logistics", today=TODAY)
    deck = tmp_path / "deck.pptx"
    write_qbr(content, deck, request)
    text = "\n".join(
        shape.text_frame.text
        for slide in Presentation(str(deck)).slides
        for shape in slide.shapes
        if shape.has_text_frame
    )
    brief = tmp_path / "brief.docx"
    write_qbr(present(facts, Audience.CUSTOMER, suffix=".docx"), brief, request)
    text += "\n".join(p.text for p in Document(str(brief)).paragraphs)
    assert "Steady (down 1 point) over 90 days" in text
    assert "steady (down 1 point) over the last 90 days" in text
    assert "No change in active users since" in text
    assert "1 active user, week of" in text
    for wrong in ("1 points", "+0", " -1 ", "1 active users", "1 success-plan goals"):
        assert wrong not in text, wrong


def test_the_main_open_item_follows_its_label_as_written(
    book: tuple[Store, dict[str, str]],
) -> None:
    """The customer's summary said "The main open item is go-live slipped twice: Joint
    recovery plan...": a title lower-cased into a sentence it does not fit, then a capital."""
    facts = _content(book)
    risk = replace(
        facts.risks[0],
        title="Go-live slipped twice",
        mitigation="Joint recovery plan.",
        shared=True,
    )
    content = present(replace(facts, risks=[risk]), Audience.CUSTOMER)
    sentences = summary_sentences(content, Audience.CUSTOMER)
    assert (
        "Main open item: Go-live slipped twice. What we are doing: Joint recovery plan."
        in sentences
    )
    bare = present(replace(facts, risks=[replace(risk, mitigation=None)]), Audience.CUSTOMER)
    assert "Main open item: Go-live slipped twice." in summary_sentences(bare, Audience.CUSTOMER)


def test_milestones_and_the_ask_read_naturally(
    book: tuple[Store, dict[str, str]], tmp_path: Path
) -> None:
    """The brief said "0 milestones completed this quarter. Every milestone of the plan:" and
    the ask "...starting with Draft the...", then "...starting with draft the...": a verb
    after "starting with". The title now follows a colon as it is written, which reads
    right for an imperative, a noun phrase and a name alike."""
    assert milestones_done(0) == "No milestone completed this quarter."
    assert milestones_done(1) == "1 milestone completed this quarter."
    assert milestones_done(3) == "3 milestones completed this quarter."
    facts = _content(book)
    goal = facts.goals[0]
    facts = replace(
        facts,
        goals=[replace(goal, milestones=tuple(replace(m, done_on=None) for m in goal.milestones))],
        next_steps=[
            NextStep("Draft the QBR agenda", "Sam Ortiz", TODAY + timedelta(days=5), id="t1")
        ],
    )
    content = present(facts, Audience.CUSTOMER, suffix=".docx")
    sentences = summary_sentences(content, Audience.CUSTOMER)
    assert (
        "Our ask: agree the next steps, first on the list: Draft the QBR agenda (due Nov 25, 2026)."
        in sentences
    )
    for title, reads in (
        ("Executive sponsor intro.", "first on the list: Executive sponsor intro."),
        ("Dana to send the SSO plan", "first on the list: Dana to send the SSO plan."),
        ("iPad rollout review", "first on the list: iPad rollout review."),
    ):
        undated = replace(content, next_steps=[NextStep(title, None, None, id="t2")])
        assert summary_sentences(undated, Audience.CUSTOMER)[-1] == (
            f"Our ask: agree the next steps, {reads}"
        )
    brief = tmp_path / "brief.docx"
    write_qbr(content, brief, QbrRequest("Acme Logistics", today=TODAY))
    text = "\n".join(p.text for p in Document(str(brief)).paragraphs)
    assert "No milestone completed this quarter. The plan's milestones:" in text
    assert "0 milestones" not in text and "Every milestone" not in text


def test_the_qbr_and_the_report_word_every_choice_as_the_window_does() -> None:
    """The QBR said "Smb" and "Mid market" where the window says "SMB" and "Mid-market"."""
    choices = [v for e in vars(enums).values() if isinstance(e, type) and issubclass(e, StrEnum)
               and e is not StrEnum for v in e]  # fmt: skip
    assert [label(v.value) for v in choices] == [label_of(v) for v in choices]
    assert (label("mid_market"), label("smb")) == ("Mid-market", "SMB")
