"""Running the check on a draft. Nothing here logs, stores or caches the text."""

from __future__ import annotations

from django.conf import settings

from hcsm.core.errors import DomainError

from .engine import hcsm_engine
from .findings import SEVERITY_ORDER, Author, CheckResult
from .rules import Draft, configured_rules
from .text import normalize

DEGRADED_NOTICE = (
    "The language model is not installed on this server, so names, places and dates written "
    "in free text are not found; only patterns (numbers, ages, rooms, handles, honorifics) are "
    "checked. Read the draft for names yourself."
)


class DraftInvalid(DomainError):
    code = "invalid_draft"


class DraftTooLong(DomainError):
    code = "draft_too_long"
    status = 413


def clean_draft(text: object) -> str:
    if not isinstance(text, str):
        raise DraftInvalid("Send the draft as text in the field 'text'.")
    limit = settings.HCSM_CHECKER_MAX_CHARS
    if len(text) > limit:
        raise DraftTooLong(
            f"The draft is {len(text):,} characters; the check takes at most {limit:,}. "
            "Check one post at a time, or split a long article into parts."
        )
    if not text.strip():
        raise DraftInvalid("Paste the text of your draft post to check it.")
    if "\x00" in text:
        raise DraftInvalid("The draft contains a null character; paste it as plain text.")
    return text


def run_check(*, text: str, author: Author | None = None) -> CheckResult:
    text = clean_draft(text)
    draft = Draft(text=normalize(text), author=author or Author())
    findings = [f for rule in configured_rules() for f in rule.findings(draft)]
    findings.sort(key=lambda f: (f.start, SEVERITY_ORDER[f.severity], f.end, f.category, f.kind))
    degraded = hcsm_engine().degraded
    return CheckResult(
        text=text,
        findings=findings,
        degraded=degraded,
        notices=[DEGRADED_NOTICE] if degraded else [],
    )
