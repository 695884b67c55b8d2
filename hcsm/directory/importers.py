"""Bulk imports: organizations from name-suggestion-index (``--format nsi``) or from any CSV a
JSON mapping describes (``--format csv``), and official registries into ``RegistryEntry``.

Every import runs the same four steps (docs/importing.md tells the operator's side):

1. ``read_csv`` reads and checks the WHOLE file first. A broken file (missing, empty, binary,
   not UTF-8, not CSV, missing columns, ragged rows, the same key twice) raises
   ``ImportFileError`` with a message for the person running the import, and nothing is written.
2. Each row becomes a ``Candidate``: the raw fields of a listing and its raw accounts.
3. In ONE transaction each candidate is created or updated through
   ``services.organization_create`` / ``services.organization_update`` (actor ``import:<source>``,
   so a change is recorded only when something changed). A row the rules refuse is *rejected*,
   an account the platform rules refuse or that another listing holds is *skipped*; both are
   kept as ``Rejection``s for the report. A dry run rolls the transaction back at the end.
4. The caller gets an ``ImportResult``; ``write_report`` writes its rejections to a CSV file.

The importer owns the fields it maps: a re-run makes them equal to the file again. Accounts it
added carry ``source=<source>``; accounts people added are never removed by an import.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TextIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from tqdm import tqdm

from hcsm.core.errors import DomainError

from . import platforms, services
from .exports import safe_cell
from .models import Organization, RegistryEntry, SocialAccount
from .selectors import parent_reference
from .validation import (
    KINDS,
    MAX_ACCOUNTS,
    MAX_OTHER_NAMES,
    AccountData,
    InvalidOrganizationData,
    OrganizationData,
    clean_country,
    clean_organization_data,
    clean_region,
)

REPORT_COLUMNS = ["line", "key", "name", "what", "reason", "value"]


class ImportFileError(DomainError):
    """The file (or its mapping) cannot be imported at all. Nothing was written."""

    code = "import_file"


# Results and the report ---------------------------------------------------------------------


@dataclass(frozen=True)
class Rejection:
    """One line of the report: a rejected row, or an account skipped on an imported row."""

    line: int
    key: str
    name: str
    what: str  # "row" or "account"
    reason: str
    value: str = ""


@dataclass
class ImportResult:
    source: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    not_in_file: int = 0  # listings (or entries) from this source the file no longer has
    accounts_accepted: Counter[str] = field(default_factory=Counter)
    accounts_rejected: Counter[str] = field(default_factory=Counter)
    rejections: list[Rejection] = field(default_factory=list)
    dry_run: bool = False
    seconds: float = 0.0
    with_accounts: bool = True

    def summary(self) -> str:
        text = (
            f"{self.source}: {self.rows} rows: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.rejected} rejected"
        )
        if self.with_accounts:
            text += (
                f"; accounts: {sum(self.accounts_accepted.values())} accepted, "
                f"{sum(self.accounts_rejected.values())} rejected"
            )
        return f"{text} ({self.seconds:.1f} s)."

    def account_lines(self) -> list[str]:
        """Per platform, e.g. ``x: 240 accepted, 5 rejected``, most accounts first."""
        totals = self.accounts_accepted + self.accounts_rejected
        return [
            f"{platform}: {self.accounts_accepted[platform]} accepted, "
            f"{self.accounts_rejected[platform]} rejected"
            for platform, _ in sorted(totals.items(), key=lambda item: (-item[1], item[0]))
        ]


def report_result(result: ImportResult, *, path: Path | None = None, shown: int = 20) -> list[str]:
    """Write the report (to ``path`` or the default place) and return what a command prints:
    the summary, accounts per platform, the first rejections and where the report is."""
    path = write_report(
        path=path or default_report_path(result.source), rejections=result.rejections
    )
    lines = [result.summary()]
    if result.with_accounts and (result.accounts_accepted or result.accounts_rejected):
        lines.append("Accounts by platform: " + "; ".join(result.account_lines()) + ".")
    if result.not_in_file:
        lines.append(
            f"{result.not_in_file} records from {result.source} are not in this file; they "
            "were left as they are."
        )
    for r in result.rejections[:shown]:
        lines.append(f"  line {r.line}, {r.key} “{r.name}”: {r.what} rejected: {r.reason}")
    if len(result.rejections) > shown:
        lines.append(f"  … and {len(result.rejections) - shown} more in the report.")
    lines.append(f"Report: {path}")
    return lines


def default_report_path(source: str) -> Path:
    """``var/import-reports/<source>-<UTC timestamp>.csv``, never an existing file."""
    folder = Path(settings.VAR_DIR) / "import-reports"
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    path, n = folder / f"{source}-{stamp}.csv", 1
    while path.exists():
        n += 1
        path = folder / f"{source}-{stamp}-{n}.csv"
    return path


def write_report(*, path: Path, rejections: Iterable[Rejection]) -> Path:
    """The rejections as CSV (UTF-8 with a BOM, cells safe to open in a spreadsheet)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(REPORT_COLUMNS)
        for r in rejections:
            writer.writerow(
                [
                    r.line,
                    safe_cell(r.key),
                    safe_cell(r.name),
                    r.what,
                    safe_cell(r.reason),
                    safe_cell(r.value),
                ]
            )
    return path


# Reading a CSV file -------------------------------------------------------------------------

_SIGNATURES = [
    (b"PK\x03\x04", "a ZIP archive or an Excel workbook (.xlsx)"),
    (b"\xd0\xcf\x11\xe0", "an Excel 97-2003 workbook (.xls)"),
    (b"%PDF", "a PDF document"),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"SQLite format 3\x00", "an SQLite database"),
]


@dataclass(frozen=True)
class CsvRow:
    line: int  # where the row starts in the file; the header is line 1
    values: dict[str, str]


@dataclass(frozen=True)
class CsvFile:
    name: str
    header: list[str]
    rows: list[CsvRow]


def _listing(items: Sequence[str], limit: int = 10) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def _decode(raw: bytes, *, encoding: str, name: str) -> str:
    if not raw.strip(b" \t\r\n\xef\xbb\xbf"):
        raise ImportFileError(f"{name} is empty.")
    for magic, what in _SIGNATURES:
        if raw.startswith(magic):
            raise ImportFileError(
                f"{name} is {what}, not a CSV file. Export it as CSV (UTF-8) and try again."
            )
    codec = codecs.lookup(encoding).name
    if codec == "utf-8" and raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ImportFileError(
            f"{name} is UTF-16 text (a spreadsheet's “Unicode text”), not UTF-8; "
            "save it as “CSV UTF-8” and try again."
        )
    if not codec.startswith(("utf-16", "utf-32")):
        nul = raw.find(b"\x00")
        if nul != -1:
            raise ImportFileError(
                f"{name} contains binary data (a NUL byte at position {nul}), so it is not a "
                "CSV text file."
            )
    body, offset = raw, 0
    if codec == "utf-8" and raw.startswith(codecs.BOM_UTF8):
        body, offset = raw[len(codecs.BOM_UTF8) :], len(codecs.BOM_UTF8)
    try:
        return body.decode(codec)
    except UnicodeDecodeError as exc:
        pos = exc.start + offset
        line = raw.count(b"\n", 0, pos) + 1
        label = "UTF-8" if codec == "utf-8" else encoding
        raise ImportFileError(
            f"The file {name} is not {label} text (byte 0x{raw[pos]:02x} at position {pos}, "
            f"on line {line}); save it as {label} and try again."
        ) from None


def _not_csv_hint(text: str, name: str) -> None:
    """Refuse JSON and web pages by name: their 'header' would only confuse."""
    start = text.lstrip()[:200]
    if start[:1] in ("{", "["):
        try:
            json.loads(text)
        except ValueError:
            pass
        else:
            raise ImportFileError(f"{name} is a JSON file, not CSV.")
    lowered = start.lower()
    if lowered.startswith(("<!doctype", "<html", "<?xml")):
        raise ImportFileError(f"{name} is an HTML or XML document, not CSV.")


def read_csv(
    path: Path | str,
    *,
    required: dict[str, str],
    key_of: Callable[[dict[str, str]], str] | None = None,
    key_label: str = "key",
    encoding: str = "utf-8",
    delimiter: str = ",",
) -> CsvFile:
    """Read and check the whole file. ``required`` maps each column that must be in the header
    to what it is for ("" when obvious); ``key_of`` gives a row's key, which must be unique."""
    path = Path(path)
    name = path.name
    if not path.exists():
        raise ImportFileError(f"There is no file at {path}.")
    if not path.is_file():
        raise ImportFileError(f"{path} is not a file.")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(f"Cannot read {path}: {exc.strerror}.") from None
    text = _decode(raw, encoding=encoding, name=name)
    if not text.strip():
        raise ImportFileError(f"{name} is empty.")
    _not_csv_hint(text, name)

    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[tuple[int, list[str]]] = []
    end = 0
    try:
        for cells in reader:
            start, end = end + 1, reader.line_num
            if any(c.strip() for c in cells):  # blank lines and rows of empty cells are skipped
                records.append((start, cells))
    except csv.Error as exc:
        raise ImportFileError(f"{name} is not valid CSV: {exc} (line {reader.line_num}).") from None
    if not records:
        raise ImportFileError(f"{name} is empty.")

    header = [c.strip().lstrip("\ufeff") for c in records[0][1]]
    positions: dict[str, list[int]] = {}
    for n, col in enumerate(header, start=1):
        if col:
            positions.setdefault(col, []).append(n)
    twice = [
        f"“{c}” (columns {', '.join(map(str, ns))})" for c, ns in positions.items() if len(ns) > 1
    ]
    if twice:
        raise ImportFileError(f"The header of {name} names a column twice: {_listing(twice)}.")
    missing = [c for c in required if c not in positions]
    if missing:
        wanted = [f"{c} ({required[c]})" if required[c] else c for c in missing]
        found = [c[:40] for c in header if c]
        hint = ""
        if len(header) == 1 and delimiter not in records[0][1][0]:
            for other in (";", "\t", "|"):
                if other in records[0][1][0]:
                    shown = "tab" if other == "\t" else f"“{other}”"
                    hint = f" The columns seem to be separated by {shown}, not “{delimiter}”."
                    break
        raise ImportFileError(
            f"{name} lacks the required column{'s' if len(missing) > 1 else ''} "
            f"{_listing(wanted, 30)}. Its header has: {_listing(found, 30) or 'nothing'}.{hint}"
        )

    width = len(header)
    rows: list[CsvRow] = []
    ragged: list[str] = []
    for line, cells in records[1:]:
        if len(cells) > width and not any(c.strip() for c in cells[width:]):
            cells = cells[:width]  # trailing empty cells, as some spreadsheets write them
        if len(cells) != width:
            ragged.append(f"line {line} has {len(cells)}")
            continue
        rows.append(CsvRow(line, dict(zip(header, cells, strict=True))))
    if ragged:
        raise ImportFileError(
            f"Every row of {name} must have as many fields as its header ({width}), but "
            f"{_listing(ragged, 5)} (a stray “{delimiter}” or an unclosed quote?)."
        )
    if not rows:
        raise ImportFileError(f"{name} has a header but no rows.")

    if key_of is not None:
        seen: dict[str, list[int]] = {}
        for row in rows:
            key = key_of(row.values)
            if key:
                seen.setdefault(key, []).append(row.line)
        twice = [
            f"“{k}” on lines {', '.join(map(str, ls))}" for k, ls in seen.items() if len(ls) > 1
        ]
        if twice:
            raise ImportFileError(
                f"{name} has the same {key_label} on more than one row, so it is not clear "
                f"which is right: {_listing(twice)}. Remove the duplicates and try again."
            )
    return CsvFile(name=name, header=header, rows=rows)


# From rows to candidate listings ------------------------------------------------------------


@dataclass
class Candidate:
    """A row turned into the raw fields of a listing (cleaned later, by the shared rules)."""

    line: int
    key: str
    name: str
    fields: dict[str, Any] = field(default_factory=dict)
    accounts: list[tuple[str, str]] = field(default_factory=list)  # (platform slug, raw value)
    problem: str = ""  # set when the row is rejected before the rules see it
    problem_value: str = ""


# name-suggestion-index ----------------------------------------------------------------------

NSI_SOURCE = "nsi"
# CSV column -> NSI identity key (platforms.platform_for_nsi_key turns it into our slug).
NSI_ACCOUNT_COLUMNS = {
    "facebook": "facebook",
    "twitter": "twitter",
    "instagram": "instagram",
    "linkedin": "linkedin",
    "youtube_channel_id": "youtube",
    "youtube_handle": "youtubeHandle",
    "tiktok": "tiktok",
    "pinterest": "pinterest",
    "threads": "threads",
    "vk": "vk",
    "weibo": "weibo",
}
NSI_COLUMNS = {
    "wikidata_qid": "the key",
    "name": "",
    "other_names": "",
    "wikidata_label": "",
    "nsi_categories": "the kind",
    "location_include": "the countries",
    "website": "",
    "official_websites": "",
    **{column: "an account" for column in NSI_ACCOUNT_COLUMNS},
}
# The last part of an NSI category -> our kind. Categories that are not a kind of their own go
# to the closest one: dialysis, physiotherapy, hearing and rehabilitation centres treat
# out-patients like a clinic; blood services, counselling (weight loss) and alternative
# medicine (chiropractic) are "other". docs/importing.md has the table.
NSI_KINDS = {
    "hospital": "hospital",
    "clinic": "clinic",
    "doctors": "physician_practice",
    "dentist": "dental",
    "laboratory": "laboratory",
    "sample_collection": "laboratory",
    "dialysis": "clinic",
    "physiotherapist": "clinic",
    "audiologist": "clinic",
    "rehabilitation": "clinic",
    "blood_donation": "other",
    "counselling": "other",
    "alternative": "other",
}
# With several categories, the first of these wins (a chain that runs hospitals and clinics
# is listed as a hospital).
NSI_KIND_ORDER = ("hospital", "clinic", "physician_practice", "laboratory", "dental", "other")
# country-coder codes in NSI location sets that ISO 3166-1 does not assign.
NSI_COUNTRY_ALIASES = {"fx": "FR", "uk": "GB"}


def nsi_kind(categories: str) -> str:
    kinds = {NSI_KINDS.get(c.rsplit("/", 1)[-1], "other") for c in categories.split()}
    return next((k for k in NSI_KIND_ORDER if k in kinds), "other")


def _country_or_none(code: str) -> str | None:
    code = NSI_COUNTRY_ALIASES.get(code.lower(), code)
    if len(code) != 2:
        return None
    try:
        return clean_country(code)
    except ValidationError:
        return None


def _region_or_none(code: str) -> str | None:
    try:
        return clean_region(code)
    except ValidationError:
        return None


def nsi_places(location_include: str) -> tuple[list[str], list[str], str]:
    """``(countries, regions, problem)`` from an NSI location set, in its order.

    ``us`` -> country US; ``us-ny.geojson`` or ``gb-sct`` -> region US-NY / GB-SCT when ISO
    3166-2 knows it; a county-level ``us-ca-orange_county.geojson`` -> its state US-CA; any
    other sub-area (``gb-south-west.geojson``) -> just its country. UN M49 areas (``001`` the
    world, ``150`` Europe) are not countries. ``problem`` says why there is no country."""
    countries: list[str] = []
    regions: list[str] = []
    areas: list[str] = []
    unknown: list[str] = []
    for token in location_include.split():
        code = token.lower().removesuffix(".geojson")
        if code.isdigit():
            areas.append(code)
            continue
        parts = code.split("-")
        country = _country_or_none(parts[0])
        if country is None:
            unknown.append(token)
            continue
        if country not in countries:
            countries.append(country)
        if len(parts) > 1:
            region = _region_or_none("-".join(parts[:2])) if len(parts[1]) <= 3 else None
            if region and region[:2] == country and region not in regions:
                regions.append(region)
    if countries:
        return countries, regions, ""
    if areas == ["001"] and not unknown:
        return [], [], "no country: NSI says worldwide (001)"
    if areas and not unknown:
        return [], [], f"no country: NSI gives only the area {', '.join(areas)} (UN M49)"
    if unknown:
        shown = ", ".join(f"“{u}”" for u in unknown)
        return [], [], f"no country: NSI location {shown} is not an ISO 3166 country or region"
    return [], [], "no country: NSI gives no location"


def nsi_candidate(row: CsvRow) -> Candidate:
    v = {k: (val or "").strip() for k, val in row.values.items()}
    qid = v["wikidata_qid"].upper()
    cand = Candidate(line=row.line, key=qid, name=v["name"])
    if not qid:
        cand.problem = "no Wikidata id (column wikidata_qid is empty)"
        return cand
    countries, regions, problem = nsi_places(v["location_include"])
    if problem:
        cand.problem, cand.problem_value = problem, v["location_include"]
        return cand
    other = [n.strip() for n in v["other_names"].split(" | ") if n.strip()]
    if v["wikidata_label"] and v["wikidata_label"] not in (v["name"], *other):
        other.append(v["wikidata_label"])
    official = v["official_websites"].split()
    cand.fields = {
        "name": v["name"],
        "kind": nsi_kind(v["nsi_categories"]),
        "other_names": other[:MAX_OTHER_NAMES],
        "countries": countries,
        "regions": regions,
        "website": v["website"] or (official[0] if official else ""),
        "wikidata": qid,
    }
    for column, nsi_key in NSI_ACCOUNT_COLUMNS.items():
        value = v[column]
        if not value:
            continue
        if column == "youtube_handle" and v["youtube_channel_id"]:
            # NSI's channel id and handle name one channel: list it once, by the id, which
            # never changes (a handle can be renamed) and is what the Data API batches by.
            continue
        if column == "youtube_handle" and not value.startswith("@"):
            value = "@" + value
        cand.accounts.append((platforms.platform_for_nsi_key(nsi_key) or nsi_key, value))
    return cand


def organizations_import_nsi(
    *, path: Path | str, dry_run: bool = False, progress: TextIO | None = None
) -> ImportResult:
    """Import a name-suggestion-index export (data/nsi-healthcare-orgs-social.csv)."""
    started = time.monotonic()
    csv_file = read_csv(
        path,
        required=NSI_COLUMNS,
        key_of=lambda values: values["wikidata_qid"].strip().upper(),
        key_label="wikidata_qid",
    )
    candidates = [nsi_candidate(row) for row in csv_file.rows]
    result = import_candidates(
        source=NSI_SOURCE, candidates=candidates, dry_run=dry_run, progress=progress
    )
    result.seconds = time.monotonic() - started
    return result


# Any CSV, through a JSON mapping ------------------------------------------------------------

# Listing field -> whether it holds a list (other_names "A|B") or one value.
MAPPING_FIELDS = {
    "name": False,
    "other_names": True,
    "kind": False,
    "countries": True,
    "regions": True,
    "city": False,
    "website": False,
    "wikidata": False,
    "ccn": False,
    # The listed health system it is part of, by its slug or its name as listed (rows that
    # name a parent are written after the others, so a system in the same file comes first).
    "parent": False,
}
MAPPING_SETTINGS = (
    "source",
    "key",
    "fields",
    "accounts",
    "encoding",
    "delimiter",
    "empty",
    "description",
)
SPEC_KEYS = ("column", "value", "split", "template", "map", "default")
RESERVED_SOURCES = {NSI_SOURCE}
_SOURCE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


@dataclass(frozen=True)
class FieldSpec:
    """Where one field's value comes from: a ``column`` of the file or a fixed ``value``."""

    column: str = ""
    value: str | list[str] | None = None
    split: str = ""
    template: str = ""
    map: dict[str, str] | None = None
    default: str = ""

    def values(self, row: dict[str, str], empty: frozenset[str]) -> list[str]:
        if self.value is not None:
            return list(self.value) if isinstance(self.value, list) else [self.value]
        cell = row[self.column].strip()
        parts = [p.strip() for p in cell.split(self.split)] if self.split else [cell]
        parts = [p for p in parts if p and p not in empty]
        if not parts and self.default:
            parts = [self.default]
        out = []
        for p in parts:
            if self.map is not None:
                p = self.map.get(p, p)
            out.append(self.template.format(value=p) if self.template else p)
        return out


@dataclass(frozen=True)
class Mapping:
    source: str
    key: str
    fields: dict[str, FieldSpec]
    accounts: dict[str, FieldSpec]
    encoding: str = "utf-8"
    delimiter: str = ","
    empty: frozenset[str] = frozenset()

    def required_columns(self) -> dict[str, str]:
        """Every column the mapping reads -> what for."""
        cols: dict[str, list[str]] = {self.key: ["the key"]}
        for name, spec in self.fields.items():
            if spec.column:
                cols.setdefault(spec.column, []).append(f"field {name}")
        for platform, spec in self.accounts.items():
            if spec.column:
                cols.setdefault(spec.column, []).append(f"{platform} accounts")
        return {col: ", ".join(uses) for col, uses in cols.items()}


def _parse_spec(where: str, raw: Any, *, is_list: bool, errors: list[str]) -> FieldSpec | None:
    example = '"City" or {"column": "City"} or {"value": "US"}'
    if isinstance(raw, str):
        if not raw.strip():
            errors.append(f"{where}: the column name is empty.")
            return None
        return FieldSpec(column=raw.strip())
    if not isinstance(raw, dict):
        errors.append(f"{where}: give a column name or an object, e.g. {example}.")
        return None
    unknown = [k for k in raw if k not in SPEC_KEYS]
    if unknown:
        errors.append(
            f"{where}: unknown setting {', '.join(f'“{k}”' for k in unknown)} "
            f"(allowed: {', '.join(SPEC_KEYS)})."
        )
    column, value = raw.get("column"), raw.get("value")
    if (column is None) == (value is None):
        errors.append(f'{where}: give either "column" or "value" (one of them), e.g. {example}.')
        return None
    if column is not None and (not isinstance(column, str) or not column.strip()):
        errors.append(f'{where}: "column" must be a column name.')
        return None
    if value is not None:
        ok = isinstance(value, str) or (
            is_list and isinstance(value, list) and all(isinstance(x, str) for x in value)
        )
        if not ok:
            errors.append(f'{where}: "value" must be text{" or a list of texts" * is_list}.')
            return None
    split, template = raw.get("split", ""), raw.get("template", "")
    mapping, default = raw.get("map"), raw.get("default", "")
    if split and not is_list:
        errors.append(f'{where}: "split" is only for fields that hold a list.')
    if not isinstance(split, str):
        errors.append(f'{where}: "split" must be text, e.g. "|".')
        split = ""
    if not isinstance(template, str):
        errors.append(f'{where}: "template" must be text such as "US-{{value}}".')
        template = ""
    elif template:
        try:
            if "{value}" not in template:
                raise KeyError("value")
            template.format(value="x")
        except (KeyError, IndexError, ValueError):
            errors.append(
                f'{where}: "template" must contain {{value}} and no other {{…}}, '
                'e.g. "US-{value}".'
            )
            template = ""
    if mapping is not None and (
        not isinstance(mapping, dict)
        or not all(isinstance(k, str) and isinstance(x, str) for k, x in mapping.items())
    ):
        errors.append(
            f'{where}: "map" must translate texts to texts, e.g. '
            '{"Acute Care Hospitals": "hospital"}.'
        )
        mapping = None
    if not isinstance(default, str):
        errors.append(f'{where}: "default" must be text.')
        default = ""
    return FieldSpec(
        column=(column or "").strip(),
        value=value,
        split=split,
        template=template,
        map=mapping,
        default=default,
    )


def parse_mapping(raw: Any, *, name: str = "the mapping") -> Mapping:
    """Check a mapping (already parsed from JSON); every problem is named at once."""
    if not isinstance(raw, dict):
        raise ImportFileError(f'{name} must be a JSON object with "source", "key" and "fields".')
    errors: list[str] = []
    unknown = [k for k in raw if k not in MAPPING_SETTINGS]
    if unknown:
        errors.append(
            f"unknown setting {', '.join(f'“{k}”' for k in unknown)} "
            f"(allowed: {', '.join(MAPPING_SETTINGS)})."
        )
    source = raw.get("source")
    if not isinstance(source, str) or not _SOURCE.match(source):
        errors.append(
            '"source" must name where the data comes from in lower case letters, digits, - '
            'or _ (at most 40), e.g. "state-registry".'
        )
        source = ""
    elif source in RESERVED_SOURCES:
        errors.append(f'"source" “{source}” belongs to the built-in importer; choose another.')
    key = raw.get("key")
    if not isinstance(key, str) or not key.strip():
        errors.append(
            '"key" must name the column that identifies a row (the same value on every run), '
            'e.g. "Facility ID".'
        )
        key = ""
    fields: dict[str, FieldSpec] = {}
    raw_fields = raw.get("fields")
    if not isinstance(raw_fields, dict):
        errors.append('"fields" must be an object from field names to columns.')
        raw_fields = {}
    for fname, spec in raw_fields.items():
        if fname not in MAPPING_FIELDS:
            errors.append(f"unknown field “{fname}” (fields are: {', '.join(MAPPING_FIELDS)}).")
            continue
        parsed = _parse_spec(f"field {fname}", spec, is_list=MAPPING_FIELDS[fname], errors=errors)
        if parsed is not None:
            fields[fname] = parsed
    if raw_fields and "name" not in raw_fields:
        errors.append('"fields" must say which column holds the name.')
    if raw_fields and not ({"countries", "regions"} & set(raw_fields)):
        errors.append(
            '"fields" must give countries or regions (a column, or a fixed value such as '
            '{"value": "US"}): every listing needs a country.'
        )
    kind = fields.get("kind")
    if kind is not None:
        fixed = [kind.value] if isinstance(kind.value, str) else []
        bad = [
            k for k in [*fixed, *(kind.map or {}).values(), kind.default] if k and k not in KINDS
        ]
        if bad:
            errors.append(
                f"field kind: {', '.join(f'“{k}”' for k in bad)} is not a kind; kinds are: "
                f"{', '.join(sorted(KINDS))}."
            )
    accounts: dict[str, FieldSpec] = {}
    raw_accounts = raw.get("accounts", {})
    if not isinstance(raw_accounts, dict):
        errors.append('"accounts" must be an object from platforms to columns.')
        raw_accounts = {}
    for platform, spec in raw_accounts.items():
        if platform not in platforms.PLATFORMS:
            errors.append(
                f'unknown platform “{platform}” in "accounts" (platforms are: '
                f"{', '.join(platforms.PLATFORMS)})."
            )
            continue
        parsed = _parse_spec(f"accounts {platform}", spec, is_list=True, errors=errors)
        if parsed is not None:
            accounts[platform] = parsed
    encoding = raw.get("encoding", "utf-8")
    try:
        if not isinstance(encoding, str):
            raise LookupError(encoding)
        codecs.lookup(encoding)
    except LookupError:
        errors.append(
            f'"encoding" {json.dumps(encoding)} is not a known text encoding '
            '(e.g. "utf-8", "latin-1", "cp1252").'
        )
        encoding = "utf-8"
    delimiter = raw.get("delimiter", ",")
    if not isinstance(delimiter, str) or len(delimiter) != 1 or delimiter in '"\r\n':
        errors.append('"delimiter" must be one character, e.g. "," or ";" or "\\t".')
        delimiter = ","
    empty = raw.get("empty", [])
    if not isinstance(empty, list) or not all(isinstance(x, str) for x in empty):
        errors.append('"empty" must be a list of texts that mean “no value”, e.g. ["N/A"].')
        empty = []
    if errors:
        raise ImportFileError(
            f"{name} has {'a problem' if len(errors) == 1 else 'problems'}: "
            + " ".join(f"({n}) {e}" for n, e in enumerate(errors, start=1))
        )
    return Mapping(
        source=source,
        key=key.strip(),
        fields=fields,
        accounts=accounts,
        encoding=encoding,
        delimiter=delimiter,
        empty=frozenset(e.strip() for e in empty),
    )


def load_mapping(path: Path | str) -> Mapping:
    path = Path(path)
    if not path.is_file():
        raise ImportFileError(f"There is no mapping file at {path}.")
    try:
        raw = json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        raise ImportFileError(f"The mapping {path.name} is not UTF-8 text.") from None
    except json.JSONDecodeError as exc:
        raise ImportFileError(
            f"The mapping {path.name} is not valid JSON: {exc.msg} (line {exc.lineno}, "
            f"column {exc.colno})."
        ) from None
    return parse_mapping(raw, name=f"The mapping {path.name}")


def mapping_candidate(mapping: Mapping, row: CsvRow) -> Candidate:
    values = row.values
    key = values[mapping.key].strip()
    if key in mapping.empty:
        key = ""
    name_spec = mapping.fields["name"]
    name = next(iter(name_spec.values(values, mapping.empty)), "")
    cand = Candidate(line=row.line, key=key, name=name)
    if not key:
        cand.problem = f"no key (column “{mapping.key}” is empty)"
        return cand
    if len(key) > 100:
        cand.problem, cand.problem_value = "the key is longer than 100 characters", key[:200]
        return cand
    for fname, spec in mapping.fields.items():
        found = spec.values(values, mapping.empty)
        cand.fields[fname] = found if MAPPING_FIELDS[fname] else " ".join(found)
    kind = cand.fields.get("kind") or "other"
    if kind not in KINDS:
        cand.problem = (
            f'kind “{kind}” is not one of: {", ".join(sorted(KINDS))} (translate it with "map" '
            "in the mapping)"
        )
        cand.problem_value = kind
        return cand
    cand.fields["kind"] = kind
    cand.fields["other_names"] = cand.fields.get("other_names", [])[:MAX_OTHER_NAMES]
    for platform, spec in mapping.accounts.items():
        for value in spec.values(values, mapping.empty):
            cand.accounts.append((platform, value))
    return cand


def organizations_import_csv(
    *,
    path: Path | str,
    mapping: Mapping,
    dry_run: bool = False,
    progress: TextIO | None = None,
) -> ImportResult:
    """Import any CSV file whose columns ``mapping`` names."""
    started = time.monotonic()
    csv_file = read_csv(
        path,
        required=mapping.required_columns(),
        key_of=lambda values: "" if (k := values[mapping.key].strip()) in mapping.empty else k,
        key_label=f"“{mapping.key}”",
        encoding=mapping.encoding,
        delimiter=mapping.delimiter,
    )
    candidates = [mapping_candidate(mapping, row) for row in csv_file.rows]
    result = import_candidates(
        source=mapping.source, candidates=candidates, dry_run=dry_run, progress=progress
    )
    result.seconds = time.monotonic() - started
    return result


# Writing listings ---------------------------------------------------------------------------


def _progress(items: Sequence[Any], stream: TextIO | None, desc: str) -> Iterator[Any]:
    return iter(tqdm(items, desc=desc, unit="row", file=stream, disable=stream is None))


def _as_text(value: Any) -> str:
    return " | ".join(map(str, value)) if isinstance(value, list) else str(value)


class _Skip(Exception):
    """This row is rejected; the message is the reason."""

    def __init__(self, reason: str, value: str = "") -> None:
        super().__init__(reason)
        self.reason, self.value = reason, value


class _ListingWriter:
    """Creates or updates one listing per candidate, counting into ``result``."""

    def __init__(self, *, source: str, result: ImportResult) -> None:
        self.source = source
        self.label = f"import:{source}"
        self.result = result
        self.existing = {
            o.import_key: o
            for o in Organization.objects.filter(import_source=source).exclude(import_key="")
        }
        # Labels people gave to imported accounts, so a re-run keeps them and changes nothing.
        self.labels = {
            (oid, platform, key): label
            for oid, platform, key, label in SocialAccount.objects.filter(
                organization__import_source=source
            )
            .exclude(label="")
            .values_list("organization_id", "platform", "key", "label")
        }

    def write(self, cand: Candidate) -> None:
        result = self.result
        skipped: list[tuple[str, Rejection]] = []  # (platform, why), kept if the row imports
        try:
            if cand.problem:
                raise _Skip(cand.problem, cand.problem_value)
            org = self.existing.get(cand.key)
            cand = self._with_parent_slug(cand)
            data = self._clean(cand)
            self._check_wikidata(data.wikidata, org)
            accounts = self._accounts(cand, org, skipped)
            data = replace(data, accounts=accounts)
            org, outcome = services.organization_import(
                source=self.source, key=cand.key, data=data, organization=org
            )
            self.existing[cand.key] = org
            if outcome == "created":
                result.created += 1
            elif outcome == "updated":
                result.updated += 1
            else:
                result.unchanged += 1
        except services.InvalidParent as exc:
            result.rejected += 1
            raw = _as_text(cand.fields.get("parent", ""))
            result.rejections.append(
                Rejection(cand.line, cand.key, cand.name, "row", f"parent: {exc.message}", raw)
            )
            return
        except _Skip as skip:
            result.rejected += 1
            result.rejections.append(
                Rejection(cand.line, cand.key, cand.name, "row", skip.reason, skip.value)
            )
            return
        except DomainError as exc:  # e.g. AccountTaken, should another writer get there first
            result.rejected += 1
            result.rejections.append(Rejection(cand.line, cand.key, cand.name, "row", exc.message))
            return
        result.accounts_accepted.update(a.platform for a in accounts)
        result.accounts_rejected.update(platform for platform, _ in skipped)
        result.rejections.extend(why for _, why in skipped)

    def _with_parent_slug(self, cand: Candidate) -> Candidate:
        """The candidate with its ``parent`` (a slug or a name as listed) as the listing's
        slug; ``_Skip`` when it names no listing, or several. Whether that listing may be the
        parent (a system, no loop) is ``services.parent_check``'s rule, applied on writing."""
        typed = str(cand.fields.get("parent") or "").strip()
        if not typed:
            return cand
        ref = parent_reference(typed)
        if ref.organization is not None:
            return replace(cand, fields={**cand.fields, "parent": ref.organization.slug})
        if ref.ambiguous:
            slugs = ", ".join(o.slug for o in ref.ambiguous)
            raise _Skip(
                f"parent: “{typed[:80]}” names {len(ref.ambiguous)} listings ({slugs}); give the "
                "slug of the right one",
                typed,
            )
        raise _Skip(
            f"parent: “{typed[:80]}” is not on the list (give the slug of its page or its name "
            "as listed; a system in the same file must be imported without errors)",
            typed,
        )

    def _clean(self, cand: Candidate) -> OrganizationData:
        try:
            return clean_organization_data({**cand.fields, "accounts": []})
        except InvalidOrganizationData as exc:
            shown = {f: _as_text(cand.fields[f]) for f in exc.errors if f in cand.fields}
            value = (
                next(iter(shown.values()))
                if len(shown) == 1
                else "; ".join(f"{f}: {v}" for f, v in shown.items())
            )
            raise _Skip(str(exc), value) from None

    def _check_wikidata(self, qid: str, org: Organization | None) -> None:
        if not qid:
            return
        holder = Organization.objects.filter(wikidata=qid)
        if org is not None:
            holder = holder.exclude(pk=org.pk)
        other = holder.values("name", "slug", "import_source").first()
        if other is not None:
            by = f"import {other['import_source']}" if other["import_source"] else "people"
            raise _Skip(
                f"Wikidata {qid} is already listed as “{other['name']}” ({other['slug']}, added "
                f"by {by}); merge the two by hand",
                qid,
            )

    def _accounts(
        self, cand: Candidate, org: Organization | None, skipped: list[tuple[str, Rejection]]
    ) -> list[AccountData]:
        """The candidate's accounts in canonical form; refused or taken ones go to
        ``skipped``."""
        accepted: dict[tuple[str, str], AccountData] = {}
        raw_of: dict[tuple[str, str], str] = {}

        def skip(platform: str, raw: str, reason: str) -> None:
            why = Rejection(cand.line, cand.key, cand.name, "account", f"{platform}: {reason}", raw)
            skipped.append((platform, why))

        for platform, raw in cand.accounts:
            try:
                acc = platforms.canonicalize(raw, platform)
            except platforms.AccountInputError as exc:
                skip(platform, raw, str(exc))
                continue
            ident = (acc.platform, acc.key)
            if ident in accepted:
                continue
            if len(accepted) >= MAX_ACCOUNTS:
                skip(platform, raw, f"more than {MAX_ACCOUNTS} accounts on one listing")
                continue
            label = self.labels.get((org.pk, *ident), "") if org is not None else ""
            accepted[ident] = AccountData(acc.platform, acc.handle, acc.url, acc.key, label)
            raw_of[ident] = raw
        if accepted:
            query = Q()
            for platform, key in accepted:
                query |= Q(platform=platform, key=key)
            taken = SocialAccount.objects.filter(query)
            if org is not None:
                taken = taken.exclude(organization_id=org.pk)
            for platform, key, holder in taken.values_list("platform", "key", "organization__name"):
                del accepted[(platform, key)]
                skip(
                    platform,
                    raw_of[(platform, key)],
                    f"already listed for “{holder}” (an account belongs to one organization)",
                )
        return list(accepted.values())


def import_candidates(
    *,
    source: str,
    candidates: Sequence[Candidate],
    dry_run: bool = False,
    progress: TextIO | None = None,
) -> ImportResult:
    """Create or update a listing per candidate, all in one transaction (rolled back when
    ``dry_run``)."""
    result = ImportResult(source=source, rows=len(candidates), dry_run=dry_run)
    # Rows naming a parent last, so that a health system in the same file exists by then.
    ordered = sorted(candidates, key=lambda c: bool(c.fields.get("parent")))
    with transaction.atomic():
        writer = _ListingWriter(source=source, result=result)
        for cand in _progress(ordered, progress, source):
            writer.write(cand)
        result.rejections.sort(key=lambda r: r.line)  # stable: a row's own lines keep order
        result.not_in_file = len(set(writer.existing) - {c.key for c in candidates})
        if dry_run:
            transaction.set_rollback(True)
    return result


# Official registries ------------------------------------------------------------------------

NOT_AVAILABLE = "Not Available"
# CMS Hospital General Information: model field -> column. Facility ID is the CCN.
CMS_COLUMNS = {
    "registry_id": "Facility ID",
    "name": "Facility Name",
    "address": "Address",
    "city": "City/Town",
    "region": "State",
    "postal_code": "ZIP Code",
    "county": "County/Parish",
    "phone": "Telephone Number",
    "facility_type": "Hospital Type",
    "ownership": "Hospital Ownership",
    "emergency_services": "Emergency Services",
}
REGISTRY_FORMATS = {"cms": CMS_COLUMNS}
REGISTRY_FIELDS = [f for f in CMS_COLUMNS if f != "registry_id"] + ["data"]
_YES_NO = {"yes": True, "no": False}


def registry_region(state: str) -> str:
    """``AL`` -> ``US-AL``. Territories are ISO 3166-2 US subdivisions too (``US-PR``); a code
    pycountry only knows as a country is kept as that country (``PR``); else empty."""
    state = state.strip().upper()
    if not state:
        return ""
    return _region_or_none(f"US-{state}") or _country_or_none(state) or ""


def _registry_fields(row: CsvRow, columns: dict[str, str]) -> dict[str, Any]:
    """The model fields of one row; raises ``_Skip`` when a value does not fit."""
    values = {
        f: ("" if (v := row.values[col].strip()) == NOT_AVAILABLE else v)
        for f, col in columns.items()
    }
    if not values["registry_id"]:
        raise _Skip(f"no id (column “{columns['registry_id']}” is empty)")
    if not values["name"]:
        raise _Skip(f"no name (column “{columns['name']}” is empty)")
    for f, value in values.items():
        limit = RegistryEntry._meta.get_field(f).max_length
        if limit and len(value) > limit and f != "region":
            raise _Skip(
                f"{columns[f]} is too long ({len(value)} characters; at most {limit})", value[:200]
            )
    values["region"] = registry_region(values["region"])
    values["emergency_services"] = _YES_NO.get(values["emergency_services"].lower())
    values["data"] = dict(row.values)  # the upstream row as it is
    return values


def registry_entries_import(
    *,
    path: Path | str,
    source: str = "cms",
    dry_run: bool = False,
    progress: TextIO | None = None,
) -> ImportResult:
    """Load an official registry into ``RegistryEntry``: create new ids, update changed ones
    (in bulk), leave unchanged ones and ids the file no longer has alone."""
    if source not in REGISTRY_FORMATS:
        raise ImportFileError(f"Unknown registry “{source}”; known: {', '.join(REGISTRY_FORMATS)}.")
    started = time.monotonic()
    columns = REGISTRY_FORMATS[source]
    id_column = columns["registry_id"]
    csv_file = read_csv(
        path,
        required={col: "" for col in columns.values()},
        key_of=lambda values: "" if (k := values[id_column].strip()) == NOT_AVAILABLE else k,
        key_label=f"“{id_column}”",
    )
    result = ImportResult(
        source=source, rows=len(csv_file.rows), dry_run=dry_run, with_accounts=False
    )
    wanted: dict[str, dict[str, Any]] = {}
    for row in csv_file.rows:
        try:
            values = _registry_fields(row, columns)
        except _Skip as skip:
            name = row.values[columns["name"]].strip()
            key = row.values[id_column].strip()
            result.rejected += 1
            result.rejections.append(Rejection(row.line, key, name, "row", skip.reason, skip.value))
            continue
        wanted[values.pop("registry_id")] = values

    with transaction.atomic():
        current = {e.registry_id: e for e in RegistryEntry.objects.filter(source=source)}
        now = timezone.now()
        to_create: list[RegistryEntry] = []
        to_update: list[RegistryEntry] = []
        for registry_id, values in _progress(list(wanted.items()), progress, source):
            entry = current.get(registry_id)
            if entry is None:
                to_create.append(RegistryEntry(source=source, registry_id=registry_id, **values))
            elif any(getattr(entry, f) != v for f, v in values.items()):
                for f, v in values.items():
                    setattr(entry, f, v)
                entry.updated_at = now  # bulk_update does not touch auto_now fields
                to_update.append(entry)
            else:
                result.unchanged += 1
        RegistryEntry.objects.bulk_create(to_create, batch_size=500)
        RegistryEntry.objects.bulk_update(
            to_update, [*REGISTRY_FIELDS, "updated_at"], batch_size=500
        )
        result.created, result.updated = len(to_create), len(to_update)
        result.not_in_file = len(set(current) - set(wanted))
        if dry_run:
            transaction.set_rollback(True)
    result.seconds = time.monotonic() - started
    return result
