"""The labelled evaluation set in data/checker/: loading and parsing the marked-up posts."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

SPAN = re.compile(r"\[\[(?P<value>.+?)::(?P<kind>[A-Z_]+)\]\]")
# Presidio research's entity types -> the checker's identifier kinds (None: not an identifier
# of a person under Safe Harbor, or not labelled consistently enough to score).
SYNTH_KINDS = {
    "PERSON": "NAME",
    "STREET_ADDRESS": "LOCATION",
    "GPE": "LOCATION",
    "PHONE_NUMBER": "PHONE",
    "EMAIL_ADDRESS": "EMAIL",
    "US_SSN": "SSN",
    "CREDIT_CARD": "ACCOUNT",
    "IBAN_CODE": "ACCOUNT",
    "DATE_TIME": "DATE",
    "AGE": "AGE",
    "IP_ADDRESS": "IP",
    "DOMAIN_NAME": "URL",
    "ZIP_CODE": "LOCATION",
    "US_DRIVER_LICENSE": "LICENSE",
}


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str


@dataclass(frozen=True)
class Post:
    number: int
    split: str
    text: str
    spans: tuple[Span, ...]
    advice: bool
    credential: str  # "C" contradiction, "U" unverifiable, "-" none
    author_name: str
    author_credentials: tuple[str, ...]
    author_known: bool
    source: str = ""  # the file in data/checker/ the post comes from

    @property
    def clean(self) -> bool:
        return not self.spans and not self.advice and self.credential == "-"


def data_dir() -> Path:
    return Path(settings.BASE_DIR) / "data" / "checker"


def parse_line(number: int, line: str, split: str | None = None, source: str = "") -> Post:
    advice, credential, author, marked = line.split("|", 3)
    spans: list[Span] = []
    out: list[str] = []
    pos = 0
    length = 0
    for m in SPAN.finditer(marked):
        out.append(marked[pos : m.start()])
        length += m.start() - pos
        value = m.group("value")
        spans.append(Span(length, length + len(value), m.group("kind")))
        out.append(value)
        length += len(value)
        pos = m.end()
    out.append(marked[pos:])
    name, _, creds = author.partition(";")
    return Post(
        number=number,
        split=split or ("test" if number % 2 == 0 else "dev"),
        text="".join(out),
        spans=tuple(spans),
        advice=advice == "1",
        credential=credential,
        author_name=name,
        author_credentials=tuple(c for c in creds.split(";") if c),
        author_known=bool(name),
        source=source,
    )


# Each file of the labelled set and its split (None: posts.txt alternates, even posts test).
SOURCES: list[tuple[str, str | None]] = [
    ("posts.txt", None),
    ("posts-holdout.txt", "test"),
    ("posts-dev2.txt", "dev"),
    ("posts-dev3.txt", "dev"),
    ("posts-dev4.txt", "dev"),
    ("posts-dev5.txt", "dev"),
    ("posts-dev6.txt", "dev"),
    ("posts-dev7.txt", "dev"),
    ("posts-dev8.txt", "dev"),
    ("posts-dev9.txt", "dev"),
    ("posts-dev10.txt", "dev"),
    ("posts-dev11.txt", "dev"),
    ("posts-dev12.txt", "dev"),
    ("posts-dev13.txt", "dev"),
    ("posts-dev14.txt", "dev"),
    ("posts-dev15.txt", "dev"),
    ("posts-dev16.txt", "dev"),
    ("posts-dev17.txt", "dev"),
    ("posts-dev18.txt", "dev"),
    ("posts-dev19.txt", "dev"),
    ("posts-dev20.txt", "dev"),
    ("posts-dev21.txt", "dev"),
    ("posts-dev22.txt", "dev"),
    ("posts-dev23.txt", "dev"),
    ("posts-dev24.txt", "dev"),
    ("posts-dev25.txt", "dev"),
    ("posts-dev26.txt", "dev"),
    ("posts-dev27.txt", "dev"),
    ("posts-dev28.txt", "dev"),
]


def load_posts() -> list[Post]:
    """posts.txt (alternating dev/test), posts-holdout.txt (all test), posts-dev2.txt to
    posts-dev28.txt (all dev)."""
    posts: list[Post] = []
    for name, split in SOURCES:
        for line in (data_dir() / name).read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            posts.append(parse_line(len(posts) + 1, line, split, name))
    return posts


def load_synthetic(path: Path | None = None) -> list[Post]:
    """The Presidio research synthetic set: generic identifier spans, no health context."""
    path = path or data_dir() / "presidio-synth-dataset-v2.json"
    rows = json.loads(path.read_text(encoding="utf-8"))
    posts = []
    for number, row in enumerate(rows, start=1):
        spans = tuple(
            Span(s["start_position"], s["end_position"], SYNTH_KINDS[s["entity_type"]])
            for s in row["spans"]
            if s["entity_type"] in SYNTH_KINDS and s["entity_value"] != "nan"
        )
        posts.append(Post(number, "synthetic", row["full_text"], spans, False, "-", "", (), False))
    return posts
