from datetime import date

import pytest

from hcsm.metrics import services
from hcsm.metrics.models import AccountStats, Snapshot, SnapshotCorrection
from hcsm.metrics.services import InvalidSnapshot, snapshots_ingest

from .factories import org_with_accounts, row

pytestmark = pytest.mark.django_db
DAY = date(2026, 11, 30)


def test_ingest_inserts_many_rows_and_builds_stats():
    _, accounts = org_with_accounts(("x", "alpha"), ("youtube", "@alpha"))
    x = accounts["x"]
    rows = [
        row(x.pk, date(2026, 1, 1).replace(day=1 + i % 28, month=1 + i // 28), 100 + i)
        for i in range(300)
    ]
    result = snapshots_ingest(rows=rows)
    assert (result.rows, result.inserted, result.corrections) == (300, 300, 0)
    assert Snapshot.objects.count() == 300
    stats = AccountStats.objects.get(pk=x.pk)
    assert stats.followers == 399 and stats.day == date(2026, 11, 20)
    # 2026-11-20 minus 30 days is 2026-10-21, row 9 * 28 + 20 = 272
    assert stats.followers_30d == 372 and stats.growth_30d == 27
    assert stats.followers_365d is None and stats.growth_365d is None


def test_retaking_a_day_keeps_the_first_and_records_a_different_value_once():
    _, accounts = org_with_accounts(("x", "beta"))
    x = accounts["x"]
    snapshots_ingest(rows=[row(x.pk, DAY, 10)])
    again = snapshots_ingest(rows=[row(x.pk, DAY, 10), row(x.pk, DAY, 12, source="import")])
    assert again.inserted == 0 and again.already_taken == 2
    assert again.corrections == 1
    snapshots_ingest(rows=[row(x.pk, DAY, 12, source="import")])  # the same correction again
    snap = Snapshot.objects.get()
    assert snap.value == 10
    assert list(SnapshotCorrection.objects.values_list("value", "source")) == [(12, "import")]


def test_rows_of_deleted_accounts_are_dropped():
    org, accounts = org_with_accounts(("x", "gamma"))
    gone = accounts["x"].pk
    org.delete()
    result = snapshots_ingest(rows=[row(gone, DAY, 5)])
    assert (result.inserted, result.dropped, result.already_taken) == (0, 1, 0)
    assert not Snapshot.objects.exists()


@pytest.mark.parametrize("bad", [-1, "12", 1.5, True, 2**63])
def test_garbage_values_are_refused_and_nothing_is_written(bad):
    _, accounts = org_with_accounts(("x", "delta"))
    with pytest.raises(InvalidSnapshot):
        snapshots_ingest(rows=[row(accounts["x"].pk, DAY, 1), row(accounts["x"].pk, DAY, bad)])
    assert not Snapshot.objects.exists()


def test_unknown_metric_is_refused():
    _, accounts = org_with_accounts(("x", "eps"))
    with pytest.raises(InvalidSnapshot, match="Unknown metric"):
        snapshots_ingest(rows=[row(accounts["x"].pk, DAY, 1, metric="likes")])


# The fast path (a plain INSERT per chunk, falling back to ON CONFLICT on the first conflict)
# must keep every guarantee of the slow one. Small chunks put the fallback mid-ingest.


def test_a_conflict_in_a_later_chunk_keeps_earlier_chunks_and_records_the_correction(
    monkeypatch,
):
    monkeypatch.setattr(services, "STAGE_CHUNK", 3)
    _, accounts = org_with_accounts(("x", "zeta"))
    x = accounts["x"].pk
    snapshots_ingest(rows=[row(x, date(2026, 11, 10), 50)], refresh_stats=False)
    rows = [row(x, date(2026, 11, d), 100 + d) for d in (1, 2, 3, 4, 5, 6)]
    rows += [row(x, date(2026, 11, 10), 51), row(x, date(2026, 11, 11), 111)]
    result = snapshots_ingest(rows=rows, refresh_stats=False)
    assert (result.rows, result.inserted, result.corrections) == (8, 7, 1)
    stored = dict(Snapshot.objects.values_list("day__day", "value"))
    assert stored == {1: 101, 2: 102, 3: 103, 4: 104, 5: 105, 6: 106, 10: 50, 11: 111}
    assert list(SnapshotCorrection.objects.values_list("value", flat=True)) == [51]


def test_the_same_day_twice_in_one_input_stores_one_and_records_the_other():
    _, accounts = org_with_accounts(("x", "eta"))
    x = accounts["x"].pk
    result = snapshots_ingest(rows=[row(x, DAY, 7), row(x, DAY, 8)], refresh_stats=False)
    assert (result.inserted, result.corrections) == (1, 1)
    kept = Snapshot.objects.get().value
    assert list(SnapshotCorrection.objects.values_list("value", flat=True)) == [15 - kept]


def test_rows_of_deleted_accounts_are_dropped_beside_rows_that_are_kept():
    org, accounts = org_with_accounts(("x", "theta"))
    _, alive = org_with_accounts(("x", "iota"))
    gone = accounts["x"].pk
    org.delete()
    rows = [row(gone, DAY, 5), row(alive["x"].pk, DAY, 6), row(gone, date(2026, 11, 1), 4)]
    result = snapshots_ingest(rows=rows, refresh_stats=False)
    assert (result.inserted, result.dropped, result.corrections) == (1, 2, 0)
    assert list(Snapshot.objects.values_list("account_id", "value")) == [(alive["x"].pk, 6)]


def test_rows_of_deleted_accounts_are_dropped_on_the_slow_path_too(monkeypatch):
    monkeypatch.setattr(services, "STAGE_CHUNK", 2)
    org, accounts = org_with_accounts(("x", "lambda"))
    _, alive = org_with_accounts(("x", "mu"))
    gone, kept = accounts["x"].pk, alive["x"].pk
    snapshots_ingest(rows=[row(kept, DAY, 1)], refresh_stats=False)
    org.delete()
    rows = [row(kept, DAY, 2), row(gone, DAY, 3), row(kept, date(2026, 11, 1), 4)]
    result = snapshots_ingest(rows=rows, refresh_stats=False)
    assert (result.inserted, result.dropped, result.already_taken, result.corrections) == (
        1,
        1,
        1,
        1,
    )
    assert sorted(Snapshot.objects.values_list("value", flat=True)) == [1, 4]


def test_deleting_an_account_deletes_its_snapshots_and_corrections():
    """No foreign key in the database any more: Django's cascade (and on PostgreSQL also a
    trigger, see tests/concurrency) still removes what hangs off the account."""
    _, accounts = org_with_accounts(("x", "nu"), ("facebook", "nu"))
    x, fb = accounts["x"], accounts["facebook"]
    snapshots_ingest(rows=[row(x.pk, DAY, 1), row(fb.pk, DAY, 2)], refresh_stats=False)
    snapshots_ingest(rows=[row(x.pk, DAY, 3)], refresh_stats=False)
    assert SnapshotCorrection.objects.count() == 1
    x.delete()
    assert list(Snapshot.objects.values_list("account_id", flat=True)) == [fb.pk]
    assert not SnapshotCorrection.objects.exists()


def test_rows_out_of_index_order_are_all_stored(monkeypatch):
    monkeypatch.setattr(services, "STAGE_CHUNK", 4)
    _, accounts = org_with_accounts(("x", "xi"), ("facebook", "xi"))
    a, b = accounts["x"].pk, accounts["facebook"].pk
    rows = [row(acc, date(2026, 11, d), d) for d in (5, 4, 3, 2, 1) for acc in (b, a)]
    rows.append(row(a, date(2026, 11, 6), 6, metric="posts"))
    result = snapshots_ingest(rows=rows, refresh_stats=False)
    assert (result.rows, result.inserted, result.dropped) == (11, 11, 0)
    assert Snapshot.objects.filter(account_id=b).count() == 5


def test_a_bad_row_in_a_later_chunk_leaves_nothing_of_the_earlier_ones(monkeypatch):
    monkeypatch.setattr(services, "STAGE_CHUNK", 2)
    _, accounts = org_with_accounts(("x", "kappa"))
    x = accounts["x"].pk
    rows = [row(x, date(2026, 11, d), d) for d in (1, 2, 3, 4)] + [row(x, DAY, -5)]
    with pytest.raises(InvalidSnapshot):
        snapshots_ingest(rows=rows, refresh_stats=False)
    assert not Snapshot.objects.exists()
