"""The one interface every platform connector implements, and the HTTP client they share.

A connector reads ``HCSM_<PLATFORM>_API_URL`` and ``HCSM_<PLATFORM>_API_KEY`` (and optionally
``HCSM_<PLATFORM>_BUDGET``, requests a day) from the environment, so operators can point it at
a proxy and tests at a local server. ``fetch`` takes one batch of accounts (at most
``batch_size``) and returns what the platform said about each: figures, or a status (not
found, suspended, renamed) and, where the platform has one, the account's stable id
(``uid``). A ref carrying the id stored from an earlier run is looked up by that id, so a
renamed handle is seen as renamed (the new handle in ``detail``), not as not found. Requests
that get 429 or 5xx are retried with exponential backoff; ``Retry-After`` is honoured. Every
attempt counts against the budget; when it is spent, ``BudgetExhausted`` is raised and the
rest waits for the next run.
"""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any, ClassVar

RETRY_STATUSES = {429, 500, 502, 503, 504}
MAX_ATTEMPTS = 5
MAX_WAIT = 300.0  # seconds; a longer Retry-After gives up for this run


@dataclass(frozen=True)
class AccountRef:
    id: int
    handle: str
    key: str
    uid: str = ""  # SocialAccount.platform_uid: the platform's own id, once known


@dataclass(frozen=True)
class Fetched:
    account_id: int
    status: str = "active"  # directory.models.AccountStatus value
    followers: int | None = None
    posts: int | None = None
    views: int | None = None
    detail: str = ""  # the new handle of a renamed account
    uid: str = ""  # the platform's own id for the account, when the answer gave it


class ConnectorError(Exception):
    """The provider could not be asked (after retries) or refused the key."""


class BudgetExhausted(ConnectorError):
    pass


@dataclass
class Response:
    status: int
    data: Any


def _int(value: Any) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number >= 0 else None


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)


class Connector:
    platform: ClassVar[str]
    name: ClassVar[str]
    batch_size: ClassVar[int] = 1
    default_url: ClassVar[str]
    needs_key: ClassVar[bool] = True
    default_budget: ClassVar[int] = 1000
    docs: ClassVar[str] = ""

    def __init__(
        self,
        *,
        env: Mapping[str, str] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        timeout: float = 20.0,
        budget: int | None = None,
    ) -> None:
        env = os.environ if env is None else env
        prefix = f"HCSM_{self.platform.upper()}_"
        self.env = env
        self.base_url = (env.get(prefix + "API_URL") or self.default_url).rstrip("/")
        self.api_key = env.get(prefix + "API_KEY", "")
        configured_budget = _int(env.get(prefix + "BUDGET")) or self.default_budget
        self.budget = configured_budget if budget is None else min(budget, configured_budget)
        self.daily_budget = configured_budget
        self.requests = 0
        self.sleep = sleep
        self.timeout = timeout

    # What the status page shows ---------------------------------------------------------

    def skip_reason(self) -> str:
        """Why this platform is skipped, or "" when it can run."""
        if self.needs_key and not self.api_key:
            return f"no API key: set HCSM_{self.platform.upper()}_API_KEY"
        return ""

    # The work ----------------------------------------------------------------------------

    def fetch(self, accounts: Sequence[AccountRef]) -> list[Fetched]:
        raise NotImplementedError

    # HTTP --------------------------------------------------------------------------------

    def get(
        self, url: str, params: Sequence[tuple[str, str]] = (), headers: Mapping[str, str] = {}
    ) -> Response:
        """GET JSON with retries. Returns non-retryable answers (2xx, 4xx) to the caller."""
        parsed = urllib.parse.urlsplit(url)
        if parsed.scheme not in ("http", "https"):
            raise ConnectorError(f"{self.name}: the API address must be http(s), not {url!r}.")
        full = url + ("?" + urllib.parse.urlencode(list(params)) if params else "")
        request_headers = {"Accept": "application/json", "User-Agent": "hcsm-metrics/1"}
        request_headers.update(headers)
        last = ""
        for attempt in range(MAX_ATTEMPTS):
            if self.requests >= self.budget:
                raise BudgetExhausted(
                    f"{self.name}: the request budget ({self.budget}) is spent; the remaining "
                    "accounts wait for the next run."
                )
            self.requests += 1
            wait: float | None = None
            try:
                request = urllib.request.Request(full, headers=request_headers)  # noqa: S310
                with urllib.request.urlopen(request, timeout=self.timeout) as resp:  # noqa: S310
                    return Response(resp.status, _json(resp.read()))
            except urllib.error.HTTPError as exc:
                body = exc.read()
                if exc.code not in RETRY_STATUSES:
                    return Response(exc.code, _json(body))
                last = f"HTTP {exc.code}"
                wait = retry_after_seconds(exc.headers.get("Retry-After"))
            except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
                last = str(getattr(exc, "reason", exc))
            if attempt == MAX_ATTEMPTS - 1:
                break
            if wait is None:
                wait = float(2**attempt)
            if wait > MAX_WAIT:
                raise ConnectorError(
                    f"{self.name}: rate limited for {wait:.0f} s (Retry-After); try again later."
                )
            self.sleep(wait)
        raise ConnectorError(f"{self.name}: no answer after {MAX_ATTEMPTS} attempts ({last}).")


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw.decode("utf-8")) if raw else None
    except (UnicodeDecodeError, ValueError):
        return None


__all__ = [
    "AccountRef",
    "BudgetExhausted",
    "Connector",
    "ConnectorError",
    "Fetched",
    "Response",
    "_int",
]
