"""Facebook Graph API: a page's ``followers_count`` and ``fan_count``. Up to 50 pages a call
with ``?ids=``; when one of them does not exist Graph fails the whole call (error 803), so the
batch is asked again one page at a time to find which. A page whose id is known (kept from an
earlier answer) is asked by id, which still answers after the page changed its username; a
``username`` other than the listed one is a rename."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .base import AccountRef, Connector, ConnectorError, Fetched, Response, _int

FIELDS = "followers_count,fan_count,username"
NOT_FOUND_CODES = {803, 100}


def _asked(a: AccountRef) -> str:
    return a.uid or a.handle


class Facebook(Connector):
    platform = "facebook"
    name = "Facebook"
    batch_size = 50
    default_url = "https://graph.facebook.com/v21.0"
    default_budget = 200
    docs = "https://developers.facebook.com/docs/graph-api/reference/page/"

    def _error_code(self, resp: Response) -> int | None:
        if isinstance(resp.data, dict) and isinstance(resp.data.get("error"), dict):
            return _int(resp.data["error"].get("code"))
        return None

    def _page(self, a: AccountRef, page: Any) -> Fetched:
        if not isinstance(page, dict):
            return Fetched(a.id, status="not_found")
        followers = _int(page.get("followers_count"))
        if followers is None:
            followers = _int(page.get("fan_count"))
        username = str(page.get("username") or "")
        uid = str(page.get("id") or a.uid)
        if username and not a.key.isdigit() and username.casefold() != a.key.casefold():
            return Fetched(a.id, "renamed", followers, detail=username, uid=uid)
        return Fetched(a.id, followers=followers, uid=uid)

    def _check(self, resp: Response) -> None:
        if resp.status in (401, 403) or self._error_code(resp) == 190:
            raise ConnectorError("Facebook refused the access token; check HCSM_FACEBOOK_API_KEY.")

    def fetch(self, accounts: Sequence[AccountRef]) -> list[Fetched]:
        params = [("fields", FIELDS), ("access_token", self.api_key)]
        resp = self.get(
            f"{self.base_url}/", [("ids", ",".join(_asked(a) for a in accounts)), *params]
        )
        self._check(resp)
        if resp.status == 200 and isinstance(resp.data, dict):
            return [self._page(a, resp.data.get(_asked(a))) for a in accounts]
        if self._error_code(resp) not in NOT_FOUND_CODES:
            raise ConnectorError(f"Facebook answered HTTP {resp.status}.")
        out = []
        for a in accounts:
            one = self.get(f"{self.base_url}/{_asked(a)}", params)
            self._check(one)
            if one.status == 200:
                out.append(self._page(a, one.data))
            elif self._error_code(one) in NOT_FOUND_CODES:
                out.append(Fetched(a.id, status="not_found"))
            else:
                raise ConnectorError(f"Facebook answered HTTP {one.status}.")
        return out
