"""Instagram Graph API, business discovery: ``GET /{ig-user-id}?fields=business_discovery.
username(NAME){followers_count,media_count}``, one account a call. Needs the operator's own
Instagram business account id in ``HCSM_INSTAGRAM_ACCOUNT_ID``. A username that is not a
business or creator account answers error 110 / subcode 2207013 (not found)."""

from __future__ import annotations

from collections.abc import Sequence

from .base import AccountRef, Connector, ConnectorError, Fetched, _int


class Instagram(Connector):
    platform = "instagram"
    name = "Instagram"
    batch_size = 25  # accounts a task; one request each
    default_url = "https://graph.facebook.com/v21.0"
    default_budget = 200
    docs = "https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/business_discovery"

    def skip_reason(self) -> str:
        reason = super().skip_reason()
        if not reason and not self.env.get("HCSM_INSTAGRAM_ACCOUNT_ID"):
            reason = "no business account: set HCSM_INSTAGRAM_ACCOUNT_ID"
        return reason

    def fetch(self, accounts: Sequence[AccountRef]) -> list[Fetched]:
        me = self.env.get("HCSM_INSTAGRAM_ACCOUNT_ID", "")
        out = []
        for a in accounts:
            resp = self.get(
                f"{self.base_url}/{me}",
                [
                    (
                        "fields",
                        f"business_discovery.username({a.handle})"
                        "{username,followers_count,media_count}",
                    ),
                    ("access_token", self.api_key),
                ],
            )
            data = resp.data if isinstance(resp.data, dict) else {}
            if resp.status == 200 and isinstance(data.get("business_discovery"), dict):
                bd = data["business_discovery"]
                out.append(
                    Fetched(
                        a.id,
                        followers=_int(bd.get("followers_count")),
                        posts=_int(bd.get("media_count")),
                    )
                )
                continue
            error = data.get("error") if isinstance(data.get("error"), dict) else {}
            if _int(error.get("code")) == 190 or resp.status == 401:
                raise ConnectorError(
                    "Instagram refused the access token; check HCSM_INSTAGRAM_API_KEY."
                )
            if _int(error.get("code")) == 110 or _int(error.get("error_subcode")) == 2207013:
                out.append(Fetched(a.id, status="not_found"))
                continue
            raise ConnectorError(f"Instagram answered HTTP {resp.status}.")
        return out
