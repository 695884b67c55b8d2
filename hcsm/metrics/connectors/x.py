"""X API v2: ``GET /2/users/by?usernames=…&user.fields=public_metrics``, 100 usernames a call,
bearer token. Unknown usernames come back in ``errors`` (``resource-not-found``); suspended
ones as ``Forbidden`` with “User has been suspended”."""

from __future__ import annotations

from collections.abc import Sequence

from .base import AccountRef, Connector, ConnectorError, Fetched, _int


class X(Connector):
    platform = "x"
    name = "X"
    batch_size = 100
    default_url = "https://api.x.com/2"
    default_budget = 300
    docs = "https://docs.x.com/x-api/users/get-users-by-usernames"

    def fetch(self, accounts: Sequence[AccountRef]) -> list[Fetched]:
        resp = self.get(
            f"{self.base_url}/users/by",
            [
                ("usernames", ",".join(a.handle for a in accounts)),
                ("user.fields", "public_metrics"),
            ],
            {"Authorization": f"Bearer {self.api_key}"},
        )
        if resp.status != 200 or not isinstance(resp.data, dict):
            raise ConnectorError(f"X answered HTTP {resp.status}; check HCSM_X_API_KEY.")
        users = {
            str(u.get("username", "")).casefold(): u
            for u in resp.data.get("data", []) or []
            if isinstance(u, dict)
        }
        problems = {}
        for err in resp.data.get("errors", []) or []:
            if not isinstance(err, dict):
                continue
            text = f"{err.get('title', '')} {err.get('detail', '')} {err.get('type', '')}".lower()
            value = str(err.get("value") or err.get("resource_id") or "").casefold()
            problems[value] = "suspended" if "suspended" in text else "not_found"
        out = []
        for a in accounts:
            user = users.get(a.handle.casefold())
            if user is None:
                out.append(Fetched(a.id, status=problems.get(a.handle.casefold(), "not_found")))
                continue
            metrics = user.get("public_metrics") or {}
            out.append(
                Fetched(
                    a.id,
                    followers=_int(metrics.get("followers_count")),
                    posts=_int(metrics.get("tweet_count")),
                )
            )
        return out
