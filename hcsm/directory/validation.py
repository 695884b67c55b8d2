"""What a listing may hold: the one set of rules that forms, the API, importers and moderation
all pass proposed data through (``clean_organization_data``)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pycountry
import tldextract
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from . import platforms

_extract = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)  # bundled list; no network
_url_validator = URLValidator(schemes=["http", "https"])
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_WIKIDATA = re.compile(r"^Q[1-9][0-9]{0,11}$")
_CCN = re.compile(r"^[0-9A-Z]{6}$")
_SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")  # what a SlugField holds
KINDS = {
    "hospital",
    "health_system",
    "clinic",
    "physician_practice",
    "laboratory",
    "dental",
    "long_term_care",
    "public_health_agency",
    "association",
    "payer",
    "other",
}
MAX_OTHER_NAMES = 20
MAX_ACCOUNTS = 60
MAX_COUNTRIES = 60
MAX_REGIONS = 100


class InvalidOrganizationData(Exception):
    """Proposed data broke the rules; ``errors`` maps field names to messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class AccountData:
    platform: str
    handle: str
    url: str
    key: str
    label: str = ""


@dataclass
class OrganizationData:
    """A whole proposed listing, already canonical."""

    name: str
    kind: str = "other"
    other_names: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    city: str = ""
    website: str = ""
    wikidata: str = ""
    ccn: str = ""
    accounts: list[AccountData] = field(default_factory=list)
    # The slug of the listed health system this organization is part of ("" for none). Its
    # rules need the database (listed, not itself, no cycle, a system-like kind); the services
    # check them (services.parent_check).
    parent: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> OrganizationData:
        """Re-validates: stored submissions are cleaned again before they are applied."""
        return clean_organization_data(data)


def clean_text(value: Any, *, label: str, max_length: int, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError(f"{label} must be text.")
    value = unicodedata.normalize("NFKC", value).strip()
    value = re.sub(r"\s+", " ", value)
    if not value:
        if required:
            raise ValidationError(f"{label} is required.")
        return ""
    if len(value) > max_length:
        raise ValidationError(
            f"{label} is too long ({len(value)} characters; at most {max_length})."
        )
    for ch in value:
        if unicodedata.category(ch) in {"Cc", "Cf", "Co", "Cs"}:
            raise ValidationError(f"{label} contains an invisible or control character; retype it.")
    if value.startswith(_FORMULA_START):
        raise ValidationError(f"{label} cannot start with =, +, - or @.")
    if "<" in value or ">" in value:
        raise ValidationError(f"{label} cannot contain < or >.")
    return value


def _scripts(text: str) -> set[str]:
    found = set()
    for ch in text:
        if ch.isalpha():
            name = unicodedata.name(ch, "")
            found.add(name.split(" ")[0] if name else "?")
    return found


def clean_website(value: Any) -> str:
    if value in (None, ""):
        return ""
    if not isinstance(value, str):
        raise ValidationError("The website must be a link.")
    value = value.strip()
    if len(value) > 500:
        raise ValidationError("That website address is too long (at most 500 characters).")
    if "://" not in value and re.match(r"^[\w.-]+\.[a-z]{2,}(/|$)", value, re.IGNORECASE):
        value = "https://" + value
    scheme = value.split(":", 1)[0].lower()
    if scheme not in {"http", "https"}:
        raise ValidationError("The website must be a web address starting with https://.")
    parts = urlsplit(value)
    host = (parts.hostname or "").lower()
    if parts.username or parts.password:
        raise ValidationError("Remove the user name or password from the website address.")
    labels = host.split(".")
    if any(len(_scripts(lbl)) > 1 for lbl in labels):
        raise ValidationError("The website address mixes alphabets (a look-alike address?).")
    try:
        _url_validator(value)
    except ValidationError:
        raise ValidationError(
            "That is not a valid website address, e.g. https://www.mayoclinic.org/."
        ) from None
    path = parts.path or "/"
    netloc = host + (f":{parts.port}" if parts.port and parts.port not in (80, 443) else "")
    return urlunsplit((scheme, netloc, path, parts.query, ""))


def registrable_domain(url: str) -> str:
    if not url:
        return ""
    host = urlsplit(url).hostname or ""
    ext = _extract(host)
    return ext.top_domain_under_public_suffix.lower() if ext.suffix else host.lower()


def clean_country(code: Any) -> str:
    if not isinstance(code, str) or not code.strip():
        raise ValidationError("Choose a country.")
    text = code.strip()
    try:
        country = pycountry.countries.lookup(text) if len(text) <= 60 else None
    except LookupError:
        country = None
    if country is None:
        raise ValidationError(f"“{text[:40]}” is not an ISO 3166-1 country code (e.g. US, GB, IN).")
    return country.alpha_2


def clean_region(code: Any) -> str:
    if not isinstance(code, str) or not code.strip():
        raise ValidationError("Empty region code.")
    text = code.strip().upper()
    if len(text) > 6 or pycountry.subdivisions.get(code=text) is None:
        raise ValidationError(
            f"“{code.strip()[:40]}” is not an ISO 3166-2 region code (e.g. US-MN)."
        )
    return text


def country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name


def region_name(code: str) -> str:
    sub = pycountry.subdivisions.get(code=code)
    return sub.name if sub else code


def clean_accounts(items: Any) -> list[AccountData]:
    """Items are dicts with ``value`` (what was pasted) or ``handle``/``url``, optional
    ``platform`` and ``label``. Errors name the item by its position."""
    if items in (None, ""):
        return []
    if not isinstance(items, list):
        raise ValidationError("Accounts must be a list.")
    if len(items) > MAX_ACCOUNTS:
        raise ValidationError(f"At most {MAX_ACCOUNTS} accounts per organization.")
    errors: list[str] = []
    result: list[AccountData] = []
    seen: set[tuple[str, str]] = set()
    for n, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            errors.append(f"Account {n}: not understood.")
            continue
        raw = item.get("value") or item.get("url") or item.get("handle") or ""
        platform = item.get("platform") or None
        if not isinstance(raw, str) or (platform is not None and not isinstance(platform, str)):
            errors.append(f"Account {n}: not understood.")
            continue
        try:
            acc = platforms.canonicalize(raw, platform)
            label = clean_text(item.get("label", ""), label=f"Account {n} label", max_length=100)
        except platforms.AccountInputError as exc:
            errors.append(f"Account {n} ({raw.strip()[:80]}): {exc}")
            continue
        except ValidationError as exc:
            errors.extend(exc.messages)
            continue
        if (acc.platform, acc.key) in seen:
            continue
        seen.add((acc.platform, acc.key))
        result.append(AccountData(acc.platform, acc.handle, acc.url, acc.key, label))
    if errors:
        raise ValidationError(errors)
    return result


def clean_organization_data(data: Any) -> OrganizationData:
    if not isinstance(data, dict):
        raise InvalidOrganizationData({"__all__": ["Expected the fields of an organization."]})
    errors: dict[str, list[str]] = {}

    def run(name: str, fn: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ValidationError as exc:
            errors.setdefault(name, []).extend(exc.messages)
            return None

    name = run("name", clean_text, data.get("name"), label="Name", max_length=200, required=True)
    other_raw = data.get("other_names") or []
    other: list[str] = []
    if not isinstance(other_raw, list) or len(other_raw) > MAX_OTHER_NAMES:
        errors.setdefault("other_names", []).append(
            f"At most {MAX_OTHER_NAMES} other names, as a list."
        )
    else:
        for item in other_raw:
            cleaned = run("other_names", clean_text, item, label="Other name", max_length=200)
            if cleaned and cleaned != name and cleaned not in other:
                other.append(cleaned)
    kind = data.get("kind") or "other"
    if kind not in KINDS:
        errors.setdefault("kind", []).append("Choose a kind of organization from the list.")
    countries: list[str] = []
    regions: list[str] = []
    c_raw, r_raw = data.get("countries") or [], data.get("regions") or []
    if not isinstance(c_raw, list) or len(c_raw) > MAX_COUNTRIES:
        errors.setdefault("countries", []).append("Countries must be a list of ISO codes.")
        c_raw = []
    if not isinstance(r_raw, list) or len(r_raw) > MAX_REGIONS:
        errors.setdefault("regions", []).append("Regions must be a list of ISO 3166-2 codes.")
        r_raw = []
    for code in c_raw:
        c = run("countries", clean_country, code)
        if c and c not in countries:
            countries.append(c)
    for code in r_raw:
        r = run("regions", clean_region, code)
        if r and r not in regions:
            regions.append(r)
            if r[:2] not in countries:
                countries.append(r[:2])  # a region implies its country
    if not countries and "countries" not in errors:
        errors["countries"] = ["Choose at least one country where the organization operates."]
    city = run("city", clean_text, data.get("city"), label="City", max_length=120)
    website = run("website", clean_website, data.get("website"))
    wikidata = (
        (data.get("wikidata") or "").strip().upper()
        if isinstance(data.get("wikidata", ""), str)
        else None
    )
    if wikidata is None or (wikidata and not _WIKIDATA.match(wikidata)):
        errors.setdefault("wikidata", []).append(
            "A Wikidata id looks like Q1234 (or leave it empty)."
        )
    ccn = (data.get("ccn") or "").strip().upper() if isinstance(data.get("ccn", ""), str) else None
    if ccn is None or (ccn and not _CCN.match(ccn)):
        errors.setdefault("ccn", []).append(
            "A CMS Certification Number has 6 characters, e.g. 240010."
        )
    accounts = run("accounts", clean_accounts, data.get("accounts"))
    parent = run("parent", clean_parent_slug, data.get("parent"))
    if errors:
        raise InvalidOrganizationData(errors)
    return OrganizationData(
        name=name,
        kind=kind,
        other_names=other,
        countries=countries,
        regions=regions,
        city=city or "",
        website=website or "",
        wikidata=wikidata or "",
        ccn=ccn or "",
        accounts=accounts or [],
        parent=parent or "",
    )


def clean_parent_slug(value: Any) -> str:
    """The parent is named by its slug (the last part of its page's address)."""
    if value in (None, ""):
        return ""
    if not isinstance(value, str):
        raise ValidationError("Name the health system by the address of its page on the list.")
    slug = value.strip()
    if len(slug) > 220 or not _SLUG.match(slug):
        raise ValidationError(
            "Name the health system by the address of its page on the list "
            "(e.g. mayo-clinic for /list/mayo-clinic/)."
        )
    return slug


def fold(text: str) -> str:
    """Case- and accent-insensitive form used by search: 'Clínica' -> 'clinica'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
