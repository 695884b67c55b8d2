"""``{% org_metrics org %}``: the figures block of an organization page.

An inclusion tag, so the directory's page needs one line and no change to its view; the tag
calls one selector (two queries, whatever the number of accounts)."""

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe

from hcsm.core.permissions import Perm, can
from hcsm.directory.platforms import PLATFORMS

from .. import selectors

register = template.Library()


@register.inclusion_tag("metrics/_org_metrics.html", takes_context=True)
def org_metrics(context, org):  # type: ignore[no-untyped-def]
    figures = selectors.organization_metrics(org)
    rows = []
    for f in figures:
        name = PLATFORMS[f.account.platform].name if f.account.platform in PLATFORMS else ""
        rows.append(
            {
                "f": f,
                "platform_name": name,
                "chart": mark_safe(  # noqa: S308 - built from numbers and escaped text
                    selectors.sparkline_svg(
                        f.series, label=f"{name} followers of {f.account.handle}"
                    )
                ),
            }
        )
    badge = reverse("metrics:badge", kwargs={"slug": org.slug})
    request = context.get("request")
    user = getattr(request, "user", None) if request else None
    return {
        "org": org,
        "rows": rows,
        "can_enter": bool(rows) and can(user, Perm.METRICS_ENTER),
        "any_figures": any(f.stats for f in figures),
        "badge_url": request.build_absolute_uri(badge) if request else badge,
    }


@register.filter
def signed(value):  # type: ignore[no-untyped-def]
    if value is None:
        return "—"
    return f"+{value:,}" if value > 0 else f"{value:,}".replace("-", "−")


@register.filter
def get_item(mapping, key):  # type: ignore[no-untyped-def]
    return mapping.get(key, "") if hasattr(mapping, "get") else ""


@register.filter
def percent_of(part, whole):  # type: ignore[no-untyped-def]
    return f"{100 * part / whole:.1f}" if whole else "0.0"
