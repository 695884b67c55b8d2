"""Each connector against a local server answering in the provider's documented format."""

from email.utils import formatdate

import pytest

from hcsm.metrics.connectors import CONNECTORS, AccountRef, BudgetExhausted, ConnectorError
from hcsm.metrics.connectors.base import retry_after_seconds


def make(platform, provider, *, key="k3y", sleeps=None, **env):
    environ = {f"HCSM_{platform.upper()}_API_URL": provider.url + "/api"}
    if key:
        environ[f"HCSM_{platform.upper()}_API_KEY"] = key
    environ.update(env)
    waits = sleeps if sleeps is not None else []
    return CONNECTORS[platform](env=environ, sleep=waits.append)


def refs(*handles, uids=()):
    uids = list(uids) + [""] * (len(handles) - len(uids))
    return [
        AccountRef(i, h, h.casefold(), uid)
        for i, (h, uid) in enumerate(zip(handles, uids, strict=True), start=1)
    ]


# YouTube ------------------------------------------------------------------------------------


def test_youtube_batches_50_ids_and_resolves_handles(provider):
    ids = [f"UC{n:022d}" for n in range(60)]

    def answer(seen):
        assert seen.path == "/api/channels" and seen.query["part"] == ["snippet,statistics"]
        assert seen.query["key"] == ["k3y"]
        if "forHandle" in seen.query:
            return 200, {"kind": "youtube#channelListResponse", "pageInfo": {"totalResults": 0}}
        asked = seen.query["id"][0].split(",")
        items = [
            {
                "kind": "youtube#channel",
                "id": i,
                "statistics": {
                    "viewCount": "1000",
                    "subscriberCount": str(n),
                    "hiddenSubscriberCount": False,
                    "videoCount": "7",
                },
            }
            for n, i in enumerate(asked)
            if i != ids[3]
        ]
        return 200, {"kind": "youtube#channelListResponse", "items": items}

    provider.answer = answer
    yt = make("youtube", provider)
    first = yt.fetch(refs(*ids[:50]))
    assert len(provider.requests) == 1
    assert len(provider.requests[0].query["id"][0].split(",")) == 50
    assert first[0].followers == 0 and first[0].posts == 7 and first[0].views == 1000
    assert first[3].status == "not_found"
    assert first[4].followers == 4
    missing = yt.fetch(refs("@nosuchchannel"))
    assert provider.requests[-1].query["forHandle"] == ["nosuchchannel"]
    assert missing[0].status == "not_found"


def test_youtube_hidden_subscribers_are_not_invented(provider):
    provider.answer = lambda s: (
        200,
        {
            "items": [
                {
                    "id": "UC" + "a" * 22,
                    "statistics": {
                        "hiddenSubscriberCount": True,
                        "videoCount": "3",
                        "viewCount": "9",
                    },
                }
            ]
        },
    )
    (got,) = make("youtube", provider).fetch(refs("UC" + "a" * 22))
    assert got.followers is None and got.posts == 3


def test_youtube_refused_key_is_an_error_not_a_status(provider):
    provider.answer = lambda s: (403, {"error": {"code": 403, "message": "quotaExceeded"}})
    with pytest.raises(ConnectorError, match="quotaExceeded"):
        make("youtube", provider).fetch(refs("UC" + "b" * 22))


# X ------------------------------------------------------------------------------------------


def test_x_batches_100_and_reads_not_found_and_suspended(provider):
    def answer(seen):
        assert seen.headers["Authorization"] == "Bearer k3y"
        assert seen.path == "/api/users/by"
        assert seen.query["user.fields"] == ["public_metrics,username"]
        names = seen.query["usernames"][0].split(",")
        data = [
            {
                "id": str(n),
                "name": u,
                "username": u,
                "public_metrics": {
                    "followers_count": 10 * n,
                    "following_count": 1,
                    "tweet_count": 5,
                    "listed_count": 0,
                },
            }
            for n, u in enumerate(names)
            if u not in ("gone", "banned")
        ]
        return 200, {
            "data": data,
            "errors": [
                {
                    "value": "gone",
                    "detail": "Could not find user with usernames: [gone].",
                    "title": "Not Found Error",
                    "resource_type": "user",
                    "parameter": "usernames",
                    "resource_id": "gone",
                    "type": "https://api.twitter.com/2/problems/resource-not-found",
                },
                {
                    "value": "banned",
                    "detail": "User has been suspended: [banned].",
                    "title": "Forbidden",
                    "resource_type": "user",
                    "parameter": "usernames",
                    "resource_id": "banned",
                    "type": "https://api.twitter.com/2/problems/resource-not-found",
                },
            ],
        }

    provider.answer = answer
    names = ["MayoClinic", "gone", "banned"] + [f"h{n}" for n in range(97)]
    got = make("x", provider).fetch(refs(*names))
    assert len(provider.requests) == 1 and len(got) == 100
    assert got[0].followers == 0 and got[0].posts == 5
    assert (got[1].status, got[2].status) == ("not_found", "suspended")
    assert got[3].followers == 30


def test_x_429_then_success_honours_retry_after(provider):
    calls = []

    def answer(seen):
        calls.append(1)
        if len(calls) == 1:
            return 429, {"title": "Too Many Requests"}, {"Retry-After": "7"}
        if len(calls) == 2:
            return 503, {"title": "Service Unavailable"}
        return 200, {"data": [{"username": "a", "public_metrics": {"followers_count": 3}}]}

    provider.answer = answer
    sleeps = []
    (got,) = make("x", provider, sleeps=sleeps).fetch(refs("a"))
    assert got.followers == 3
    assert sleeps == [7.0, 2.0]  # Retry-After first, then backoff (2 ** attempt)


def test_x_gives_up_after_five_attempts_and_on_long_retry_after(provider):
    provider.answer = lambda s: (500, {})
    sleeps = []
    with pytest.raises(ConnectorError, match="after 5 attempts"):
        make("x", provider, sleeps=sleeps).fetch(refs("a"))
    assert sleeps == [1.0, 2.0, 4.0, 8.0]
    provider.answer = lambda s: (429, {}, {"Retry-After": "3600"})
    with pytest.raises(ConnectorError, match="rate limited for 3600 s"):
        make("x", provider).fetch(refs("a"))


def test_budget_is_counted_per_request_and_stops_the_run(provider):
    provider.answer = lambda s: (429, {}, {"Retry-After": "0"})
    x = make("x", provider, HCSM_X_BUDGET="3")
    with pytest.raises(BudgetExhausted, match="budget"):
        x.fetch(refs("a"))
    assert len(provider.requests) == 3


def test_retry_after_http_date():
    assert retry_after_seconds(formatdate(1000.0 + 30, usegmt=True), now=1000.0) == 30
    assert retry_after_seconds("soon") is None and retry_after_seconds("") is None


# Facebook -----------------------------------------------------------------------------------


def test_facebook_batch_then_one_by_one_when_a_page_is_missing(provider):
    def answer(seen):
        assert seen.query["access_token"] == ["k3y"]
        if "ids" in seen.query:
            if "nopage" in seen.query["ids"][0]:
                return 404, {
                    "error": {
                        "message": "(#803) Some of the aliases you requested do not exist: nopage",
                        "type": "OAuthException",
                        "code": 803,
                    }
                }
            return 200, {
                i: {"followers_count": 5, "fan_count": 4, "username": i, "id": "1"}
                for i in seen.query["ids"][0].split(",")
            }
        name = seen.path.rsplit("/", 1)[1]
        if name == "nopage":
            return 404, {"error": {"message": "(#803) ...", "code": 803}}
        if name == "oldname":
            return 200, {"followers_count": 9, "username": "NewName", "id": "2"}
        return 200, {"fan_count": 8, "username": name, "id": "3"}

    provider.answer = answer
    fb = make("facebook", provider)
    ok = fb.fetch(refs("mayoclinic", "clevelandclinic"))
    assert [g.followers for g in ok] == [5, 5] and len(provider.requests) == 1
    got = fb.fetch(refs("nopage", "oldname", "fans"))
    assert [g.status for g in got] == ["not_found", "renamed", "active"]
    assert got[1].detail == "NewName" and got[2].followers == 8  # fan_count as fallback


def test_facebook_bad_token(provider):
    provider.answer = lambda s: (
        400,
        {
            "error": {
                "message": "Invalid OAuth access token.",
                "type": "OAuthException",
                "code": 190,
            }
        },
    )
    with pytest.raises(ConnectorError, match="HCSM_FACEBOOK_API_KEY"):
        make("facebook", provider).fetch(refs("a"))


# Instagram ----------------------------------------------------------------------------------


def test_instagram_business_discovery(provider):
    def answer(seen):
        assert seen.path == "/api/1784"
        field = seen.query["fields"][0]
        if "(private_person)" in field:
            return 400, {
                "error": {
                    "message": "Invalid user id",
                    "type": "OAuthException",
                    "code": 110,
                    "error_subcode": 2207013,
                }
            }
        return 200, {
            "business_discovery": {
                "username": "mayoclinic",
                "followers_count": 1200,
                "media_count": 88,
                "id": "17841",
            },
            "id": "1784",
        }

    provider.answer = answer
    ig = make("instagram", provider, HCSM_INSTAGRAM_ACCOUNT_ID="1784")
    got = ig.fetch(refs("mayoclinic", "private_person"))
    assert (got[0].followers, got[0].posts) == (1200, 88)
    assert got[1].status == "not_found"


def test_instagram_without_business_account_is_skipped(provider):
    assert "HCSM_INSTAGRAM_ACCOUNT_ID" in make("instagram", provider).skip_reason()


# Bluesky ------------------------------------------------------------------------------------


def test_bluesky_25_actors_a_call_without_key(provider):
    def answer(seen):
        assert seen.path == "/api/xrpc/app.bsky.actor.getProfiles"
        assert "Authorization" not in seen.headers
        actors = seen.query["actors"]
        profiles = [
            {
                "did": f"did:plc:{n}",
                "handle": a,
                "followersCount": n,
                "followsCount": 1,
                "postsCount": 2,
                "labels": [],
            }
            for n, a in enumerate(actors)
            if not a.startswith("gone")
        ]
        if "banned.bsky.social" in actors:
            profiles[-1]["labels"] = [{"val": "!takedown", "src": "did:plc:mod"}]
        return 200, {"profiles": profiles}

    provider.answer = answer
    bs = make("bluesky", provider, key="")
    assert bs.skip_reason() == ""
    names = ["gone.bsky.social"] + [f"u{n}.bsky.social" for n in range(23)] + ["banned.bsky.social"]
    got = bs.fetch(refs(*names))
    assert len(provider.requests) == 1 and len(provider.requests[0].query["actors"]) == 25
    assert got[0].status == "not_found" and got[1].followers == 1 and got[1].posts == 2
    assert got[-1].status == "suspended"


# Mastodon -----------------------------------------------------------------------------------


def test_mastodon_lookup_statuses(provider):
    def answer(seen):
        assert seen.path == "/api/api/v1/accounts/lookup"
        acct = seen.query["acct"][0]
        if acct == "gone@mastodon.social":
            return 404, {"error": "Record not found"}
        body = {
            "id": "1",
            "username": acct.split("@")[0],
            "acct": acct,
            "followers_count": 42,
            "statuses_count": 7,
        }
        if acct.startswith("moved"):
            body["moved"] = {"id": "2", "username": "new", "acct": "new@health.social"}
        if acct.startswith("bad"):
            body["suspended"] = True
        return 200, body

    provider.answer = answer
    got = make("mastodon", provider, key="").fetch(
        refs(
            "ok@mastodon.social",
            "gone@mastodon.social",
            "moved@mastodon.social",
            "bad@mastodon.social",
        )
    )
    assert (got[0].followers, got[0].posts) == (42, 7)
    assert [g.status for g in got] == ["active", "not_found", "renamed", "suspended"]
    assert got[2].detail == "new@health.social"


def test_platforms_needing_a_key_say_so():
    for slug in ("youtube", "x", "facebook", "instagram"):
        reason = CONNECTORS[slug](env={}).skip_reason()
        assert f"HCSM_{slug.upper()}_API_KEY" in reason
    assert CONNECTORS["bluesky"](env={}).skip_reason() == ""


def test_non_http_base_url_is_refused():
    x = CONNECTORS["x"](env={"HCSM_X_API_URL": "file:///etc", "HCSM_X_API_KEY": "k"})
    with pytest.raises(ConnectorError, match="http"):
        x.fetch(refs("a"))


# Stable ids: renamed accounts ---------------------------------------------------------------


def _x_user(uid, username, followers=1):
    return {
        "id": uid,
        "name": username,
        "username": username,
        "public_metrics": {"followers_count": followers, "tweet_count": 2},
    }


def test_x_asks_known_ids_by_id_100_a_call_and_sees_renames(provider):
    """GET /2/users?ids=… answers with the current username of each id; one gone or
    suspended since comes back in ``errors`` with the id as its value."""

    def answer(seen):
        assert seen.path == "/api/users" and seen.query["user.fields"] == [
            "public_metrics,username"
        ]
        ids = seen.query["ids"][0].split(",")
        data = [_x_user(i, f"h{i}", int(i)) for i in ids if i not in ("1", "2", "3")]
        data.append(_x_user("1", "MayoClinicNew", 500))  # renamed: same id, new username
        return 200, {
            "data": data,
            "errors": [
                {
                    "value": "2",
                    "detail": "Could not find user with ids: [2].",
                    "title": "Not Found Error",
                    "resource_type": "user",
                    "parameter": "ids",
                    "resource_id": "2",
                    "type": "https://api.twitter.com/2/problems/resource-not-found",
                },
                {
                    "value": "3",
                    "detail": "User has been suspended: [3].",
                    "title": "Forbidden",
                    "resource_type": "user",
                    "parameter": "ids",
                    "resource_id": "3",
                    "type": "https://api.twitter.com/2/problems/resource-not-found",
                },
            ],
        }

    provider.answer = answer
    handles = ["MayoClinic", "gone", "banned"] + [f"h{n}" for n in range(4, 101)]
    uids = [str(n) for n in range(1, 101)]
    got = make("x", provider).fetch(refs(*handles, uids=uids))
    assert (
        len(provider.requests) == 1 and len(provider.requests[0].query["ids"][0].split(",")) == 100
    )
    assert "usernames" not in provider.requests[0].query
    assert (got[0].status, got[0].detail, got[0].followers, got[0].uid) == (
        "renamed",
        "MayoClinicNew",
        500,
        "1",
    )
    assert (got[1].status, got[2].status) == ("not_found", "suspended")
    assert (got[3].status, got[3].followers, got[3].uid) == ("active", 4, "4")
    assert [g.account_id for g in got] == list(range(1, 101))


def test_x_mixes_ids_and_usernames_and_learns_ids(provider):
    def answer(seen):
        if seen.path == "/api/users":
            assert seen.query["ids"] == ["111"]
            return 200, {"data": [_x_user("111", "Known")]}
        assert seen.path == "/api/users/by" and seen.query["usernames"] == ["Fresh"]
        return 200, {"data": [_x_user("222", "fresh")]}  # usernames match case-insensitively

    provider.answer = answer
    known, fresh = make("x", provider).fetch(refs("Known", "Fresh", uids=["111"]))
    assert len(provider.requests) == 2
    assert (known.status, known.uid) == ("active", "111")
    assert (fresh.status, fresh.uid) == ("active", "222")


def test_bluesky_asks_by_did_once_known_and_sees_a_new_handle(provider):
    def answer(seen):
        actors = seen.query["actors"]
        assert actors == ["did:plc:mayo", "did:plc:gone", "new.bsky.social", "did:plc:listed"]
        return 200, {
            "profiles": [
                {"did": "did:plc:mayo", "handle": "mayoclinic.org", "followersCount": 9},
                {"did": "did:plc:fresh", "handle": "new.bsky.social", "followersCount": 1},
                {"did": "did:plc:listed", "handle": "someone.bsky.social", "followersCount": 2},
            ]
        }

    provider.answer = answer
    got = make("bluesky", provider, key="").fetch(
        refs(
            "mayoclinic.bsky.social",
            "gone.bsky.social",
            "new.bsky.social",
            "did:plc:listed",
            uids=["did:plc:mayo", "did:plc:gone"],
        )
    )
    assert (got[0].status, got[0].detail, got[0].followers) == ("renamed", "mayoclinic.org", 9)
    assert got[1].status == "not_found"
    assert (got[2].status, got[2].uid) == ("active", "did:plc:fresh")
    assert (got[3].status, got[3].followers) == ("active", 2)  # listed by DID: no rename


def test_youtube_keeps_channel_ids_and_asks_by_id_once_known(provider):
    def channel(cid, handle, subs):
        return {
            "id": cid,
            "snippet": {"title": handle, "customUrl": handle.lower()},
            "statistics": {"subscriberCount": str(subs), "videoCount": "1", "viewCount": "5"},
        }

    def answer(seen):
        if "forHandle" in seen.query:
            return 200, {"items": [channel("UC" + "c" * 22, "@ClevelandClinic", 7)]}
        assert seen.query["id"] == ["UC" + "a" * 22 + ",UC" + "b" * 22]
        return 200, {
            "items": [channel("UC" + "a" * 22, "@mayo", 3), channel("UC" + "b" * 22, "@newname", 4)]
        }

    provider.answer = answer
    got = make("youtube", provider).fetch(
        refs("@Mayo", "@oldname", "@ClevelandClinic", uids=["UC" + "a" * 22, "UC" + "b" * 22])
    )
    assert len(provider.requests) == 2
    assert (got[0].status, got[0].followers) == ("active", 3)
    assert (got[1].status, got[1].detail) == ("renamed", "@newname")
    assert (got[2].status, got[2].uid) == ("active", "UC" + "c" * 22)


def test_facebook_asks_by_page_id_once_known(provider):
    def answer(seen):
        assert seen.query["ids"] == ["12345,clevelandclinic"]
        return 200, {
            "12345": {"followers_count": 5, "username": "MayoClinicNew", "id": "12345"},
            "clevelandclinic": {"followers_count": 6, "username": "clevelandclinic", "id": "9"},
        }

    provider.answer = answer
    got = make("facebook", provider).fetch(refs("MayoClinic", "clevelandclinic", uids=["12345"]))
    assert (got[0].status, got[0].detail, got[0].uid) == ("renamed", "MayoClinicNew", "12345")
    assert (got[1].status, got[1].uid) == ("active", "9")


def test_mastodon_keeps_the_account_id(provider):
    provider.answer = lambda s: (
        200,
        {"id": "1093", "username": "ok", "acct": "ok", "followers_count": 1, "statuses_count": 2},
    )
    (got,) = make("mastodon", provider, key="").fetch(refs("ok@mastodon.social"))
    assert (got.status, got.uid) == ("active", "1093")


def test_bluesky_by_did_never_takes_the_old_handles_new_owner(provider):
    """The DID is gone; someone else took the old handle and is asked in the same batch."""
    provider.answer = lambda s: (
        200,
        {
            "profiles": [
                {"did": "did:plc:squatter", "handle": "old.bsky.social", "followersCount": 1}
            ]
        },
    )
    got = make("bluesky", provider, key="").fetch(
        refs("old.bsky.social", "old.bsky.social", uids=["did:plc:gone"])
    )
    assert got[0].status == "not_found"
    assert (got[1].status, got[1].uid) == ("active", "did:plc:squatter")
