"""YouTube Data API v3: ``channels.list`` with ``part=statistics``, 50 channel ids a call;
``@handles`` are resolved one a call with ``forHandle``, legacy ``user/`` names with
``forUsername``. A channel missing from ``items`` is not found."""

from __future__ import annotations

from collections.abc import Sequence

from .base import AccountRef, Connector, ConnectorError, Fetched, _int


class YouTube(Connector):
    platform = "youtube"
    name = "YouTube"
    batch_size = 50
    default_url = "https://www.googleapis.com/youtube/v3"
    default_budget = 9000  # the default quota is 10,000 units a day; channels.list costs 1
    docs = "https://developers.google.com/youtube/v3/docs/channels/list"

    def _call(self, params: list[tuple[str, str]]) -> list[dict]:
        resp = self.get(
            f"{self.base_url}/channels",
            [("part", "statistics"), *params, ("key", self.api_key)],
        )
        if resp.status != 200 or not isinstance(resp.data, dict):
            reason = ""
            if isinstance(resp.data, dict):
                reason = str(resp.data.get("error", {}).get("message", ""))[:200]
            raise ConnectorError(f"YouTube answered HTTP {resp.status}. {reason}".strip())
        return [i for i in resp.data.get("items", []) if isinstance(i, dict)]

    @staticmethod
    def _figures(account_id: int, item: dict) -> Fetched:
        stats = item.get("statistics") or {}
        return Fetched(
            account_id,
            followers=None
            if stats.get("hiddenSubscriberCount")
            else _int(stats.get("subscriberCount")),
            posts=_int(stats.get("videoCount")),
            views=_int(stats.get("viewCount")),
        )

    def fetch(self, accounts: Sequence[AccountRef]) -> list[Fetched]:
        out: list[Fetched] = []
        by_id = [a for a in accounts if a.handle.startswith("UC")]
        if by_id:
            items = {
                i.get("id"): i for i in self._call([("id", ",".join(a.handle for a in by_id))])
            }
            for a in by_id:
                item = items.get(a.handle)
                out.append(self._figures(a.id, item) if item else Fetched(a.id, status="not_found"))
        for a in accounts:
            if a.handle.startswith("UC"):
                continue
            kind, _, name = a.handle.rpartition("/")
            param = ("forUsername", name) if kind == "user" else ("forHandle", name.lstrip("@"))
            items = self._call([param])
            out.append(self._figures(a.id, items[0]) if items else Fetched(a.id, "not_found"))
        return out
