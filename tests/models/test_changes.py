"""The typed change set: what it says it touches."""

from __future__ import annotations

from app.models.changes import ChangeFeed, ChangeKind, ChangeSet, kind_of_table


def test_touches_by_kind_and_account() -> None:
    changes = ChangeSet.of(ChangeKind.TASK, accounts=["a1"])
    assert changes.touches(ChangeKind.TASK)
    assert changes.touches(ChangeKind.TASK, ChangeKind.RISK, account_id="a1")
    assert not changes.touches(ChangeKind.TASK, account_id="a2")
    assert not changes.touches(ChangeKind.CONTRACT)


def test_workspace_touches_everything() -> None:
    changes = ChangeSet.of(ChangeKind.WORKSPACE)
    assert changes.book_wide
    assert changes.touches(ChangeKind.MAP, account_id="any")


def test_table_kinds() -> None:
    assert kind_of_table("milestone") is ChangeKind.SUCCESS_PLAN
    assert kind_of_table("workspace_meta") is ChangeKind.WORKSPACE


def test_feed_publishes_to_subscribers_until_they_leave() -> None:
    feed = ChangeFeed()
    seen: list[ChangeSet] = []
    leave = feed.subscribe(seen.append)
    feed.publish(ChangeSet.of(ChangeKind.RISK, accounts=["a"]))
    feed.publish(ChangeSet())  # empty sets are not announced
    leave()
    feed.publish(ChangeSet.of(ChangeKind.RISK))
    assert [c.kinds for c in seen] == [frozenset({ChangeKind.RISK})]
