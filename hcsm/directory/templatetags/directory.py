from functools import cache

from django import template
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from ..models import AccountStatus, Organization, SocialAccount
from ..platforms import PLATFORMS
from ..selectors import GRID_PLATFORMS, prefetched
from ..validation import country_name as _country_name
from ..validation import region_name as _region_name

register = template.Library()


@register.simple_tag
def grid_row(org: Organization) -> SafeString:
    """The cells of one grid row, from the prefetched relations (no query).

    Written in Python rather than as template loops: the grid renders 50 rows of a dozen
    cells, and the template engine made that the slowest part of the page.
    """
    by_platform: dict[str, list[SocialAccount]] = {}
    for acc in prefetched(org, "accounts"):
        by_platform.setdefault(acc.platform, []).append(acc)
    cells = []
    for p in GRID_PLATFORMS:
        accs = by_platform.get(p.slug)
        if not accs:
            cells.append('<td class="icon"></td>')
            continue
        cells.append(_account_cell(accs))
    where = ", ".join(c.code for c in prefetched(org, "countries"))
    return format_html(
        '<th scope="row"><a href="{}">{}</a></th><td>{}{}</td><td>{}</td>{}',
        org.get_absolute_url(),
        org.name,
        where,
        f" · {org.city}" if org.city else "",
        org.get_kind_display(),
        mark_safe("".join(cells)),  # noqa: S308 - every cell is built with format_html
    )


def _account_cell(accs: list[SocialAccount]) -> SafeString:
    """One platform's cell: a link to its first live account; an account renamed on the
    platform links to its new handle and says so; one not found or suspended (when the
    platform has no other) is struck through and not linked."""
    shown = next((a for a in accs if not a.status_text), None)
    shown = shown or next((a for a in accs if not a.is_gone), accs[0])
    more = f" (+{len(accs) - 1} more)" if len(accs) > 1 else ""
    status = shown.status_text
    said = f"{shown.handle}: {status}" if status else shown.handle
    if shown.is_gone:
        return format_html(
            '<td class="icon account-gone"><del title="{}{}">{}'
            '<span class="visually-hidden" hidden>{}</span></del></td>',
            said,
            more,
            platform_icon(shown.platform),
            said,
        )
    return format_html(
        '<td class="icon{}"><a href="{}" rel="nofollow noopener" title="{}{}">{}'
        '<span class="visually-hidden" hidden>{}</span></a>{}</td>',
        " account-renamed" if status else "",
        shown.renamed_url or shown.url,
        said,
        more,
        platform_icon(shown.platform),
        said,
        mark_safe('<sup class="account-flag" aria-hidden="true">↻</sup>') if status else "",  # noqa: S308
    )


@register.simple_tag
def account_status(acc: SocialAccount) -> SafeString:
    """The status cell of the organization page: "Active", or a badge with the date and, for
    a rename, a link to the new handle."""
    if not acc.status_text:
        return format_html("{}", "Active")
    badge = format_html(
        '<strong class="badge account-{}">{}</strong>', acc.status, acc.get_status_display()
    )
    since = f" since {acc.status_since:%Y-%m-%d}" if acc.status_since else ""
    if acc.status == AccountStatus.RENAMED and acc.status_detail:
        new = acc.renamed_url
        to = format_html('<a href="{}" rel="nofollow noopener">{}</a>', new, acc.status_detail)
        return format_html("{} to {}{}", badge, to if new else acc.status_detail, since)
    return format_html("{}{}", badge, since)


@register.simple_tag
def platform_icon(slug: str, size: str = "1.1rem") -> SafeString:
    return _platform_icon(slug, size)


@cache
def _platform_icon(slug: str, size: str) -> SafeString:
    """The same few dozen tags on every page: built once per process."""
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
        "account_status": "Account status",
        "status": "Status",
        "parent": "Part of health system",
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
