from __future__ import annotations

import re
from typing import Any

from django import forms

from . import selectors
from .models import Organization, Submission
from .platforms import PLATFORMS
from .validation import InvalidOrganizationData, OrganizationData, clean_organization_data

_PREFIX = re.compile(r"^\s*([A-Za-z][A-Za-z ()]{0,30}?)\s*:\s*(?!//)(.+)$")
_PLATFORM_NAMES = (
    {p.slug: p.slug for p in PLATFORMS.values()}
    | {p.name.casefold(): p.slug for p in PLATFORMS.values()}
    | {"twitter": "x", "rss": "blog", "website": "blog"}
)


def parse_account_lines(text: str) -> list[dict[str, str]]:
    """One account a line: a pasted link, or ``platform: handle`` (``instagram: @mayoclinic``),
    optionally followed by `` | label`` (``https://x.com/MayoCancerCare | Cancer Center``)."""
    items = []
    for line in text.splitlines():
        line, _, label = line.partition(" | ")
        line = line.strip()
        if not line:
            continue
        item = {"value": line, "label": label.strip()}
        match = _PREFIX.match(line)
        if match and match.group(1).strip().casefold() in _PLATFORM_NAMES:
            item["platform"] = _PLATFORM_NAMES[match.group(1).strip().casefold()]
            item["value"] = match.group(2).strip()
        items.append(item)
    return items


def _split(text: str, sep: str = ",") -> list[str]:
    return [p.strip() for p in re.split(sep, text or "") if p.strip()]


class OrganizationForm(forms.Form):
    """The fields of a listing as people type them. ``clean`` turns them into
    ``OrganizationData`` through the shared rules in validation.py."""

    name = forms.CharField(max_length=200, help_text="The organization's official name.")
    other_names = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
        help_text="Other names or abbreviations, one a line.",
    )
    kind = forms.ChoiceField(choices=Organization.Kind.choices, initial=Organization.Kind.HOSPITAL)
    parent = forms.CharField(
        required=False,
        max_length=600,
        label="Part of health system",
        help_text=(
            "Optional: the listed health system it belongs to — its name as on the list, or "
            "the address of its page (https://…/list/mayo-clinic/)."
        ),
    )
    countries = forms.CharField(
        max_length=600,
        help_text="Where it operates: country codes or names, separated by commas (US, Canada).",
    )
    regions = forms.CharField(
        required=False,
        max_length=600,
        help_text="Optional: ISO 3166-2 regions, separated by commas (US-MN, US-AZ).",
    )
    city = forms.CharField(required=False, max_length=120)
    website = forms.CharField(
        required=False, max_length=500, help_text="e.g. https://www.mayoclinic.org/"
    )
    accounts = forms.CharField(
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        label="Official social media accounts",
        help_text=(
            "Paste one profile link a line (https://x.com/MayoClinic, "
            "https://www.facebook.com/MayoClinic …), or write platform: handle "
            "(instagram: @mayoclinic)."
        ),
    )
    wikidata = forms.CharField(
        required=False, max_length=20, label="Wikidata id", help_text="Optional, e.g. Q1127387."
    )
    ccn = forms.CharField(
        required=False,
        max_length=6,
        label="CMS Certification Number",
        help_text="Optional, US hospitals only, e.g. 240010.",
    )

    data: Any

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.errors:
            return cleaned
        raw = {
            "name": cleaned["name"],
            "other_names": _split(cleaned.get("other_names", ""), r"[\r\n]+"),
            "kind": cleaned["kind"],
            "countries": _split(cleaned["countries"]),
            "regions": _split(cleaned.get("regions", "")),
            "city": cleaned.get("city", ""),
            "website": cleaned.get("website", ""),
            "wikidata": cleaned.get("wikidata", ""),
            "ccn": cleaned.get("ccn", ""),
            "accounts": parse_account_lines(cleaned.get("accounts", "")),
            "parent": self._parent_slug(cleaned.get("parent", "")),
        }
        try:
            self.organization_data = clean_organization_data(raw)
        except InvalidOrganizationData as exc:
            for name, messages in exc.errors.items():
                for message in messages:
                    self.add_error(name if name in self.fields else None, message)
        return cleaned

    def _parent_slug(self, typed: str) -> str:
        """The slug of the listing ``typed`` names; a field error (and "") when it names none
        or several. Whether that listing may be the parent is the services' rule."""
        typed = typed.strip()
        if not typed:
            return ""
        ref = selectors.parent_reference(typed)
        if ref.organization is not None:
            return ref.organization.slug
        shown = typed[:80]
        if ref.ambiguous:
            options = "; ".join(
                f"{o.name}{f' in {o.city}' if o.city else ''}: /list/{o.slug}/"
                for o in ref.ambiguous
            )
            self.add_error(
                "parent",
                f"Several listed organizations are called “{shown}” ({options}). Paste the "
                "address of the right one's page.",
            )
        elif ref.suggestions:
            options = "; ".join(f"{o.name} (/list/{o.slug}/)" for o in ref.suggestions)
            self.add_error(
                "parent",
                f"No listed organization is called “{shown}”. Did you mean: {options}? Type "
                "the name as it is listed, or paste the address of its page.",
            )
        else:
            self.add_error(
                "parent",
                f"No listed organization is called “{shown}”. Type its name as it is listed, "
                "or paste the address of its page; a health system that is not on the list "
                "yet has to be added first.",
            )
        return ""

    @staticmethod
    def initial_from(data: OrganizationData | dict[str, Any]) -> dict[str, str]:
        """Form values for a listing; also for a stored proposal that no longer passes the
        rules (a dict), so a moderator can still read and correct it."""
        raw = data.as_dict() if isinstance(data, OrganizationData) else data

        def text(name: str) -> str:
            value = raw.get(name, "")
            return value if isinstance(value, str) else ""

        def items(name: str) -> list[Any]:
            value = raw.get(name) or []
            return value if isinstance(value, list) else []

        lines = []
        for acc in items("accounts"):
            if not isinstance(acc, dict):
                continue
            value = str(acc.get("url") or acc.get("value") or acc.get("handle") or "")
            if acc.get("platform") == "blog":
                value = f"website: {value}"  # a plain site is not recognised without its platform
            lines.append(f"{value} | {acc['label']}" if acc.get("label") else value)
        return {
            "name": text("name"),
            "other_names": "\n".join(map(str, items("other_names"))),
            "kind": text("kind"),
            "countries": ", ".join(map(str, items("countries"))),
            "regions": ", ".join(map(str, items("regions"))),
            "city": text("city"),
            "website": text("website"),
            "wikidata": text("wikidata"),
            "ccn": text("ccn"),
            "accounts": "\n".join(lines),
            "parent": text("parent"),
        }


class SubmissionForm(OrganizationForm):
    relationship = forms.ChoiceField(
        choices=Submission.Relationship.choices,
        widget=forms.RadioSelect,
        label="How do you relate to this organization?",
    )
    comment = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Note to the moderators",
        help_text="Optional: sources, context.",
    )
    not_duplicate = forms.BooleanField(
        required=False,
        label="I checked: this is a different organization from the ones listed above.",
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Sent to the submitter.",
    )


class ApproveForm(OrganizationForm):
    note = forms.CharField(required=False, max_length=2000, label="Note (optional)")


class MergeForm(forms.Form):
    organization = forms.ModelChoiceField(
        queryset=Organization.objects.filter(status=Organization.Status.PUBLISHED),
        widget=forms.HiddenInput,
    )
    note = forms.CharField(required=False, max_length=2000)
