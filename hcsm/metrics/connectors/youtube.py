"""YouTube Data API v3: ``channels.list`` with ``part=snippet,statistics``, 50 channel ids a
call; ``@handles`` are resolved one a call with ``forHandle``, legacy ``user/`` names with
``forUsername``, and the channel id that comes back is kept: later runs ask for such
channels by id in the batch. A channel listed by ``@handle`` whose ``snippet.customUrl`` (its
current handle) is another one is renamed. A channel missing from ``items`` is not found."""

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
            [("part", "snippet,statistics"), *params, ("key", self.api_key)],
        )
        if resp.status != 200 or not isinstance(resp.data, dict):
            reason = ""
            if isinstance(resp.data, dict):
                reason = str(resp.data.get("error", {}).get("message", ""))[:200]
            raise ConnectorError(f"YouTube answered HTTP {resp.status}. {reason}".strip())
        return [i for i in resp.data.get("items", []) if isinstance(i, dict)]

    @staticmethod
    def _figures(a: AccountRef, item: dict) -> Fetched:
        stats = item.get("statistics") or {}
        followers = (
            None if stats.get("hiddenSubscriberCount") else _int(stats.get("subscriberCount"))
        )
        posts, views = _int(stats.get("videoCount")), _int(stats.get("viewCount"))
        uid = str(item.get("id") or a.uid)
        current = str((item.get("snippet") or {}).get("customUrl") or "")
        if a.handle.startswith("@") and current and current.casefold() != a.handle.casefold():
            return Fetched(a.id, "renamed", followers, posts, views, detail=current, uid=uid)
        return Fetched(a.id, followers=followers, posts=posts, views=views, uid=uid)

    @staticmethod
    def _channel_id(a: AccountRef) -> str:
        return a.handle if a.handle.startswith("UC") else a.uid

    def fetch(self, accounts: Sequence[AccountRef]) -> list[Fetched]:
        found: dict[int, Fetched] = {}
        by_id = [a for a in accounts if self._channel_id(a)]
        if by_id:
            asked = ",".join(self._channel_id(a) for a in by_id)
            items = {i.get("id"): i for i in self._call([("id", asked)])}
            for a in by_id:
                item = items.get(self._channel_id(a))
                found[a.id] = self._figures(a, item) if item else Fetched(a.id, "not_found")
        for a in accounts:
            if a.id in found:
                continue
            kind, _, name = a.handle.rpartition("/")
            param = ("forUsername", name) if kind == "user" else ("forHandle", name.lstrip("@"))
            items = self._call([param])
            found[a.id] = self._figures(a, items[0]) if items else Fetched(a.id, "not_found")
        return [found[a.id] for a in accounts]
