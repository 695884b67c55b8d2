"""Cutting a checked draft into plain and highlighted pieces for the page."""

from __future__ import annotations

from dataclasses import dataclass

from .findings import KINDS, SEVERITY_ORDER, Category, Finding, Severity


@dataclass(frozen=True)
class Piece:
    text: str
    severity: Severity | None = None
    numbers: tuple[int, ...] = ()  # 1-based numbers of the findings this piece belongs to


def pieces(text: str, findings: list[Finding]) -> list[Piece]:
    cuts = sorted({0, len(text), *(f.start for f in findings), *(f.end for f in findings)})
    out: list[Piece] = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        covering = [(i + 1, f) for i, f in enumerate(findings) if f.start < end and start < f.end]
        if not covering:
            out.append(Piece(text[start:end]))
            continue
        worst = min((f.severity for _, f in covering), key=SEVERITY_ORDER.__getitem__)
        out.append(Piece(text[start:end], worst, tuple(n for n, _ in covering)))
    return out


@dataclass(frozen=True)
class Numbered:
    number: int
    finding: Finding
    excerpt: str
    label: str


CATEGORY_LABELS = {
    Category.PHI: "Patient information",
    Category.ADVICE: "Individual medical advice",
    Category.CREDENTIAL: "Credential claim",
}


def numbered(text: str, findings: list[Finding]) -> list[Numbered]:
    out = []
    for number, f in enumerate(findings, start=1):
        label = CATEGORY_LABELS[f.category]
        if f.category == Category.PHI and f.kind in KINDS:
            label = f"{label} ({KINDS[f.kind].label}, HIPAA identifier {KINDS[f.kind].safe_harbor})"
        out.append(Numbered(number, f, text[f.start : f.end], label))
    return out
