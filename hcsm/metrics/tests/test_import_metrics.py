import csv
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from hcsm.metrics.models import Snapshot, SnapshotCorrection

from .factories import org_with_accounts

pytestmark = pytest.mark.django_db


def _write(tmp_path, text, name="m.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _run(path, tmp_path, *extra):
    from io import StringIO

    out = StringIO()
    call_command(
        "import_metrics", str(path), "--report", str(tmp_path / "r.csv"), *extra, stdout=out
    )
    return out.getvalue()


def test_import_with_broken_rows_reports_each_and_keeps_the_good(tmp_path):
    _, acc = org_with_accounts(("x", "mayoclinic"), ("youtube", "@mayoclinic"))
    path = _write(
        tmp_path,
        "platform,handle,date,metric,value\n"
        'x,@MayoClinic,2026-01-01,followers,"2,100"\n'
        "twitter,https://x.com/mayoclinic,2026-01-02,followers,2200\n"
        "youtube,https://www.youtube.com/@mayoclinic,2026-01-01,subscribers,900\n"
        "youtube,@mayoclinic,2026-01-01,videos,40\n"
        'x,mayoclinic,2026-01-03,followers,=HYPERLINK("http://evil")\n'
        "x,mayoclinic,01/04/2026,followers,1\n"
        "x,mayoclinic,2999-01-01,followers,1\n"
        "x,nobody_here,2026-01-01,followers,5\n"
        "myspace,foo,2026-01-01,followers,5\n"
        "x,mayoclinic,2026-01-05,likes,5\n"
        "x,<script>,2026-01-05,followers,5\n"
        "x,mayoclinic,2026-01-01,followers,2101\n"
        "x,mayoclinic,2026-01-06,followers,-3\n",
    )
    out = _run(path, tmp_path)
    assert "13 rows: 4 snapshots added" in out and "9 rejected" in out
    assert set(Snapshot.objects.values_list("account_id", "day", "metric", "value")) == {
        (acc["x"].pk, date(2026, 1, 1), "followers", 2100),
        (acc["x"].pk, date(2026, 1, 2), "followers", 2200),
        (acc["youtube"].pk, date(2026, 1, 1), "followers", 900),
        (acc["youtube"].pk, date(2026, 1, 1), "posts", 40),
    }
    with (tmp_path / "r.csv").open(encoding="utf-8-sig") as fh:
        report = list(csv.DictReader(fh))
    reasons = {int(r["line"]): r["reason"] for r in report}
    assert sorted(reasons) == [6, 7, 8, 9, 10, 11, 12, 13, 14]
    assert "whole number" in reasons[6] and "YYYY-MM-DD" in reasons[7]
    assert "future" in reasons[8] and "not on the list" in reasons[9]
    assert "unknown platform" in reasons[10] and "unknown metric" in reasons[11]
    assert "as line 2" in reasons[13] and "whole number" in reasons[14]
    # the formula is written to the report defused
    assert next(r for r in report if r["line"] == "6")["value"].startswith("'=")


def test_reimport_keeps_first_values_and_records_corrections(tmp_path):
    _, acc = org_with_accounts(("x", "stable"))
    _run(
        _write(tmp_path, "platform,url,date,metric,value\nx,stable,2026-02-01,followers,10\n"),
        tmp_path,
    )
    out = _run(
        _write(tmp_path, "platform,url,date,metric,value\nx,stable,2026-02-01,followers,11\n"),
        tmp_path,
    )
    assert "0 snapshots added, 1 already taken" in out and "1 different values" in out
    assert Snapshot.objects.get().value == 10
    assert SnapshotCorrection.objects.get().value == 11


def test_dry_run_writes_nothing(tmp_path):
    org_with_accounts(("x", "dry"))
    out = _run(
        _write(tmp_path, "platform,handle,date,metric,value\nx,dry,2026-02-01,followers,1\n"),
        tmp_path,
        "--dry-run",
    )
    assert "Dry run" in out and not Snapshot.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "is empty"),
        ("platform,date,metric,value\nx,2026-01-01,followers,1\n", "column naming the account"),
        ("platform,handle,value\nx,a,1\n", "lacks the required columns date"),
        ('{"a": 1}', "JSON"),
    ],
)
def test_unusable_files_import_nothing(tmp_path, content, message):
    with pytest.raises(CommandError, match=message):
        _run(_write(tmp_path, content), tmp_path)
    assert not Snapshot.objects.exists()


def test_missing_file(tmp_path):
    with pytest.raises(CommandError, match="There is no file"):
        _run(tmp_path / "nope.csv", tmp_path)


def test_rows_of_an_account_removed_during_the_import_are_reported_apart(tmp_path, monkeypatch):
    from hcsm.directory.models import SocialAccount
    from hcsm.metrics import services

    _, acc = org_with_accounts(("x", "mayoclinic"), ("youtube", "@mayoclinic"))
    real = services.snapshots_ingest

    def account_removed_meanwhile(**kwargs):  # type: ignore[no-untyped-def]
        SocialAccount.objects.filter(pk=acc["youtube"].pk).delete()
        return real(**kwargs)

    monkeypatch.setattr(services, "snapshots_ingest", account_removed_meanwhile)
    path = _write(
        tmp_path,
        "platform,handle,date,metric,value\n"
        "x,mayoclinic,2026-01-01,followers,10\n"
        "youtube,@mayoclinic,2026-01-01,subscribers,900\n"
        "youtube,@mayoclinic,2026-01-02,subscribers,901\n",
    )
    out = _run(path, tmp_path)
    assert "3 rows: 1 snapshots added, 0 already taken" in out
    assert "2 rows not stored: their account was removed" in out
    assert list(Snapshot.objects.values_list("account_id", flat=True)) == [acc["x"].pk]
