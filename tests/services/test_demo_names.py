"""Demo account names never say a word twice ("... Finance Finance")."""

from __future__ import annotations

import random
from datetime import date

from app.services.demo.accounts import plan_hierarchy
from app.services.demo.context import DemoContext


def repeated_word(name: str) -> str | None:
    seen: set[str] = set()
    for word in name.lower().replace("&", " ").split():
        if word in seen:
            return word
        seen.add(word)
    return None


def test_no_demo_name_repeats_a_word_over_many_seeds() -> None:
    names: list[str] = []
    for seed in range(150):
        ctx = DemoContext(rng=random.Random(seed), today=date(2026, 11, 22))
        remaining = 200
        while remaining > 0:
            plans = plan_hierarchy(ctx, remaining)
            names += [p.name for p in plans]
            remaining -= len(plans)
    assert len(names) == 150 * 200
    doubled = [name for name in names if repeated_word(name)]
    assert doubled == []
