"""A conflict number no row can have is no conflict, not a crash of the database driver."""

from __future__ import annotations

import pytest

from app.models.store import Store
from app.services import sync


@pytest.mark.parametrize("conflict_id", [0, -1, 2**63, 10**30])
def test_a_number_out_of_the_databases_range_is_no_conflict(store: Store, conflict_id: int) -> None:
    with pytest.raises(sync.NoSuchConflict):
        sync.resolve(store, conflict_id, "mine")
    with pytest.raises(sync.ResolveError, match="is not resolved"):
        sync.reopen(store, conflict_id)
