"""Bluesky's public AppView: ``app.bsky.actor.getProfiles?actors=…``, 25 actors a call, no
key. An actor is a handle or a DID; an account whose DID is known (from an earlier answer) is
asked by its DID, which survives a change of handle: a profile that comes back with another
handle is renamed (the new handle in ``detail``). Actors that do not resolve are left out of
``profiles`` (not found); a profile labelled ``!takedown`` is suspended; ``handle.invalid``
means the handle no longer points at the account (not found)."""

from __future__ import annotations

from collections.abc import Sequence

from .base import AccountRef, Connector, ConnectorError, Fetched, _int


class Bluesky(Connector):
    platform = "bluesky"
    name = "Bluesky"
    batch_size = 25
    default_url = "https://public.api.bsky.app"
    needs_key = False
    default_budget = 3000
    docs = "https://docs.bsky.app/docs/api/app-bsky-actor-get-profiles"

    def _ask(self, accounts: Sequence[AccountRef]) -> list[dict] | None:
        resp = self.get(
            f"{self.base_url}/xrpc/app.bsky.actor.getProfiles",
            [("actors", a.uid or a.handle) for a in accounts],
        )
        if resp.status == 400:
            return None  # an actor the AppView cannot parse: ask one by one
        if resp.status != 200 or not isinstance(resp.data, dict):
            raise ConnectorError(f"Bluesky answered HTTP {resp.status}.")
        return [p for p in resp.data.get("profiles", []) if isinstance(p, dict)]

    def fetch(self, accounts: Sequence[AccountRef]) -> list[Fetched]:
        profiles = self._ask(accounts)
        if profiles is None:
            profiles = []
            for a in accounts:
                profiles.extend(self._ask([a]) or [])
        by_key: dict[str, dict] = {}
        for p in profiles:
            by_key[str(p.get("did", ""))] = p
            by_key[str(p.get("handle", "")).casefold()] = p
        out = []
        for a in accounts:
            # Asked by DID: only that DID's profile is this account (the old handle may be
            # someone else's by now).
            if a.uid:
                p = by_key.get(a.uid)
            else:
                p = by_key.get(a.handle) or by_key.get(a.handle.casefold())
            if p is None:
                out.append(Fetched(a.id, status="not_found"))
                continue
            labels = {str(lab.get("val")) for lab in p.get("labels", []) if isinstance(lab, dict)}
            followers, posts = _int(p.get("followersCount")), _int(p.get("postsCount"))
            handle, did = str(p.get("handle", "")), str(p.get("did", "") or a.uid)
            if "!takedown" in labels:
                out.append(Fetched(a.id, status="suspended", uid=did))
            elif handle == "handle.invalid":
                out.append(Fetched(a.id, status="not_found", uid=did))
            elif handle and not a.handle.startswith("did:") and handle.casefold() != a.key:
                out.append(Fetched(a.id, "renamed", followers, posts, detail=handle, uid=did))
            else:
                out.append(Fetched(a.id, followers=followers, posts=posts, uid=did))
        return out
