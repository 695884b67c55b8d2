"""Mastodon: ``GET /api/v1/accounts/lookup?acct=name`` on the account's own instance, no key.
404 is not found; ``suspended: true`` is suspended; ``moved`` (the account migrated) is
renamed, with the new address. The account's id is kept (``uid``) but lookups stay by
address: a Mastodon username cannot be changed, a move is always announced by ``moved``, and
ids are local to one server. With ``HCSM_MASTODON_API_URL`` set, every lookup goes to that
one server as ``name@instance`` (a proxy, or a test server)."""

from __future__ import annotations

from collections.abc import Sequence

from .base import AccountRef, Connector, ConnectorError, Fetched, _int


class Mastodon(Connector):
    platform = "mastodon"
    name = "Mastodon"
    batch_size = 25  # accounts a task; one request each
    default_url = ""
    needs_key = False
    default_budget = 300
    docs = "https://docs.joinmastodon.org/methods/accounts/#lookup"

    def fetch(self, accounts: Sequence[AccountRef]) -> list[Fetched]:
        out = []
        for a in accounts:
            user, _, instance = a.handle.partition("@")
            if self.base_url:
                url, acct = f"{self.base_url}/api/v1/accounts/lookup", f"{user}@{instance}"
            else:
                url, acct = f"https://{instance}/api/v1/accounts/lookup", user
            resp = self.get(url, [("acct", acct)])
            if resp.status in (404, 410):
                out.append(Fetched(a.id, status="not_found" if resp.status == 404 else "suspended"))
                continue
            if resp.status != 200 or not isinstance(resp.data, dict):
                raise ConnectorError(f"Mastodon ({instance}) answered HTTP {resp.status}.")
            data = resp.data
            followers, posts = _int(data.get("followers_count")), _int(data.get("statuses_count"))
            uid = str(data.get("id") or a.uid)
            if data.get("suspended"):
                out.append(Fetched(a.id, status="suspended", uid=uid))
            elif isinstance(data.get("moved"), dict):
                moved = str(data["moved"].get("acct", ""))
                if moved and "@" not in moved:
                    moved = f"{moved}@{instance}"
                out.append(Fetched(a.id, "renamed", followers, posts, detail=moved, uid=uid))
            else:
                out.append(Fetched(a.id, followers=followers, posts=posts, uid=uid))
        return out
