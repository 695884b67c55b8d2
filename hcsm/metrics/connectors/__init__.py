"""One module per platform behind ``base.Connector``; ``CONNECTORS`` maps slug to class."""

from __future__ import annotations

from .base import AccountRef, BudgetExhausted, Connector, ConnectorError, Fetched
from .bluesky import Bluesky
from .facebook import Facebook
from .instagram import Instagram
from .mastodon import Mastodon
from .x import X
from .youtube import YouTube

CONNECTORS: dict[str, type[Connector]] = {
    c.platform: c for c in (YouTube, X, Facebook, Instagram, Bluesky, Mastodon)
}

__all__ = [
    "CONNECTORS",
    "AccountRef",
    "BudgetExhausted",
    "Connector",
    "ConnectorError",
    "Fetched",
]
