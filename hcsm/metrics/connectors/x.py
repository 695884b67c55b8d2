"""X API v2, bearer token, 100 accounts a call. Accounts whose user id is known are asked by
id (``GET /2/users?ids=…&user.fields=public_metrics,username``), the others by username
(``GET /2/users/by?usernames=…``), which gives their id for next time. A user id survives a
change of username: when the username that comes back differs from the listed one, the
account is renamed (the new username in ``detail``). Unknown users come back in ``errors``
(``resource-not-found``, ``value`` the id or username asked); suspended ones as
``Forbidden`` with “User has been suspended”."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .base import AccountRef, Connector, ConnectorError, Fetched, _int

FIELDS = "public_metrics,username"


class X(Connector):
    platform = "x"
    name = "X"
    batch_size = 100
    default_url = "https://api.x.com/2"
    default_budget = 300
    docs = "https://docs.x.com/x-api/users/get-users-by-ids"

    def _ask(self, path: str, param: str, values: list[str]) -> tuple[list[dict], dict[str, str]]:
        """The users an answer holds, and what went wrong per asked value (case-folded)."""
        resp = self.get(
            f"{self.base_url}/{path}",
            [(param, ",".join(values)), ("user.fields", FIELDS)],
            {"Authorization": f"Bearer {self.api_key}"},
        )
        if resp.status != 200 or not isinstance(resp.data, dict):
            raise ConnectorError(f"X answered HTTP {resp.status}; check HCSM_X_API_KEY.")
        users = [u for u in resp.data.get("data", []) or [] if isinstance(u, dict)]
        problems: dict[str, str] = {}
        for err in resp.data.get("errors", []) or []:
            if not isinstance(err, dict):
                continue
            text = f"{err.get('title', '')} {err.get('detail', '')} {err.get('type', '')}".lower()
            value = str(err.get("value") or err.get("resource_id") or "").casefold()
            problems[value] = "suspended" if "suspended" in text else "not_found"
        return users, problems

    def fetch(self, accounts: Sequence[AccountRef]) -> list[Fetched]:
        by_id = [a for a in accounts if a.uid]
        by_name = [a for a in accounts if not a.uid]
        found: dict[int, Fetched] = {}
        if by_id:
            users, problems = self._ask("users", "ids", [a.uid for a in by_id])
            known = {str(u.get("id", "")): u for u in users}
            for a in by_id:
                user = known.get(a.uid)
                found[a.id] = (
                    self._figures(a, user)
                    if user
                    else Fetched(a.id, status=problems.get(a.uid.casefold(), "not_found"))
                )
        if by_name:
            users, problems = self._ask("users/by", "usernames", [a.handle for a in by_name])
            named = {str(u.get("username", "")).casefold(): u for u in users}
            for a in by_name:
                user = named.get(a.handle.casefold())
                found[a.id] = (
                    self._figures(a, user)
                    if user
                    else Fetched(a.id, status=problems.get(a.handle.casefold(), "not_found"))
                )
        return [found[a.id] for a in accounts]

    @staticmethod
    def _figures(a: AccountRef, user: dict[str, Any]) -> Fetched:
        metrics = user.get("public_metrics") or {}
        followers, posts = _int(metrics.get("followers_count")), _int(metrics.get("tweet_count"))
        uid = str(user.get("id") or a.uid)
        username = str(user.get("username") or "")
        if username and username.casefold() != a.handle.casefold():
            return Fetched(a.id, "renamed", followers, posts, detail=username, uid=uid)
        return Fetched(a.id, followers=followers, posts=posts, uid=uid)
