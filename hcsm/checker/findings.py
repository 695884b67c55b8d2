"""What a check returns: findings, the author it was checked against, and the whole result."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Category(enum.StrEnum):
    PHI = "phi"
    ADVICE = "advice"
    CREDENTIAL = "credential"


class Severity(enum.StrEnum):
    BLOCK = "block"
    WARN = "warn"
    INFO = "info"


SEVERITY_ORDER = {Severity.BLOCK: 0, Severity.WARN: 1, Severity.INFO: 2}


@dataclass(frozen=True)
class Kind:
    """One kind of identifier: its HIPAA Safe Harbor number (45 CFR 164.514(b)(2)(i)), how to
    explain it to a clinician, and what to write instead."""

    name: str
    safe_harbor: int | None
    label: str
    explanation: str
    suggestion: str
    direct: bool  # a direct identifier: the recall target of the evaluation applies


KINDS: dict[str, Kind] = {
    k.name: k
    for k in [
        Kind(
            "NAME",
            1,
            "Name",
            "A name (or a name hashtag) next to health details identifies the patient.",
            "Leave the name out: say 'a patient' or 'a woman in her 70s', or get written consent.",
            True,
        ),
        Kind(
            "LOCATION",
            2,
            "Place smaller than a state",
            "A town, street or facility tied to a patient narrows down who they are.",
            "Leave out the place, or name only the state or region.",
            False,
        ),
        Kind(
            "DATE",
            3,
            "Date tied to a patient",
            "Dates tied to a patient (birth, admission, discharge, death, a visit) are "
            "identifiers.",
            "Leave out the date: say 'recently' or give the year only.",
            True,
        ),
        Kind(
            "AGE",
            3,
            "Age over 89",
            "Ages over 89 are rare enough to identify someone; HIPAA treats them as identifiers.",
            "Say 'a patient in their 90s' or '90 or older'.",
            True,
        ),
        Kind(
            "PHONE",
            4,
            "Phone or fax number",
            "A phone or fax number identifies a person or lets anyone reach them.",
            "Remove the number; share it privately if it is needed.",
            True,
        ),
        Kind(
            "EMAIL",
            6,
            "Email address",
            "An email address identifies a person.",
            "Remove the address; share it privately if it is needed.",
            True,
        ),
        Kind(
            "SSN",
            7,
            "Social Security number",
            "A Social Security number must never be posted.",
            "Remove the number.",
            True,
        ),
        Kind(
            "MRN",
            8,
            "Medical record number",
            "A medical record or chart number identifies the patient to anyone with access.",
            "Remove the number.",
            True,
        ),
        Kind(
            "HEALTH_PLAN",
            9,
            "Health plan number",
            "A health plan member or policy number identifies the patient.",
            "Remove the number.",
            True,
        ),
        Kind(
            "ACCOUNT",
            10,
            "Account or prescription number",
            "Account, billing and prescription numbers identify the patient.",
            "Remove the number.",
            True,
        ),
        Kind(
            "LICENSE",
            11,
            "Certificate or license number",
            "A license or certificate number identifies a person.",
            "Remove the number.",
            True,
        ),
        Kind(
            "VEHICLE",
            12,
            "Licence plate or vehicle number",
            "A licence plate or vehicle identification number (VIN) leads straight to the "
            "owner, and with them to the patient.",
            "Leave out the plate and VIN: say 'the driver' or 'a pickup truck'.",
            True,
        ),
        Kind(
            "URL",
            14,
            "Web address",
            "A web address can lead to a patient's page or photos.",
            "Remove the link unless it is a public, non-patient page.",
            False,
        ),
        Kind(
            "IP",
            15,
            "IP address",
            "An IP address can identify a person's device.",
            "Remove the address.",
            True,
        ),
        Kind(
            "HANDLE",
            18,
            "Social media handle",
            "A handle tagged next to health details identifies the patient to everyone who "
            "follows them.",
            "Do not tag the patient; even with consent, describe them without their handle.",
            True,
        ),
        Kind(
            "ROOM",
            18,
            "Room or bed number",
            "A room or bed number tells colleagues, visitors and family exactly who you mean.",
            "Leave out the room and bed: say 'on our unit'.",
            False,
        ),
        Kind(
            "OTHER_ID",
            18,
            "Other identifying number",
            "A unique number next to a patient story can identify them.",
            "Remove the number.",
            True,
        ),
    ]
}


@dataclass(frozen=True)
class Finding:
    category: Category
    start: int
    end: int
    severity: Severity
    confidence: float
    explanation: str
    suggestion: str
    kind: str = ""  # identifier kind for PHI (KINDS), or the rule's own code
    rule: str = ""

    @property
    def identifier(self) -> int | None:
        kind = KINDS.get(self.kind)
        return kind.safe_harbor if kind and self.category == Category.PHI else None

    def as_dict(self) -> dict[str, object]:
        return {
            "category": str(self.category),
            "identifier": self.identifier,
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "severity": str(self.severity),
            "confidence": round(self.confidence, 2),
            "explanation": self.explanation,
            "suggestion": self.suggestion,
        }


@dataclass(frozen=True)
class Author:
    """Whom a draft is checked against: a display name, public handles, and credentials.

    ``verified`` holds credentials staff confirmed (or that a staff caller vouches for);
    ``claimed`` holds ones the person entered that nobody has confirmed yet."""

    name: str = ""
    handles: tuple[str, ...] = ()
    verified: tuple[str, ...] = ()
    claimed: tuple[str, ...] = ()
    known: bool = False  # False: anonymous, nothing to compare claims against


@dataclass
class CheckResult:
    text: str
    findings: list[Finding] = field(default_factory=list)
    degraded: bool = False
    notices: list[str] = field(default_factory=list)

    @property
    def blocking(self) -> bool:
        return any(f.severity == Severity.BLOCK for f in self.findings)

    def counted(self) -> list[Finding]:
        """Findings that ask the author to act (block or warn); info notes are not counted."""
        return [f for f in self.findings if f.severity != Severity.INFO]
