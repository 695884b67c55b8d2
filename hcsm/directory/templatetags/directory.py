from django import template
from django.templatetags.static import static
from django.utils.html import format_html

from ..models import Organization
from ..platforms import PLATFORMS
from ..selectors import GRID_PLATFORMS
from ..validation import country_name as _country_name
from ..validation import region_name as _region_name

register = template.Library()


@register.simple_tag
def grid_cells(org: Organization) -> list[list[object]]:
    """Accounts of ``org`` per grid column, from the prefetched accounts (no query)."""
    by_platform: dict[str, list[object]] = {}
    for acc in org.accounts.all():
        by_platform.setdefault(acc.platform, []).append(acc)
    return [by_platform.get(p.slug, []) for p in GRID_PLATFORMS]


@register.simple_tag
def platform_icon(slug: str, size: str = "1.1rem") -> str:
    name = PLATFORMS[slug].name if slug in PLATFORMS else slug
    return format_html(
        '<img class="platform" src="{}" alt="{}" width="18" height="18" '
        'style="width:{};height:{}">',
        static(f"vendor/simple-icons/{slug}.svg"),
        name,
        size,
        size,
    )


@register.filter
def platform_name(slug: str) -> str:
    return PLATFORMS[slug].name if slug in PLATFORMS else slug


@register.filter
def country_name(code: str) -> str:
    return _country_name(code)


@register.filter
def region_name(code: str) -> str:
    return _region_name(code)


@register.filter
def field_label(name: str) -> str:
    return {
        "name": "Name",
        "kind": "Kind",
        "city": "City",
        "website": "Website",
        "wikidata": "Wikidata id",
        "ccn": "CMS Certification Number",
        "other_names": "Other names",
        "countries": "Countries",
        "regions": "Regions",
        "accounts": "Accounts",
    }.get(name, name)


@register.filter
def show_field(value: object, field: str) -> str:
    """A recorded value as people read it: kind labels instead of slugs."""
    if field == "kind" and isinstance(value, str):
        return str(dict(Organization.Kind.choices).get(value, value)) if value else "—"
    return show(value)


@register.filter
def show(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "—"
    return str(value) if value not in (None, "") else "—"
