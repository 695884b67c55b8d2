"""The importers: NSI (real file), the general CSV importer with its mapping, the CMS registry,
broken files, dry runs and the report."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from hcsm.directory import importers, services
from hcsm.directory.models import (
    Organization,
    OrganizationChange,
    RegistryEntry,
    SocialAccount,
)
from hcsm.directory.validation import clean_organization_data

DATA = Path(settings.BASE_DIR) / "data"
NSI = DATA / "nsi-healthcare-orgs-social.csv"
CMS = DATA / "cms-hospital-general-information.csv"
EXAMPLE_CSV = DATA / "mappings" / "example.csv"
EXAMPLE_MAPPING = DATA / "mappings" / "example-mapping.json"
FIXTURES = Path(__file__).parent / "data"

# What the real NSI file gives (see docs/importing.md): 4 rows are "worldwide (001)" only,
# one has the location "ja" (not an ISO code; Jamaica is JM).
NSI_ROWS, NSI_CREATED, NSI_REJECTED = 495, 490, 5
NSI_WORLDWIDE = {"Q30505320", "Q49330", "Q2376015", "Q1929466"}  # Dentix, MSF, Synlab, WW


def run(command: str, *args: str, **options: object) -> str:
    out = io.StringIO()
    call_command(command, *args, no_progress=True, stdout=out, **options)
    return out.getvalue()


def nsi(path: Path, tmp_path: Path, **options: object) -> str:
    return run(
        "import_organizations",
        str(path),
        format="nsi",
        report=str(tmp_path / "report.csv"),
        **options,
    )


def read_report(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def accounts_of(org: Organization) -> dict[tuple[str, str], str]:
    """(platform, handle) -> source."""
    return {(a.platform, a.handle): a.source for a in org.accounts.all()}


# NSI: the real file ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_nsi_real_file_imports_every_organization_it_can(tmp_path):
    out = nsi(NSI, tmp_path)

    assert (
        f"nsi: {NSI_ROWS} rows: {NSI_CREATED} created, 0 updated, 0 unchanged, "
        f"{NSI_REJECTED} rejected" in out
    )
    assert NSI_CREATED + NSI_REJECTED == NSI_ROWS
    assert Organization.objects.count() == NSI_CREATED
    assert not Organization.objects.filter(wikidata__in=NSI_WORLDWIDE).exists()
    assert f"Report: {tmp_path / 'report.csv'}" in out

    org = Organization.objects.get(wikidata="Q4117596")
    assert org.name == "Cleveland Clinic"
    assert (org.import_source, org.import_key) == ("nsi", "Q4117596")
    assert org.kind == "hospital"  # operators/amenity/clinic + hospital: hospital wins
    assert [c.code for c in org.countries.all()] == ["US"]
    assert org.primary_country == "US"
    assert org.website == "https://www.clevelandclinic.org/"
    urls = {a.platform: a.url for a in org.accounts.all()}
    assert urls == {
        "facebook": "https://www.facebook.com/ClevelandClinic",
        "x": "https://x.com/ClevelandClinic",
        "instagram": "https://www.instagram.com/clevelandclinic/",
        "linkedin": "https://www.linkedin.com/company/5656/",
        "youtube": "https://www.youtube.com/@clevelandclinic",  # handle without @ in the file
        "tiktok": "https://www.tiktok.com/@clevelandclinic",
        "pinterest": "https://www.pinterest.com/clevelandclinic/",
    }
    assert set(org.accounts.values_list("source", flat=True)) == {"nsi"}
    assert org.account_count == 7

    # NSI names a channel by id and by handle: one account, by the id.
    amais = Organization.objects.get(wikidata="Q111392264")
    assert [(a.platform, a.url) for a in amais.accounts.filter(platform="youtube")] == [
        ("youtube", "https://www.youtube.com/channel/UCoN2lKGVtdLTFvCYQB2y-KA")
    ]

    # Regions: ISO 3166-2 sub-areas become regions, county-level areas their state.
    peace = Organization.objects.get(wikidata="Q16966652")  # us-ak us-or.geojson us-wa.geojson
    assert [r.code for r in peace.regions.all()] == ["US-AK", "US-OR", "US-WA"]
    # "fx" (metropolitan France, a country-coder code) is France.
    assert [c.code for c in Organization.objects.get(wikidata="Q2867205").countries.all()] == ["FR"]
    # 001 (world) is dropped when countries are given too.
    red_cross = Organization.objects.get(wikidata="Q7178")
    assert [c.code for c in red_cross.countries.all()] == ["AR", "CL", "CO", "ES", "MX"]

    changes = OrganizationChange.objects.all()
    assert changes.count() == NSI_CREATED
    assert set(changes.values_list("actor_label", "action", "actor")) == {
        ("import:nsi", "created", None)
    }


@pytest.mark.django_db
def test_nsi_report_lists_each_rejected_row_and_account_with_its_reason(tmp_path):
    nsi(NSI, tmp_path)

    report = read_report(tmp_path / "report.csv")
    assert list(report[0]) == ["line", "key", "name", "what", "reason", "value"]
    rows = {r["key"]: r for r in report if r["what"] == "row"}
    assert set(rows) == NSI_WORLDWIDE | {"Q96340620"}
    assert rows["Q30505320"] == {
        "line": "115",
        "key": "Q30505320",
        "name": "Dentix",
        "what": "row",
        "reason": "no country: NSI says worldwide (001)",
        "value": "001",
    }
    assert rows["Q96340620"]["reason"].startswith("no country: NSI location “ja”")
    # An account two organizations claim stays with the first; the second is reported.
    taken = [r for r in report if r["what"] == "account"]
    assert {(r["key"], r["reason"].split(":")[0], r["value"]) for r in taken} >= {
        ("Q30281140", "facebook", "upmc"),
        ("Q30281140", "x", "upmc"),
    }
    assert all("already listed for" in r["reason"] for r in taken)
    upmc = Organization.objects.get(wikidata="Q30281140")
    assert upmc.accounts.filter(platform="facebook").count() == 0


@pytest.mark.django_db
def test_nsi_second_run_changes_nothing(tmp_path):
    nsi(NSI, tmp_path)
    changes = OrganizationChange.objects.count()
    accounts = SocialAccount.objects.count()

    out = nsi(NSI, tmp_path)

    unchanged = NSI_ROWS - NSI_REJECTED
    assert f"0 created, 0 updated, {unchanged} unchanged, {NSI_REJECTED} rejected" in out
    assert OrganizationChange.objects.count() == changes
    assert SocialAccount.objects.count() == accounts


@pytest.mark.django_db
def test_nsi_changed_upstream_updates_the_listing_and_keeps_accounts_people_added(tmp_path):
    nsi(NSI, tmp_path)
    org = Organization.objects.get(import_source="nsi", import_key="Q4117596")
    person = get_user_model().objects.create_user(email="mod@example.org", password="x" * 20)
    state = services.organization_state(org)

    def label_for(platform: str) -> str:
        return "Main page" if platform == "facebook" else ""

    added = clean_organization_data(
        {
            **state.as_dict(),
            "accounts": [
                *(
                    {"platform": a.platform, "value": a.url, "label": label_for(a.platform)}
                    for a in state.accounts
                ),
                {"platform": "x", "value": "CleClinicMD", "label": "For clinicians"},
            ],
        }
    )
    services.organization_update(organization=org, data=added, actor=person, actor_label="staff")
    changed = tmp_path / "nsi-changed.csv"
    text = NSI.read_text(encoding="utf-8")
    old_line = next(line for line in text.splitlines() if line.startswith("Q4117596,"))
    new_line = old_line.replace(
        "https://www.clevelandclinic.org/,https://www.clevelandclinic.org/",
        "https://my.clevelandclinic.org/,https://www.clevelandclinic.org/",
    ).replace(",ClevelandClinic,ClevelandClinic,", ",ClevelandClinic,CleClinicNews,")
    assert new_line != old_line
    changed.write_text(text.replace(old_line, new_line), encoding="utf-8")
    before = OrganizationChange.objects.count()

    out = nsi(changed, tmp_path)

    unchanged = NSI_ROWS - NSI_REJECTED - 1
    assert f"0 created, 1 updated, {unchanged} unchanged, {NSI_REJECTED} rejected" in out
    org.refresh_from_db()
    assert org.website == "https://my.clevelandclinic.org/"
    accounts = accounts_of(org)
    assert ("x", "ClevelandClinic") not in accounts
    assert accounts[("x", "CleClinicNews")] == "nsi"
    assert accounts[("x", "CleClinicMD")] == ""  # a person added it; it stays
    assert org.accounts.get(handle="CleClinicMD").label == "For clinicians"
    assert org.accounts.get(platform="facebook").label == "Main page"  # a person's label stays
    assert OrganizationChange.objects.count() == before + 1
    change = OrganizationChange.objects.filter(organization=org).first()
    assert (change.actor, change.actor_label, change.action) == (None, "import:nsi", "updated")
    assert change.changes["website"] == {
        "old": "https://www.clevelandclinic.org/",
        "new": "https://my.clevelandclinic.org/",
    }
    assert change.changes["accounts"]["added"] == ["X (Twitter): CleClinicNews"]
    assert change.changes["accounts"]["removed"] == ["X (Twitter): ClevelandClinic"]

    # And once more: nothing left to change.
    assert "0 created, 0 updated" in nsi(changed, tmp_path)


@pytest.mark.django_db
def test_nsi_dry_run_writes_nothing(tmp_path):
    out = nsi(NSI, tmp_path, dry_run=True)

    assert f"{NSI_CREATED} created" in out
    assert "Dry run: nothing was written to the database." in out
    assert Organization.objects.count() == 0
    assert OrganizationChange.objects.count() == 0
    assert SocialAccount.objects.count() == 0
    assert len(read_report(tmp_path / "report.csv")) > NSI_REJECTED  # the report is written


@pytest.mark.django_db
def test_nsi_sample_rejects_bad_rows_and_skips_bad_accounts(tmp_path):
    out = nsi(FIXTURES / "nsi-sample.csv", tmp_path)

    assert "nsi: 5 rows: 2 created, 0 updated, 0 unchanged, 3 rejected" in out
    report = {(r["key"], r["what"]): r for r in read_report(tmp_path / "report.csv")}
    bad_site = report[("Q999999901", "row")]
    assert bad_site["reason"].startswith("website: ")
    assert bad_site["value"] == "javascript:alert(1)"
    formula = report[("Q999999903", "row")]
    assert formula["reason"] == "name: Name cannot start with =, +, - or @."
    assert formula["name"].startswith("'=HYPERLINK")  # safe to open in a spreadsheet
    refused = report[("Q999999902", "account")]
    assert refused["value"] == "https://x.com/i/status/123"
    assert refused["reason"].startswith("x: ")
    org = Organization.objects.get(import_key="Q999999902")
    assert [a.platform for a in org.accounts.all()] == ["instagram"]
    assert [c.code for c in org.countries.all()] == ["US", "GB"]
    assert [r.code for r in org.regions.all()] == ["US-CA", "GB-SCT"]  # us-ca-orange_county


@pytest.mark.django_db
def test_a_wikidata_id_listed_by_people_is_not_taken_over(tmp_path):
    mine = services.organization_create(
        data=clean_organization_data(
            {"name": "Cleveland Clinic (by hand)", "countries": ["US"], "wikidata": "Q4117596"}
        ),
        actor_label="test",
    )

    nsi(FIXTURES / "nsi-sample.csv", tmp_path)

    mine.refresh_from_db()
    assert mine.name == "Cleveland Clinic (by hand)"
    assert not Organization.objects.filter(import_source="nsi", import_key="Q4117596").exists()
    row = next(r for r in read_report(tmp_path / "report.csv") if r["key"] == "Q4117596")
    assert "already listed as “Cleveland Clinic (by hand)”" in row["reason"]


# Broken files ---------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "nsi-latin1.csv",
            "The file nsi-latin1.csv is not UTF-8 text (byte 0xe9 at position 275, on line 2); "
            "save it as UTF-8 and try again.",
        ),
        (
            "nsi-missing-columns.csv",
            "lacks the required columns location_include (the countries), website, "
            "facebook (an account)",
        ),
        (
            "nsi-duplicate-keys.csv",
            "has the same wikidata_qid on more than one row, so it is not clear which is right: "
            "“Q4117596” on lines 2, 5.",
        ),
        ("nsi-ragged.csv", "must have as many fields as its header (23), but line 3 has 25"),
        ("empty.csv", "empty.csv is empty."),
        ("header-only.csv", "header-only.csv has a header but no rows."),
        ("garbage.bin", "contains binary data (a NUL byte at position 0)"),
        ("not-csv.json", "not-csv.json is a JSON file, not CSV."),
        ("no-such-file.csv", "There is no file at"),
    ],
)
def test_broken_nsi_file_is_refused_whole(tmp_path, name, message):
    with pytest.raises(CommandError) as exc:
        nsi(FIXTURES / name, tmp_path)

    assert str(exc.value).startswith("Nothing was imported. ")
    assert message in str(exc.value)
    assert Organization.objects.count() == 0
    assert not (tmp_path / "report.csv").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"PK\x03\x04rest-of-a-workbook", "is a ZIP archive or an Excel workbook (.xlsx)"),
        ("wikidata_qid,name\n".encode("utf-16"), "is UTF-16 text"),
        (b"<!DOCTYPE html><html><body>Not found</body></html>", "is an HTML or XML document"),
        (b'wikidata_qid,name\nQ1,"unclosed\n', "is not valid CSV"),
        (b"wikidata_qid;name;website\nQ1;A;https://a.example/\n", "separated by “;”"),
        (b"\n\n   \n", "is empty."),
    ],
)
def test_other_broken_files(tmp_path, content, message):
    path = tmp_path / "upload.csv"
    path.write_bytes(content)

    with pytest.raises(CommandError, match="Nothing was imported") as exc:
        nsi(path, tmp_path)

    assert message in str(exc.value)


@pytest.mark.django_db
def test_a_failure_half_way_leaves_nothing_behind(tmp_path, monkeypatch):
    real_create = services.organization_create
    calls = []

    def failing_create(**kwargs):  # type: ignore[no-untyped-def]
        calls.append(kwargs)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real_create(**kwargs)

    monkeypatch.setattr(services, "organization_create", failing_create)

    with pytest.raises(RuntimeError):
        nsi(NSI, tmp_path)

    assert len(calls) == 3
    assert Organization.objects.count() == 0
    assert OrganizationChange.objects.count() == 0


def test_format_and_mapping_must_agree(tmp_path):
    with pytest.raises(CommandError, match="--format csv needs --mapping"):
        run("import_organizations", str(EXAMPLE_CSV), format="csv")
    with pytest.raises(CommandError, match="--mapping is for --format csv"):
        run("import_organizations", str(NSI), format="nsi", mapping=str(EXAMPLE_MAPPING))


# NSI details (pure functions) -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("categories", "kind"),
    [
        ("operators/amenity/hospital", "hospital"),
        ("operators/amenity/clinic operators/amenity/hospital", "hospital"),
        ("brands/amenity/clinic brands/amenity/doctors", "clinic"),
        ("brands/healthcare/laboratory operators/amenity/doctors", "physician_practice"),
        ("brands/healthcare/laboratory brands/healthcare/sample_collection", "laboratory"),
        ("brands/healthcare/sample_collection", "laboratory"),
        ("brands/amenity/dentist", "dental"),
        ("operators/healthcare/dialysis", "clinic"),
        ("brands/healthcare/physiotherapist", "clinic"),
        ("brands/healthcare/blood_donation", "other"),
        ("brands/healthcare/alternative", "other"),
        ("brands/healthcare/something_new", "other"),
        ("", "other"),
    ],
)
def test_nsi_kind(categories, kind):
    assert importers.nsi_kind(categories) == kind


@pytest.mark.parametrize(
    ("location", "countries", "regions", "problem"),
    [
        ("us", ["US"], [], ""),
        ("au-act.geojson au-nsw.geojson", ["AU"], ["AU-ACT", "AU-NSW"], ""),
        ("gb-sct gb-lon.geojson", ["GB"], ["GB-SCT"], ""),  # GB-LON is not ISO 3166-2
        ("us-ny-new_york_city.geojson", ["US"], ["US-NY"], ""),
        ("de us-ny.geojson", ["DE", "US"], ["US-NY"], ""),
        ("fx", ["FR"], [], ""),
        ("150 ae pe", ["AE", "PE"], [], ""),
        ("001", [], [], "no country: NSI says worldwide (001)"),
        ("150", [], [], "no country: NSI gives only the area 150 (UN M49)"),
        ("ja", [], [], "no country: NSI location “ja” is not an ISO 3166 country or region"),
        ("", [], [], "no country: NSI gives no location"),
    ],
)
def test_nsi_places(location, countries, regions, problem):
    assert importers.nsi_places(location) == (countries, regions, problem)


# The general CSV importer ---------------------------------------------------------------------


def csv_import(path: Path, mapping: Path, tmp_path: Path, **options: object) -> str:
    return run(
        "import_organizations",
        str(path),
        format="csv",
        mapping=str(mapping),
        report=str(tmp_path / "report.csv"),
        **options,
    )


@pytest.mark.django_db
def test_example_mapping_imports_the_example(tmp_path):
    out = csv_import(EXAMPLE_CSV, EXAMPLE_MAPPING, tmp_path)

    assert "example: 3 rows: 3 created, 0 updated, 0 unchanged, 0 rejected" in out
    org = Organization.objects.get(import_source="example", import_key="330222")
    assert org.name == "Saratoga Hospital"
    assert org.other_names == ["Albany Medical Health System - Saratoga Hospital"]
    assert (org.kind, org.city, org.ccn) == ("hospital", "Saratoga Springs", "330222")
    assert [c.code for c in org.countries.all()] == ["US"]
    assert [r.code for r in org.regions.all()] == ["US-NY"]
    assert accounts_of(org) == {
        ("x", "SaratogaHosp"): "example",
        ("facebook", "SaratogaHospital"): "example",
        ("instagram", "saratogahospital"): "example",
    }
    plain = Organization.objects.get(import_key="010001")  # "Not Available" means empty
    assert (plain.website, plain.account_count) == ("", 0)
    assert OrganizationChange.objects.filter(actor_label="import:example").count() == 3

    again = csv_import(EXAMPLE_CSV, EXAMPLE_MAPPING, tmp_path)
    assert "0 created, 0 updated, 3 unchanged, 0 rejected" in again
    assert OrganizationChange.objects.count() == 3


@pytest.mark.django_db
def test_csv_rows_the_rules_refuse_are_reported(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text(
        "Facility ID,Facility Name,Aliases,Hospital Type,City/Town,State,Website,Twitter,"
        "Facebook URL,Instagram\n"
        "990001,Good Hospital,,Childrens,Akron,OH,https://good.example.org/,goodhospital,,\n"
        "990002,Bad Site Hospital,,Childrens,Akron,OH,javascript:alert(1),,,\n"
        "990003,VA Hospital,,Acute Care - Veterans Administration,Akron,OH,,,,\n"
        "990004,No State Hospital,,Childrens,Akron,ZZ,,,,\n"
        "12,Short CCN Hospital,,Childrens,Akron,OH,,,,\n"
        ",No Key Hospital,,Childrens,Akron,OH,,,,\n",
        encoding="utf-8",
    )

    out = csv_import(path, EXAMPLE_MAPPING, tmp_path)

    assert "example: 6 rows: 1 created, 0 updated, 0 unchanged, 5 rejected" in out
    reasons = {r["line"]: r["reason"] for r in read_report(tmp_path / "report.csv")}
    assert reasons["3"].startswith("website: ")
    assert reasons["4"].startswith("kind “Acute Care - Veterans Administration” is not one of")
    assert reasons["5"].startswith("regions: “US-ZZ” is not an ISO 3166-2 region code")
    assert reasons["6"].startswith("ccn: A CMS Certification Number has 6 characters")
    assert reasons["7"] == "no key (column “Facility ID” is empty)"


@pytest.mark.django_db
def test_csv_with_its_own_encoding_and_delimiter(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("ID;Nom;Pays\n7;Hôpital Sainte-Anne;FR\n".encode("latin-1"))
    mapping = tmp_path / "m.json"
    mapping.write_text(
        json.dumps(
            {
                "source": "fr-test",
                "key": "ID",
                "encoding": "latin-1",
                "delimiter": ";",
                "fields": {"name": "Nom", "countries": {"column": "Pays"}},
            }
        )
    )

    assert "1 created" in csv_import(path, mapping, tmp_path)
    assert Organization.objects.get(import_source="fr-test").name == "Hôpital Sainte-Anne"


GOOD_MAPPING = json.loads(EXAMPLE_MAPPING.read_text(encoding="utf-8"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"fields": {**GOOD_MAPPING["fields"], "adress": "Address"}},
            "unknown field “adress” (fields are: name, other_names, kind, countries",
        ),
        ({"key": None}, '"key" must name the column that identifies a row'),
        ({"key": "CCN"}, "lacks the required column CCN (the key)"),
        (
            {"fields": {**GOOD_MAPPING["fields"], "city": "Town"}},
            "lacks the required column Town (field city)",
        ),
        ({"accounts": {"twiter": "Twitter"}}, "unknown platform “twiter”"),
        (
            {
                "fields": {
                    **GOOD_MAPPING["fields"],
                    "regions": {"column": "State", "template": "US-{state}"},
                }
            },
            '"template" must contain {value}',
        ),
        (
            {"fields": {**GOOD_MAPPING["fields"], "kind": {"value": "hospitalz"}}},
            "field kind: “hospitalz” is not a kind",
        ),
        ({"fields": {"name": "Facility Name"}}, "must give countries or regions"),
        (
            {"fields": {**GOOD_MAPPING["fields"], "city": {"column": "City/Town", "value": "X"}}},
            'give either "column" or "value"',
        ),
        (
            {"fields": {**GOOD_MAPPING["fields"], "city": {"column": "City/Town", "split": "|"}}},
            '"split" is only for fields that hold a list',
        ),
        ({"source": "nsi"}, "belongs to the built-in importer"),
        ({"source": "My Registry!"}, '"source" must name where the data comes from'),
        ({"encoding": "klingon"}, "is not a known text encoding"),
        ({"delimiter": ",,"}, '"delimiter" must be one character'),
        ({"colour": "blue"}, "unknown setting “colour”"),
    ],
)
def test_bad_mappings_are_explained(tmp_path, change, message):
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({**GOOD_MAPPING, **change}), encoding="utf-8")

    with pytest.raises(CommandError) as exc:
        csv_import(EXAMPLE_CSV, mapping, tmp_path)

    assert message in str(exc.value)
    assert Organization.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"source": "x", ', "is not valid JSON: Expecting property name enclosed in double"),
        ("[1, 2]", "must be a JSON object"),
        (None, "There is no mapping file at"),
    ],
)
def test_unreadable_mappings(tmp_path, content, message):
    mapping = tmp_path / "mapping.json"
    if content is not None:
        mapping.write_text(content, encoding="utf-8")

    with pytest.raises(CommandError, match="Nothing was imported") as exc:
        csv_import(EXAMPLE_CSV, mapping, tmp_path)

    assert message in str(exc.value)


# The CMS registry -----------------------------------------------------------------------------


def registry(path: Path, tmp_path: Path, **options: object) -> str:
    return run(
        "import_registry",
        str(path),
        source="cms",
        report=str(tmp_path / "report.csv"),
        **options,
    )


@pytest.mark.django_db
def test_registry_import_is_complete_and_idempotent(tmp_path):
    out = registry(CMS, tmp_path)

    assert "cms: 5396 rows: 5396 created, 0 updated, 0 unchanged, 0 rejected" in out
    assert RegistryEntry.objects.filter(source="cms").count() == 5396
    entry = RegistryEntry.objects.get(source="cms", registry_id="360180")
    assert entry.name == "CLEVELAND CLINIC"
    assert (entry.address, entry.city, entry.region) == ("9500 EUCLID AVENUE", "CLEVELAND", "US-OH")
    assert (entry.postal_code, entry.county, entry.phone) == ("44195", "CUYAHOGA", "(216) 952-9829")
    assert (entry.facility_type, entry.ownership) == (
        "Acute Care Hospitals",
        "Voluntary non-profit - Private",
    )
    assert entry.emergency_services is True
    assert entry.data["Hospital overall rating"] == "5"
    assert len(entry.data) == 38
    assert RegistryEntry.objects.get(registry_id="010001").postal_code == "36301"
    akron = RegistryEntry.objects.get(registry_id="363303")  # leading zeros kept elsewhere too
    assert akron.emergency_services is False
    assert RegistryEntry.objects.filter(region="US-PR").exists()  # territories: ISO 3166-2 US-PR
    assert not RegistryEntry.objects.filter(region="").exists()

    again = registry(CMS, tmp_path)
    assert "cms: 5396 rows: 0 created, 0 updated, 5396 unchanged, 0 rejected" in again


@pytest.mark.django_db
def test_registry_records_changed_rows_only(tmp_path):
    registry(CMS, tmp_path)
    changed = tmp_path / "cms.csv"
    text = CMS.read_text(encoding="utf-8")
    old = next(line for line in text.splitlines() if line.startswith("360180,"))
    new = old.replace("(216) 952-9829", "Not Available").replace(",Yes,", ",Not Available,", 1)
    changed.write_text(text.replace(old, new), encoding="utf-8")

    out = registry(changed, tmp_path)

    assert "0 created, 1 updated, 5395 unchanged" in out
    entry = RegistryEntry.objects.get(registry_id="360180")
    assert (entry.phone, entry.emergency_services) == ("", None)
    assert entry.data["Telephone Number"] == "Not Available"  # the upstream row as it is


@pytest.mark.django_db
def test_registry_rejects_rows_that_do_not_fit(tmp_path):
    lines = CMS.read_text(encoding="utf-8").splitlines(keepends=True)
    header, first, second = lines[0], lines[1], lines[2]
    small = tmp_path / "small.csv"
    small.write_text(
        header
        + first
        + second.replace("010005,MARSHALL MEDICAL CENTERS", ",MARSHALL MEDICAL CENTERS")
        + lines[3].replace(lines[3].split(",")[1], "X" * 201, 1),
        encoding="utf-8",
    )
    registry(CMS, tmp_path)

    out = registry(small, tmp_path)

    assert "cms: 3 rows: 0 created, 0 updated, 1 unchanged, 2 rejected" in out
    assert "5395 records from cms are not in this file; they were left as they are." in out
    assert RegistryEntry.objects.count() == 5396
    report = read_report(tmp_path / "report.csv")
    assert [(r["line"], r["reason"]) for r in report] == [
        ("3", "no id (column “Facility ID” is empty)"),
        ("4", "Facility Name is too long (201 characters; at most 200)"),
    ]


@pytest.mark.django_db
def test_registry_dry_run_and_broken_files(tmp_path):
    out = registry(CMS, tmp_path, dry_run=True)
    assert "5396 created" in out
    assert RegistryEntry.objects.count() == 0

    dup = tmp_path / "dup.csv"
    lines = CMS.read_text(encoding="utf-8").splitlines(keepends=True)
    dup.write_text("".join([*lines[:4], lines[2]]), encoding="utf-8")
    with pytest.raises(CommandError, match="“010005” on lines 3, 5"):
        registry(dup, tmp_path)

    latin = tmp_path / "latin.csv"
    latin.write_bytes(CMS.read_bytes()[:2000] + "CAÑON CITY\n".encode("latin-1"))
    with pytest.raises(CommandError, match="is not UTF-8 text"):
        registry(latin, tmp_path)

    missing = tmp_path / "missing.csv"
    missing.write_text("Facility ID,Facility Name\n010001,X\n", encoding="utf-8")
    with pytest.raises(CommandError, match="lacks the required columns Address, City/Town"):
        registry(missing, tmp_path)
    assert RegistryEntry.objects.count() == 0


@pytest.mark.django_db
def test_default_report_goes_to_var(tmp_path, settings):
    settings.VAR_DIR = tmp_path / "var"
    shutil.copy(FIXTURES / "nsi-sample.csv", tmp_path / "in.csv")

    out = run("import_organizations", str(tmp_path / "in.csv"), format="nsi")

    reports = list((tmp_path / "var" / "import-reports").glob("nsi-*.csv"))
    assert len(reports) == 1
    assert f"Report: {reports[0]}" in out
    assert len(read_report(reports[0])) == 4
