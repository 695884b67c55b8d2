"""Tests for hcsm.directory.platforms (pure Python: no database, no network)."""

from __future__ import annotations

import csv
import dataclasses
import random
from pathlib import Path

import pytest

from hcsm.directory.platforms import (
    PLATFORMS,
    AccountInputError,
    CanonicalAccount,
    Platform,
    canonicalize,
    detect_platform,
    platform_choices,
    platform_for_nsi_key,
)

NSI_CSV = Path(__file__).resolve().parents[3] / "data" / "nsi-healthcare-social-accounts.csv"

CYRILLIC_O = "\u043e"  # looks like a Latin "o"
CYRILLIC_A = "\u0430"  # looks like a Latin "a"

# (platform given, raw input, expected platform, expected handle, expected url)
ACCEPTED: list[tuple[str | None, str, str, str, str]] = [
    # --- X (Twitter) -----------------------------------------------------------------
    (None, "https://twitter.com/MayoClinic", "x", "MayoClinic", "https://x.com/MayoClinic"),
    (
        None,
        "https://x.com/ClevelandClinic?ref_src=twsrc%5Egoogle%7Ctwcamp%5Eserp",
        "x",
        "ClevelandClinic",
        "https://x.com/ClevelandClinic",
    ),
    (
        None,
        "http://mobile.twitter.com/NHSGrampian/",
        "x",
        "NHSGrampian",
        "https://x.com/NHSGrampian",
    ),
    ("x", "@KPHawaii", "x", "KPHawaii", "https://x.com/KPHawaii"),
    ("x", "MSF", "x", "MSF", "https://x.com/MSF"),
    (
        None,
        "twitter.com/#!/GreatOrmondSt",
        "x",
        "GreatOrmondSt",
        "https://x.com/GreatOrmondSt",
    ),
    (
        None,
        "HTTPS://WWW.TWITTER.COM/ImperialNHS?s=20&t=AbCdEf",
        "x",
        "ImperialNHS",
        "https://x.com/ImperialNHS",
    ),
    (None, "<https://x.com/AWPNHS>", "x", "AWPNHS", "https://x.com/AWPNHS"),
    (None, "\u201chttps://x.com/icrc\u201d", "x", "icrc", "https://x.com/icrc"),
    (
        None,
        "https://x.com/MayoClinic/with_replies",
        "x",
        "MayoClinic",
        "https://x.com/MayoClinic",
    ),
    ("x", "  @NHS_Lothian \n", "x", "NHS_Lothian", "https://x.com/NHS_Lothian"),
    (
        None,
        "https://twitter.com/ThaiRedCross.",
        "x",
        "ThaiRedCross",
        "https://x.com/ThaiRedCross",
    ),
    ("x", "https://x.com/@MayoClinic", "x", "MayoClinic", "https://x.com/MayoClinic"),
    (None, "//twitter.com/UHhospitals", "x", "UHhospitals", "https://x.com/UHhospitals"),
    (None, "m.twitter.com/DorsetHealth", "x", "DorsetHealth", "https://x.com/DorsetHealth"),
    ("x", "https://x.com/lifebloodau\u200b", "x", "lifebloodau", "https://x.com/lifebloodau"),
    ("x", "https://x.com:443/SomersetFT", "x", "SomersetFT", "https://x.com/SomersetFT"),
    # --- Facebook --------------------------------------------------------------------
    (
        None,
        "https://www.facebook.com/MayoClinic",
        "facebook",
        "MayoClinic",
        "https://www.facebook.com/MayoClinic",
    ),
    (
        None,
        "https://m.facebook.com/ClevelandClinic/?ref=page_internal&mt_nav=0",
        "facebook",
        "ClevelandClinic",
        "https://www.facebook.com/ClevelandClinic",
    ),
    (
        None,
        "facebook.com/kpthrive",
        "facebook",
        "kpthrive",
        "https://www.facebook.com/kpthrive",
    ),
    (
        None,
        "https://web.facebook.com/lothian.nhs?_rdc=1&_rdr",
        "facebook",
        "lothian.nhs",
        "https://www.facebook.com/lothian.nhs",
    ),
    (
        None,
        "https://www.facebook.com/profile.php?id=100064577423891&sk=about",
        "facebook",
        "100064577423891",
        "https://www.facebook.com/100064577423891",
    ),
    (
        None,
        "https://www.facebook.com/pages/Mayo-Clinic-Health-System/105456789012345",
        "facebook",
        "105456789012345",
        "https://www.facebook.com/105456789012345",
    ),
    (
        None,
        "https://www.facebook.com/people/NHS-Grampian/100064512345678/",
        "facebook",
        "100064512345678",
        "https://www.facebook.com/100064512345678",
    ),
    (
        None,
        "https://business.facebook.com/redcross/",
        "facebook",
        "redcross",
        "https://www.facebook.com/redcross",
    ),
    (
        None,
        "https://de-de.facebook.com/msfinternational/about/",
        "facebook",
        "msfinternational",
        "https://www.facebook.com/msfinternational",
    ),
    (
        "facebook",
        "GreatOrmondSt",
        "facebook",
        "GreatOrmondSt",
        "https://www.facebook.com/GreatOrmondSt",
    ),
    (
        "facebook",
        "@ImperialNHS",
        "facebook",
        "ImperialNHS",
        "https://www.facebook.com/ImperialNHS",
    ),
    (
        None,
        "https://www.facebook.com/#!/AdventHealth",
        "facebook",
        "AdventHealth",
        "https://www.facebook.com/AdventHealth",
    ),
    (
        None,
        "fb.me/hongkongredcross",
        "facebook",
        "hongkongredcross",
        "https://www.facebook.com/hongkongredcross",
    ),
    (
        "facebook",
        "https://www.facebook.com/ThaiRedCrossSociety/videos/",
        "facebook",
        "ThaiRedCrossSociety",
        "https://www.facebook.com/ThaiRedCrossSociety",
    ),
    (
        None,
        "https://www.fb.com/lifebloodau",
        "facebook",
        "lifebloodau",
        "https://www.facebook.com/lifebloodau",
    ),
    (
        None,
        "https://facebook.com/pg/UniversityHospitals/posts/",
        "facebook",
        "UniversityHospitals",
        "https://www.facebook.com/UniversityHospitals",
    ),
    (
        None,
        "https://www.facebook.com/MayoClinic?fbclid=IwAR0abcDEF",
        "facebook",
        "MayoClinic",
        "https://www.facebook.com/MayoClinic",
    ),
    (
        "facebook",
        "100064577423891",
        "facebook",
        "100064577423891",
        "https://www.facebook.com/100064577423891",
    ),
    # --- Instagram -------------------------------------------------------------------
    (
        None,
        "https://www.instagram.com/mayoclinic/",
        "instagram",
        "mayoclinic",
        "https://www.instagram.com/mayoclinic/",
    ),
    (
        None,
        "https://instagram.com/clevelandclinic?igshid=MzRlODBiNWFlZA==",
        "instagram",
        "clevelandclinic",
        "https://www.instagram.com/clevelandclinic/",
    ),
    (
        None,
        "instagram.com/kpthrive/",
        "instagram",
        "kpthrive",
        "https://www.instagram.com/kpthrive/",
    ),
    (
        "instagram",
        "@acibadem.international",
        "instagram",
        "acibadem.international",
        "https://www.instagram.com/acibadem.international/",
    ),
    (
        "instagram",
        "nhs_grampian",
        "instagram",
        "nhs_grampian",
        "https://www.instagram.com/nhs_grampian/",
    ),
    (
        None,
        "https://www.instagram.com/AmericanRedCross/",
        "instagram",
        "americanredcross",
        "https://www.instagram.com/americanredcross/",
    ),
    (
        None,
        "https://www.instagram.com/icrc/reels/",
        "instagram",
        "icrc",
        "https://www.instagram.com/icrc/",
    ),
    (
        None,
        "https://www.instagram.com/_u/doctorswithoutborders",
        "instagram",
        "doctorswithoutborders",
        "https://www.instagram.com/doctorswithoutborders/",
    ),
    (
        None,
        "https://instagr.am/thairedcross",
        "instagram",
        "thairedcross",
        "https://www.instagram.com/thairedcross/",
    ),
    (
        None,
        "https://m.instagram.com/greatormondst/?hl=en",
        "instagram",
        "greatormondst",
        "https://www.instagram.com/greatormondst/",
    ),
    (
        None,
        "https://www.instagram.com/awp_nhs/tagged/",
        "instagram",
        "awp_nhs",
        "https://www.instagram.com/awp_nhs/",
    ),
    (
        "instagram",
        "'nhs_lothian'",
        "instagram",
        "nhs_lothian",
        "https://www.instagram.com/nhs_lothian/",
    ),
    # --- YouTube ---------------------------------------------------------------------
    (
        None,
        "https://www.youtube.com/@mayoclinic",
        "youtube",
        "@mayoclinic",
        "https://www.youtube.com/@mayoclinic",
    ),
    (
        None,
        "https://www.youtube.com/channel/UCvXeI5Ej7zWbt4TOfZqXNBg",
        "youtube",
        "UCvXeI5Ej7zWbt4TOfZqXNBg",
        "https://www.youtube.com/channel/UCvXeI5Ej7zWbt4TOfZqXNBg",
    ),
    (
        None,
        "https://m.youtube.com/@clevelandclinic/videos?si=AbCdEf123",
        "youtube",
        "@clevelandclinic",
        "https://www.youtube.com/@clevelandclinic",
    ),
    (
        None,
        "youtube.com/channel/UCyXOXD3YDI4xmrKEyD600pQ/featured",
        "youtube",
        "UCyXOXD3YDI4xmrKEyD600pQ",
        "https://www.youtube.com/channel/UCyXOXD3YDI4xmrKEyD600pQ",
    ),
    (
        "youtube",
        "UCYRLWhnALmiHIGzbTLXkpag",
        "youtube",
        "UCYRLWhnALmiHIGzbTLXkpag",
        "https://www.youtube.com/channel/UCYRLWhnALmiHIGzbTLXkpag",
    ),
    (
        "youtube",
        "@nhsgrampian",
        "youtube",
        "@nhsgrampian",
        "https://www.youtube.com/@nhsgrampian",
    ),
    (
        "youtube",
        "adventisthealth",
        "youtube",
        "@adventisthealth",
        "https://www.youtube.com/@adventisthealth",
    ),
    (
        None,
        "https://www.youtube.com/c/MayoClinic",
        "youtube",
        "c/MayoClinic",
        "https://www.youtube.com/c/MayoClinic",
    ),
    (
        None,
        "https://www.youtube.com/user/mayoclinic/videos",
        "youtube",
        "user/mayoclinic",
        "https://www.youtube.com/user/mayoclinic",
    ),
    (
        None,
        "https://www.youtube.com/mayoclinic",
        "youtube",
        "c/mayoclinic",
        "https://www.youtube.com/c/mayoclinic",
    ),
    (
        None,
        "https://www.youtube.com/@\u043c\u0435\u0434\u0438\u0447\u043d\u0430\u043b\u0430"
        "\u0431\u043e\u0440\u0430\u0442\u043e\u0440\u0456\u044f\u043c\u0435\u0434\u043b"
        "\u0430\u0431",
        "youtube",
        "@\u043c\u0435\u0434\u0438\u0447\u043d\u0430\u043b\u0430\u0431\u043e\u0440\u0430"
        "\u0442\u043e\u0440\u0456\u044f\u043c\u0435\u0434\u043b\u0430\u0431",
        "https://www.youtube.com/@%D0%BC%D0%B5%D0%B4%D0%B8%D1%87%D0%BD%D0%B0%D0%BB%D0%B0"
        "%D0%B1%D0%BE%D1%80%D0%B0%D1%82%D0%BE%D1%80%D1%96%D1%8F%D0%BC%D0%B5%D0%B4%D0%BB"
        "%D0%B0%D0%B1",
    ),
    (
        "youtube",
        "c/ClevelandClinic",
        "youtube",
        "c/ClevelandClinic",
        "https://www.youtube.com/c/ClevelandClinic",
    ),
    (
        None,
        "https://www.youtube.com/@MayoClinic/shorts",
        "youtube",
        "@MayoClinic",
        "https://www.youtube.com/@MayoClinic",
    ),
    # --- LinkedIn --------------------------------------------------------------------
    (
        None,
        "https://www.linkedin.com/company/mayo-clinic",
        "linkedin",
        "mayo-clinic",
        "https://www.linkedin.com/company/mayo-clinic/",
    ),
    (
        None,
        "https://www.linkedin.com/company/5656/",
        "linkedin",
        "5656",
        "https://www.linkedin.com/company/5656/",
    ),
    (
        None,
        "linkedin.com/company/american-red-cross/about/?viewAsMember=true",
        "linkedin",
        "american-red-cross",
        "https://www.linkedin.com/company/american-red-cross/",
    ),
    (
        None,
        "https://de.linkedin.com/company/barmherzige-br\u00fcder-trier",
        "linkedin",
        "barmherzige-br\u00fcder-trier",
        "https://www.linkedin.com/company/barmherzige-br%C3%BCder-trier/",
    ),
    (
        None,
        "https://www.linkedin.com/company/st-franziskus-stiftung-m%C3%BCnster/",
        "linkedin",
        "st-franziskus-stiftung-m\u00fcnster",
        "https://www.linkedin.com/company/st-franziskus-stiftung-m%C3%BCnster/",
    ),
    ("linkedin", "5656", "linkedin", "5656", "https://www.linkedin.com/company/5656/"),
    ("linkedin", "dpt-nhs", "linkedin", "dpt-nhs", "https://www.linkedin.com/company/dpt-nhs/"),
    (
        None,
        "https://uk.linkedin.com/company/imperial-college-healthcare-nhs-trust",
        "linkedin",
        "imperial-college-healthcare-nhs-trust",
        "https://www.linkedin.com/company/imperial-college-healthcare-nhs-trust/",
    ),
    (
        None,
        "https://www.linkedin.com/school/mayo-clinic-college-of-medicine-and-science/",
        "linkedin",
        "school/mayo-clinic-college-of-medicine-and-science",
        "https://www.linkedin.com/school/mayo-clinic-college-of-medicine-and-science/",
    ),
    (
        None,
        "https://www.linkedin.com/showcase/mayo-clinic-platform/",
        "linkedin",
        "showcase/mayo-clinic-platform",
        "https://www.linkedin.com/showcase/mayo-clinic-platform/",
    ),
    (
        "linkedin",
        "https://www.linkedin.com/company/ifrc/posts/?feedView=all",
        "linkedin",
        "ifrc",
        "https://www.linkedin.com/company/ifrc/",
    ),
    (
        None,
        "https://www.linkedin.com/company-beta/5656/",
        "linkedin",
        "5656",
        "https://www.linkedin.com/company/5656/",
    ),
    (
        "linkedin",
        "https://www.linkedin.com/company/johnson-&-johnson/",
        "linkedin",
        "johnson-&-johnson",
        "https://www.linkedin.com/company/johnson-&-johnson/",
    ),
    # --- TikTok ----------------------------------------------------------------------
    (
        None,
        "https://www.tiktok.com/@mayoclinic",
        "tiktok",
        "mayoclinic",
        "https://www.tiktok.com/@mayoclinic",
    ),
    (
        None,
        "https://www.tiktok.com/@clevelandclinic?lang=en",
        "tiktok",
        "clevelandclinic",
        "https://www.tiktok.com/@clevelandclinic",
    ),
    (
        None,
        "tiktok.com/@americanredcross/",
        "tiktok",
        "americanredcross",
        "https://www.tiktok.com/@americanredcross",
    ),
    ("tiktok", "@ifrc", "tiktok", "ifrc", "https://www.tiktok.com/@ifrc"),
    (
        "tiktok",
        "doctorswithoutborders",
        "tiktok",
        "doctorswithoutborders",
        "https://www.tiktok.com/@doctorswithoutborders",
    ),
    (
        None,
        "https://m.tiktok.com/@bbt_gruppe?_t=8abc&_r=1",
        "tiktok",
        "bbt_gruppe",
        "https://www.tiktok.com/@bbt_gruppe",
    ),
    (
        None,
        "https://www.tiktok.com/@DOHgovph",
        "tiktok",
        "dohgovph",
        "https://www.tiktok.com/@dohgovph",
    ),
    (
        None,
        "https://www.tiktok.com/@avisnazionale/live",
        "tiktok",
        "avisnazionale",
        "https://www.tiktok.com/@avisnazionale",
    ),
    (
        "tiktok",
        "https://www.tiktok.com/@csdlab?is_from_webapp=1&sender_device=pc",
        "tiktok",
        "csdlab",
        "https://www.tiktok.com/@csdlab",
    ),
    # --- Pinterest -------------------------------------------------------------------
    (
        None,
        "https://www.pinterest.com/mayoclinic/",
        "pinterest",
        "mayoclinic",
        "https://www.pinterest.com/mayoclinic/",
    ),
    (
        None,
        "https://www.pinterest.co.uk/clevelandclinic/",
        "pinterest",
        "clevelandclinic",
        "https://www.pinterest.com/clevelandclinic/",
    ),
    (
        None,
        "https://uk.pinterest.com/amredcross/",
        "pinterest",
        "amredcross",
        "https://www.pinterest.com/amredcross/",
    ),
    (
        None,
        "pinterest.com/kpthrive/healthy-recipes/",
        "pinterest",
        "kpthrive",
        "https://www.pinterest.com/kpthrive/",
    ),
    (
        "pinterest",
        "Allinahealth",
        "pinterest",
        "Allinahealth",
        "https://www.pinterest.com/Allinahealth/",
    ),
    (
        None,
        "https://www.pinterest.ca/adventhealth/_created/",
        "pinterest",
        "adventhealth",
        "https://www.pinterest.com/adventhealth/",
    ),
    # --- Threads ---------------------------------------------------------------------
    (
        None,
        "https://www.threads.net/@adventhealth",
        "threads",
        "adventhealth",
        "https://www.threads.com/@adventhealth",
    ),
    (
        None,
        "https://threads.com/@americanredcross/",
        "threads",
        "americanredcross",
        "https://www.threads.com/@americanredcross",
    ),
    (
        "threads",
        "@ascension_org",
        "threads",
        "ascension_org",
        "https://www.threads.com/@ascension_org",
    ),
    (
        "threads",
        "aurorahealthcare",
        "threads",
        "aurorahealthcare",
        "https://www.threads.com/@aurorahealthcare",
    ),
    (
        None,
        "https://www.threads.net/@MayoClinic?xmt=AQGzAbC",
        "threads",
        "mayoclinic",
        "https://www.threads.com/@mayoclinic",
    ),
    # --- Bluesky (handles are format examples) ---------------------------------------
    (
        None,
        "https://bsky.app/profile/clevelandclinic.org",
        "bluesky",
        "clevelandclinic.org",
        "https://bsky.app/profile/clevelandclinic.org",
    ),
    (
        None,
        "https://bsky.app/profile/MayoClinic.bsky.social/",
        "bluesky",
        "mayoclinic.bsky.social",
        "https://bsky.app/profile/mayoclinic.bsky.social",
    ),
    (
        None,
        "bsky.app/profile/nhsengland.bsky.social?ref=share",
        "bluesky",
        "nhsengland.bsky.social",
        "https://bsky.app/profile/nhsengland.bsky.social",
    ),
    (
        "bluesky",
        "@kpthrive.bsky.social",
        "bluesky",
        "kpthrive.bsky.social",
        "https://bsky.app/profile/kpthrive.bsky.social",
    ),
    (
        "bluesky",
        "mayoclinic",
        "bluesky",
        "mayoclinic.bsky.social",
        "https://bsky.app/profile/mayoclinic.bsky.social",
    ),
    (
        "bluesky",
        "did:plc:ewvi7nxzyoun6zhxrhs64oiz",
        "bluesky",
        "did:plc:ewvi7nxzyoun6zhxrhs64oiz",
        "https://bsky.app/profile/did:plc:ewvi7nxzyoun6zhxrhs64oiz",
    ),
    (
        None,
        "@redcross.bsky.social",
        "bluesky",
        "redcross.bsky.social",
        "https://bsky.app/profile/redcross.bsky.social",
    ),
    (
        None,
        "https://redcross.bsky.social",
        "bluesky",
        "redcross.bsky.social",
        "https://bsky.app/profile/redcross.bsky.social",
    ),
    (
        None,
        "https://bsky.app/profile/did:plc:ewvi7nxzyoun6zhxrhs64oiz/followers",
        "bluesky",
        "did:plc:ewvi7nxzyoun6zhxrhs64oiz",
        "https://bsky.app/profile/did:plc:ewvi7nxzyoun6zhxrhs64oiz",
    ),
    (
        "bluesky",
        "HopkinsMedicine.org",
        "bluesky",
        "hopkinsmedicine.org",
        "https://bsky.app/profile/hopkinsmedicine.org",
    ),
    # --- Mastodon --------------------------------------------------------------------
    (
        None,
        "@Gargron@mastodon.social",
        "mastodon",
        "Gargron@mastodon.social",
        "https://mastodon.social/@Gargron",
    ),
    (
        None,
        "https://mastodon.social/@Gargron",
        "mastodon",
        "Gargron@mastodon.social",
        "https://mastodon.social/@Gargron",
    ),
    (
        "mastodon",
        "healthnews@Mstdn.Science",
        "mastodon",
        "healthnews@mstdn.science",
        "https://mstdn.science/@healthnews",
    ),
    (
        None,
        "https://med-mastodon.com/@nhsengland/with_replies",
        "mastodon",
        "nhsengland@med-mastodon.com",
        "https://med-mastodon.com/@nhsengland",
    ),
    (
        None,
        "https://mastodon.social/users/Gargron",
        "mastodon",
        "Gargron@mastodon.social",
        "https://mastodon.social/@Gargron",
    ),
    (
        None,
        "https://mastodon.social/@Gargron@mastodon.online",
        "mastodon",
        "Gargron@mastodon.online",
        "https://mastodon.online/@Gargron",
    ),
    (
        None,
        "mastodon.social/@Gargron",
        "mastodon",
        "Gargron@mastodon.social",
        "https://mastodon.social/@Gargron",
    ),
    (
        "mastodon",
        "https://mastodon.social/web/@Gargron",
        "mastodon",
        "Gargron@mastodon.social",
        "https://mastodon.social/@Gargron",
    ),
    # --- Flickr ----------------------------------------------------------------------
    (
        None,
        "https://www.flickr.com/photos/nihgov/",
        "flickr",
        "nihgov",
        "https://www.flickr.com/photos/nihgov/",
    ),
    (
        None,
        "https://www.flickr.com/people/12345678@N07/",
        "flickr",
        "12345678@N07",
        "https://www.flickr.com/photos/12345678@N07/",
    ),
    (
        None,
        "flickr.com/photos/nihgov/albums/72157712345678901",
        "flickr",
        "nihgov",
        "https://www.flickr.com/photos/nihgov/",
    ),
    (
        "flickr",
        "12345678@n07",
        "flickr",
        "12345678@N07",
        "https://www.flickr.com/photos/12345678@N07/",
    ),
    # --- Blog / website --------------------------------------------------------------
    (
        "blog",
        "https://newsnetwork.mayoclinic.org/",
        "blog",
        "newsnetwork.mayoclinic.org",
        "https://newsnetwork.mayoclinic.org/",
    ),
    (
        "blog",
        "https://my.clevelandclinic.org/health?utm_source=twitter&utm_medium=social",
        "blog",
        "my.clevelandclinic.org/health",
        "https://my.clevelandclinic.org/health",
    ),
    (
        "blog",
        "http://about.kaiserpermanente.org",
        "blog",
        "about.kaiserpermanente.org",
        "http://about.kaiserpermanente.org/",
    ),
    (
        "blog",
        "https://www.england.nhs.uk/feed/",
        "blog",
        "www.england.nhs.uk/feed",
        "https://www.england.nhs.uk/feed/",
    ),
    (
        "blog",
        "https://blogs.bmj.com/bmj/?feed=rss2",
        "blog",
        "blogs.bmj.com/bmj",
        "https://blogs.bmj.com/bmj/?feed=rss2",
    ),
    (
        "blog",
        "www.hopkinsmedicine.org/news",
        "blog",
        "www.hopkinsmedicine.org/news",
        "https://www.hopkinsmedicine.org/news",
    ),
    (
        "blog",
        "https://WWW.MAYOCLINIC.ORG:443/about-mayo-clinic#top",
        "blog",
        "www.mayoclinic.org/about-mayo-clinic",
        "https://www.mayoclinic.org/about-mayo-clinic",
    ),
    (
        "blog",
        "https://www.cdc.gov/media/rss.xml?fbclid=abc&x=1",
        "blog",
        "www.cdc.gov/media/rss.xml",
        "https://www.cdc.gov/media/rss.xml?x=1",
    ),
    (
        "blog",
        "https://b\u00fccher.de/",
        "blog",
        "xn--bcher-kva.de",
        "https://xn--bcher-kva.de/",
    ),
    (
        "blog",
        "https://medium.com/@MayoClinic",
        "blog",
        "medium.com/@MayoClinic",
        "https://medium.com/@MayoClinic",
    ),
    (
        "blog",
        "http://www.example.org:8080/news",
        "blog",
        "www.example.org:8080/news",
        "http://www.example.org:8080/news",
    ),
    # --- Foursquare (historic) -------------------------------------------------------
    (
        None,
        "https://foursquare.com/mayoclinic",
        "foursquare",
        "mayoclinic",
        "https://foursquare.com/mayoclinic",
    ),
    (
        None,
        "https://foursquare.com/v/mayo-clinic/4B0586A1F964A520D1A922E3",
        "foursquare",
        "v/4b0586a1f964a520d1a922e3",
        "https://foursquare.com/v/4b0586a1f964a520d1a922e3",
    ),
    (
        None,
        "https://foursquare.com/user/12345",
        "foursquare",
        "user/12345",
        "https://foursquare.com/user/12345",
    ),
    (
        "foursquare",
        "v/4b0586a1f964a520d1a922e3",
        "foursquare",
        "v/4b0586a1f964a520d1a922e3",
        "https://foursquare.com/v/4b0586a1f964a520d1a922e3",
    ),
    # --- VK --------------------------------------------------------------------------
    (None, "https://vk.com/invitro", "vk", "invitro", "https://vk.com/invitro"),
    (None, "https://m.vk.com/helix_lab", "vk", "helix_lab", "https://vk.com/helix_lab"),
    ("vk", "moyzubnoyspb", "vk", "moyzubnoyspb", "https://vk.com/moyzubnoyspb"),
    (None, "https://vk.com/club123456", "vk", "club123456", "https://vk.com/club123456"),
    (
        None,
        "https://vk.com/public123456?w=wall-123456_789",
        "vk",
        "public123456",
        "https://vk.com/public123456",
    ),
    (None, "vk.com/id1", "vk", "id1", "https://vk.com/id1"),
    # --- Weibo -----------------------------------------------------------------------
    (None, "https://weibo.com/msfhk", "weibo", "msfhk", "https://weibo.com/msfhk"),
    (
        None,
        "https://weibo.com/u/1234567890",
        "weibo",
        "1234567890",
        "https://weibo.com/1234567890",
    ),
    (
        None,
        "https://m.weibo.cn/u/1234567890?uid=1234567890",
        "weibo",
        "1234567890",
        "https://weibo.com/1234567890",
    ),
    (
        None,
        "https://weibo.com/1234567890?is_all=1",
        "weibo",
        "1234567890",
        "https://weibo.com/1234567890",
    ),
    (
        None,
        "https://weibo.com/n/\u65e0\u56fd\u754c\u533b\u751f",
        "weibo",
        "n/\u65e0\u56fd\u754c\u533b\u751f",
        "https://weibo.com/n/%E6%97%A0%E5%9B%BD%E7%95%8C%E5%8C%BB%E7%94%9F",
    ),
    (
        "weibo",
        "@\u65e0\u56fd\u754c\u533b\u751f",
        "weibo",
        "n/\u65e0\u56fd\u754c\u533b\u751f",
        "https://weibo.com/n/%E6%97%A0%E5%9B%BD%E7%95%8C%E5%8C%BB%E7%94%9F",
    ),
    (
        None,
        "https://weibo.com/p/1005051234567890",
        "weibo",
        "1234567890",
        "https://weibo.com/1234567890",
    ),
]

# (platform given, raw input, substring of the message)
REFUSED: list[tuple[str | None, str, str]] = [
    # --- X ---------------------------------------------------------------------------
    (None, "https://x.com/MayoClinic/status/1790000000000000000", "link to an X post"),
    (None, "https://twitter.com/i/lists/1234567", "internal X page"),
    (None, "https://x.com/hashtag/health", "hashtag on X"),
    (None, "https://x.com/search?q=mayo%20clinic", "a search on X"),
    (None, "https://x.com/home", "home timeline"),
    (None, "https://twitter.com/intent/follow?screen_name=MayoClinic", "X follow button"),
    (None, "https://twitter.com/intent/tweet?text=hello", "share or follow button"),
    ("x", "settings", "reserved word on X"),
    ("x", "Mayo_Clinic_Official_Account", "not a valid X handle"),
    ("x", "Mayo Clinic", "without spaces"),
    (None, "https://t.co/AbCdEf123", "shortened X link"),
    ("x", "https://help.twitter.com/en/using-x", "is not a link to an account"),
    (None, "https://x.com/", "X home page"),
    ("x", "https://www.facebook.com/MayoClinic", "That is a Facebook link, but you chose X"),
    ("x", "https://www.mayoclinic.org/", "That is not an X link"),
    ("x", f"@m{CYRILLIC_A}yoclinic", "look-alike"),
    ("x", "\u043c\u0430\u0439\u043e", "not allowed in an X handle"),
    # --- Facebook --------------------------------------------------------------------
    (
        None,
        "https://www.facebook.com/MayoClinic/posts/pfbid0abc123XYZ",
        "That is a link to a Facebook post, not a page. Paste the link of the page itself, "
        "e.g. https://www.facebook.com/MayoClinic",
    ),
    (None, "https://www.facebook.com/story.php?story_fbid=123&id=456", "Facebook post"),
    (None, "https://m.facebook.com/permalink.php?story_fbid=1&id=2", "Facebook post"),
    (None, "https://www.facebook.com/photo/?fbid=123&set=a.456", "Facebook photo"),
    (None, "https://www.facebook.com/MayoClinic/videos/1234567890/", "Facebook video"),
    (None, "https://www.facebook.com/watch/?v=1234567890", "Facebook video"),
    (None, "https://fb.watch/abcDEF/", "Facebook video"),
    (None, "https://www.facebook.com/events/123456789/", "Facebook event"),
    (None, "https://www.facebook.com/groups/123456789/", "a Facebook group, not a page"),
    (None, "https://www.facebook.com/share/p/1AbCdEf/", "Facebook share link"),
    (None, "https://www.facebook.com/share/1AbCdEf/?mibextid=wwXIfr", "share link"),
    (
        None,
        "https://www.facebook.com/sharer/sharer.php?u=https://www.mayoclinic.org",
        "share button",
    ),
    (None, "https://l.facebook.com/l.php?u=https%3A%2F%2Fwww.mayoclinic.org", "redirect"),
    (None, "https://www.facebook.com/profile.php", "does not point to a page"),
    (None, "https://developers.facebook.com/docs/", "is not a link to a page"),
    (
        "facebook",
        "https://www.instagram.com/mayoclinic/",
        "That is an Instagram link, but you chose Facebook.",
    ),
    ("facebook", "a", "not a valid Facebook page name"),
    (None, f"https://www.facebo{CYRILLIC_O}k.com/MayoClinic", "look-alike"),
    (None, "https://www.facebook.com/hashtag/health", "Facebook hashtag"),
    # --- Instagram -------------------------------------------------------------------
    (None, "https://www.instagram.com/p/C1a2b3c4d5e/", "link to an Instagram post"),
    (None, "https://www.instagram.com/reel/C1a2b3c4d5e/?igsh=abc", "Instagram reel"),
    (None, "https://www.instagram.com/reels/C1a2b3c4d5e/", "Instagram reel"),
    (None, "https://www.instagram.com/tv/B1a2b3c4d5e/", "Instagram video"),
    (None, "https://www.instagram.com/stories/mayoclinic/3123456789/", "Instagram story"),
    (None, "https://www.instagram.com/explore/tags/health/", "Explore"),
    (None, "https://www.instagram.com/mayoclinic/p/C1a2b3c4d5e/", "Instagram post"),
    ("instagram", "https://www.tiktok.com/@mayoclinic", "That is a TikTok link, but you chose"),
    ("instagram", "mayo clinic", "without spaces"),
    ("instagram", "a" * 31, "not a valid Instagram username"),
    (None, "https://help.instagram.com/1234567", "is not a link to an account"),
    # --- YouTube ---------------------------------------------------------------------
    (None, "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "YouTube video, not a channel"),
    (None, "https://youtu.be/dQw4w9WgXcQ?si=abc", "YouTube video, not a channel"),
    (None, "https://www.youtube.com/shorts/AbCdEfGh123", "YouTube video"),
    (None, "https://www.youtube.com/live/AbCdEfGh123", "YouTube video"),
    (None, "https://www.youtube.com/playlist?list=PL1234567890", "YouTube playlist"),
    (None, "https://www.youtube.com/embed/dQw4w9WgXcQ", "YouTube video"),
    (None, "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ", "YouTube video"),
    (None, "https://music.youtube.com/channel/UCvXeI5Ej7zWbt4TOfZqXNBg", "YouTube Music"),
    (None, "https://www.youtube.com/channel/UCshort", "channel IDs start with UC"),
    ("youtube", "@ab", "not a valid YouTube handle"),
    ("youtube", f"@mayocl{CYRILLIC_O}nic", "look-alike"),
    (None, "https://www.youtube.com/results?search_query=mayo+clinic", "YouTube search"),
    # --- LinkedIn --------------------------------------------------------------------
    (None, "https://www.linkedin.com/in/john-doe-123456/", "personal LinkedIn profile"),
    (None, "https://www.linkedin.com/pub/john-doe/1/2/3", "personal LinkedIn profile"),
    (None, "https://www.linkedin.com/posts/mayo-clinic_activity-7123456789", "LinkedIn post"),
    (None, "https://www.linkedin.com/feed/update/urn:li:activity:7123456789/", "LinkedIn post"),
    (None, "https://www.linkedin.com/pulse/some-article-title-jane-doe", "LinkedIn article"),
    (None, "https://www.linkedin.com/jobs/view/3712345678/", "LinkedIn job listing"),
    (None, "https://lnkd.in/eAbCdEf", "shortened LinkedIn link"),
    (None, "https://www.linkedin.com/groups/12345/", "LinkedIn group"),
    ("linkedin", "https://x.com/MayoClinic", "That is an X link, but you chose LinkedIn"),
    (None, "https://www.linkedin.com/company/", "incomplete LinkedIn link"),
    ("linkedin", "mayo clinic", "without spaces"),
    ("linkedin", "in/john-doe", "personal LinkedIn profile"),
    # --- TikTok ----------------------------------------------------------------------
    (None, "https://www.tiktok.com/@mayoclinic/video/7234567890123456789", "TikTok video"),
    (None, "https://vm.tiktok.com/ZMabc123/", "shortened TikTok link"),
    (None, "https://www.tiktok.com/t/ZTabc123/", "shortened TikTok link"),
    (None, "https://www.tiktok.com/mayoclinic", "have an @ before the name"),
    (None, "https://www.tiktok.com/tag/health", "TikTok hashtag"),
    ("tiktok", "a", "not a valid TikTok username"),
    # --- Pinterest -------------------------------------------------------------------
    (None, "https://www.pinterest.com/pin/123456789012345678/", "Pinterest pin"),
    (None, "https://pin.it/AbCdEf", "shortened Pinterest link"),
    (None, "https://www.pinterest.com/search/pins/?q=health", "Pinterest search"),
    ("pinterest", "ab", "not a valid Pinterest username"),
    # --- Threads ---------------------------------------------------------------------
    (None, "https://www.threads.net/@mayoclinic/post/C1AbCdEfG", "Threads post"),
    (None, "https://www.threads.net/mayoclinic", "have an @ before the name"),
    ("threads", "https://www.instagram.com/mayoclinic/", "That is an Instagram link"),
    # --- Bluesky ---------------------------------------------------------------------
    (None, "https://bsky.app/profile/mayoclinic.bsky.social/post/3kabc123", "Bluesky post"),
    (None, "https://bsky.app/profile/mayoclinic.bsky.social/feed/health", "Bluesky feed"),
    ("bluesky", "did:plc:SHORT", "not a valid Bluesky handle"),
    ("bluesky", "mayoclinic.local", "not a valid Bluesky handle"),
    (None, "https://bsky.app/search?q=health", "Bluesky search"),
    ("bluesky", "https://mastodon.social/@Gargron", "That is not a Bluesky link"),
    # --- Mastodon --------------------------------------------------------------------
    (None, "https://mastodon.social/@Gargron/109331234567890", "Mastodon post"),
    ("mastodon", "@Gargron", "@name@server"),
    ("mastodon", "@Gargron@localhost", "not a valid Mastodon server"),
    ("mastodon", "@mayoclinic@threads.net", "choose Threads"),
    (None, "https://mastodon.social/users/Gargron/statuses/1093312", "Mastodon post"),
    ("mastodon", "https://mastodon.social/about", "does not look like a link to a Mastodon"),
    # --- Flickr ----------------------------------------------------------------------
    (None, "https://www.flickr.com/photos/nihgov/53123456789/", "Flickr photo"),
    (None, "https://flic.kr/p/2abCdEf", "shortened Flickr link"),
    (None, "https://www.flickr.com/groups/healthcare/", "Flickr group"),
    # --- Blog / website --------------------------------------------------------------
    (
        "blog",
        "https://www.facebook.com/MayoClinic",
        "That is a Facebook link: choose Facebook",
    ),
    ("blog", "https://youtu.be/dQw4w9WgXcQ", "That is a YouTube link: choose YouTube"),
    ("blog", "http://localhost:8000/", "not a public web address"),
    ("blog", "https://192.168.1.1/", "IP addresses"),
    ("blog", "http://[::1]/feed", "IP addresses"),
    ("blog", "https://intranet/", "not a public web address"),
    ("blog", "https://intranet.corp/news", "does not end in a known domain"),
    ("blog", "ftp://example.org/", "Only web links starting with https:// are accepted"),
    ("blog", "https://bit.ly/3AbCdEf", "shortened link"),
    ("blog", "feed://example.org/rss", "Only web links starting with https://"),
    (None, "https://www.mayoclinic.org/", "choose the platform 'Blog / website'"),
    # --- Foursquare ------------------------------------------------------------------
    (None, "https://4sq.com/AbCdEf", "shortened Foursquare link"),
    (None, "https://foursquare.com/v/mayo-clinic", "no venue ID"),
    (None, "https://foursquare.com/explore?near=Rochester", "Foursquare Explore"),
    # --- VK --------------------------------------------------------------------------
    (None, "https://vk.com/wall-123456_789", "VK post"),
    (None, "https://vk.com/video-123456_456239017", "VK video"),
    (None, "https://vk.com/photo-123456_457239017", "VK photo"),
    (None, "https://vk.com/feed", "VK menu page"),
    # --- Weibo -----------------------------------------------------------------------
    (None, "https://weibo.com/1234567890/NabcDEF12", "Weibo post"),
    (None, "https://m.weibo.cn/status/4890123456789012", "Weibo post"),
    (None, "https://m.weibo.cn/detail/4890123456789012", "Weibo post"),
    # --- Common ----------------------------------------------------------------------
    (None, "MayoClinic", "choose the platform"),
    (None, "@MayoClinic", "choose the platform"),
    ("x", "", "Paste a link"),
    ("facebook", "   ", "Paste a link"),
    ("x", "https://x.com/" + "a" * 600, "too long"),
    ("x", "javascript:alert(1)", "Only web links starting with https:// are accepted"),
    ("x", "https://user:secret@x.com/MayoClinic", "user:password@"),
    (None, "https://evil.example\\@x.com/MayoClinic", "backslash"),
    ("youtube", "https://x.com/MayoClinic\u202e", "invisible or control characters"),
    (
        "not-a-platform",
        "https://x.com/MayoClinic",
        "Unknown platform 'not-a-platform'",
    ),
]

GARBAGE = [
    "",
    " ",
    "\t\n ",
    "x" * 10_000,
    "https://x.com/" + "a" * 10_000,
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "  javascript:alert(document.cookie)  ",
    "javascript://%0aalert(1)",
    "JAVASCRIPT:alert(1)//https://x.com/MayoClinic",
    "java\tscript:alert(1)",
    "jav&#x09;ascript:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html,<script>alert(1)</script>",
    "DATA:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "file:///etc/passwd",
    "FILE://C:/Windows/win.ini",
    "ftp://example.org/pub",
    "mailto:info@mayoclinic.org",
    "tel:+15072842511",
    "feed:https://example.org/rss",
    '=HYPERLINK("http://evil")',
    "+cmd|' /C calc'!A0",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    f"facebo{CYRILLIC_O}k.com/x",
    f"https://www.facebo{CYRILLIC_O}k.com/MayoClinic",
    f"https://twitter.c{CYRILLIC_O}m/MayoClinic",
    f"@m{CYRILLIC_A}yoclinic",
    f"m{CYRILLIC_A}yo{CYRILLIC_O}clinic",
    "https://\uff46\uff41\uff43\uff45\uff42\uff4f\uff4f\uff4b.com/MayoClinic",
    "\uff20MayoClinic\uff20mastodon.social",
    "https://x.com/MayoClinic\x00",
    "\x00",
    "\u200b",
    "https://x.com/MayoClinic\u202e",
    "https://evil.example\\@facebook.com/MayoClinic",
    "https://facebook.com@evil.example/MayoClinic",
    "https://user:pass@x.com/MayoClinic",
    "http://[::1]/",
    "http://127.0.0.1/",
    "https://",
    "https:///",
    "https:x.com/MayoClinic",
    "//",
    "@",
    "@@",
    "/",
    "#",
    "?",
    "https://x.com/%00",
    "https://x.com/%0d%0aSet-Cookie:x",
    "../../etc/passwd",
    "https://x.com/MayoClinic https://x.com/ClevelandClinic",
]

PLATFORM_ARGS: list[str | None] = [None, *PLATFORMS]


def _id(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 70 else text[:67] + "..."


# --------------------------------------------------------------------------------------
# Registry


def test_platform_registry_order_and_flags():
    assert list(PLATFORMS) == [
        "x",
        "facebook",
        "instagram",
        "youtube",
        "linkedin",
        "tiktok",
        "pinterest",
        "threads",
        "bluesky",
        "mastodon",
        "flickr",
        "blog",
        "foursquare",
        "vk",
        "weibo",
    ]
    assert [s for s, p in PLATFORMS.items() if p.major] == [
        "x",
        "facebook",
        "instagram",
        "youtube",
        "linkedin",
        "tiktok",
        "bluesky",
        "blog",
    ]
    assert [s for s, p in PLATFORMS.items() if p.historic] == ["foursquare"]
    for slug, platform in PLATFORMS.items():
        assert isinstance(platform, Platform)
        assert platform.slug == slug
        assert platform.name
        assert platform.example_url.startswith("https://")
    assert PLATFORMS["x"].name == "X (Twitter)"


def test_dataclasses_are_frozen():
    account = canonicalize("https://x.com/MayoClinic")
    with pytest.raises(dataclasses.FrozenInstanceError):
        account.handle = "other"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        PLATFORMS["x"].name = "Twitter"  # type: ignore[misc]


def test_platform_choices():
    choices = platform_choices()
    assert choices == [(p.slug, p.name) for p in PLATFORMS.values()]
    assert choices[0] == ("x", "X (Twitter)")
    assert ("blog", "Blog / website") in choices


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("facebook", "facebook"),
        ("twitter", "x"),
        ("instagram", "instagram"),
        ("linkedin", "linkedin"),
        ("youtube", "youtube"),
        ("youtubeHandle", "youtube"),
        ("tiktok", "tiktok"),
        ("pinterest", "pinterest"),
        ("threads", "threads"),
        ("vk", "vk"),
        ("weibo", "weibo"),
        ("mastodon", None),
        ("website", None),
        ("", None),
    ],
)
def test_platform_for_nsi_key(key, expected):
    assert platform_for_nsi_key(key) == expected


# --------------------------------------------------------------------------------------
# Accepted and refused inputs


@pytest.mark.parametrize(("platform", "raw", "slug", "handle", "url"), ACCEPTED, ids=_id)
def test_accepted(platform, raw, slug, handle, url):
    account = canonicalize(raw, platform)
    assert account == CanonicalAccount(platform=slug, handle=handle, url=url, key=account.key), (
        account
    )
    assert account.url.startswith(("https://", "http://"))


@pytest.mark.parametrize(("platform", "raw", "slug", "handle", "url"), ACCEPTED, ids=_id)
def test_accepted_is_idempotent(platform, raw, slug, handle, url):
    account = canonicalize(raw, platform)
    assert canonicalize(account.url, platform) == account
    assert canonicalize(account.url, slug) == account
    if slug != "blog":
        # The canonical URL identifies its platform, and the handle alone round-trips.
        assert canonicalize(account.url) == account
        assert canonicalize(account.handle, slug) == account
        assert detect_platform(account.url) == slug


def test_at_least_eight_accepted_cases_per_major_platform():
    counts = {slug: 0 for slug in PLATFORMS}
    for _, _, slug, _, _ in ACCEPTED:
        counts[slug] += 1
    for slug, platform in PLATFORMS.items():
        assert counts[slug] >= (8 if platform.major else 3), slug
    refusals = {slug: 0 for slug in PLATFORMS}
    for platform_arg, raw, _ in REFUSED:
        slug = platform_arg or detect_platform(raw)
        if slug in refusals:
            refusals[slug] += 1
    for slug, count in refusals.items():
        assert count >= 3, slug


@pytest.mark.parametrize(("platform", "raw", "message"), REFUSED, ids=_id)
def test_refused(platform, raw, message):
    with pytest.raises(AccountInputError) as excinfo:
        canonicalize(raw, platform)
    assert message in str(excinfo.value)
    assert isinstance(excinfo.value, ValueError)


@pytest.mark.parametrize(
    ("raw", "platform", "expected_key"),
    [
        ("https://x.com/MayoClinic", "x", "mayoclinic"),
        ("https://www.facebook.com/MayoClinic", "facebook", "mayoclinic"),
        ("https://www.youtube.com/@MayoClinic", "youtube", "@mayoclinic"),
        ("https://www.youtube.com/c/MayoClinic", "youtube", "c/mayoclinic"),
        ("UCvXeI5Ej7zWbt4TOfZqXNBg", "youtube", "UCvXeI5Ej7zWbt4TOfZqXNBg"),
        ("did:plc:ewvi7nxzyoun6zhxrhs64oiz", "bluesky", "did:plc:ewvi7nxzyoun6zhxrhs64oiz"),
        ("@Gargron@Mastodon.Social", "mastodon", "gargron@mastodon.social"),
        ("https://WWW.Example.ORG/News/", "blog", "example.org/news"),
        ("http://example.org/news", "blog", "example.org/news"),
        ("Allinahealth", "pinterest", "allinahealth"),
    ],
)
def test_keys(raw, platform, expected_key):
    assert canonicalize(raw, platform).key == expected_key


def test_youtube_channel_ids_are_case_sensitive():
    upper = canonicalize("UCvXeI5Ej7zWbt4TOfZqXNBg", "youtube")
    lower = canonicalize("UCvxei5ej7zwbt4tofzqxnbg", "youtube")
    assert upper.key != lower.key
    assert upper.handle == "UCvXeI5Ej7zWbt4TOfZqXNBg"


def test_case_insensitive_platforms_share_keys():
    assert canonicalize("@mayoclinic", "x").key == canonicalize("MAYOCLINIC", "x").key
    assert canonicalize("@mayoclinic", "x").handle == "mayoclinic"  # case kept as given
    assert canonicalize("MayoClinic", "x").handle == "MayoClinic"
    a = canonicalize("https://www.linkedin.com/company/Mayo-Clinic", "linkedin")
    b = canonicalize("mayo-clinic", "linkedin")
    assert a.key == b.key
    assert a.handle == "Mayo-Clinic"


def test_wrong_platform_message_names_both():
    with pytest.raises(AccountInputError) as excinfo:
        canonicalize("https://www.instagram.com/mayoclinic/", "facebook")
    assert str(excinfo.value).startswith("That is an Instagram link, but you chose Facebook.")


def test_messages_for_posts_show_an_example_of_the_platform():
    for raw, example in [
        ("https://x.com/MayoClinic/status/1", PLATFORMS["x"].example_url),
        ("https://www.instagram.com/p/abc/", PLATFORMS["instagram"].example_url),
        ("https://www.youtube.com/watch?v=abc", PLATFORMS["youtube"].example_url),
        ("https://www.tiktok.com/@a_b/video/1", PLATFORMS["tiktok"].example_url),
    ]:
        with pytest.raises(AccountInputError) as excinfo:
            canonicalize(raw)
        assert example in str(excinfo.value)


@pytest.mark.parametrize("value", [None, 123, b"https://x.com/MayoClinic", ["x"]], ids=_id)
def test_non_string_input(value):
    with pytest.raises(AccountInputError):
        canonicalize(value, "x")  # type: ignore[arg-type]
    assert detect_platform(value) is None  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------
# Detection


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://twitter.com/MayoClinic", "x"),
        ("x.com/MayoClinic/status/123", "x"),  # refused by canonicalize, still an X link
        ("https://m.facebook.com/MayoClinic", "facebook"),
        ("https://fb.watch/abc/", "facebook"),
        ("instagram.com/mayoclinic", "instagram"),
        ("https://youtu.be/dQw4w9WgXcQ", "youtube"),
        ("https://de.linkedin.com/company/mayo-clinic", "linkedin"),
        ("https://www.tiktok.com/@mayoclinic", "tiktok"),
        ("https://www.pinterest.co.uk/mayoclinic/", "pinterest"),
        ("https://www.threads.net/@mayoclinic", "threads"),
        ("https://bsky.app/profile/mayoclinic.bsky.social", "bluesky"),
        ("@mayoclinic.bsky.social", "bluesky"),
        ("did:plc:ewvi7nxzyoun6zhxrhs64oiz", "bluesky"),
        ("https://mastodon.social/@Gargron", "mastodon"),
        ("https://med-mastodon.com/users/example", "mastodon"),
        ("@Gargron@mastodon.social", "mastodon"),
        ("https://www.flickr.com/photos/nihgov/", "flickr"),
        ("https://foursquare.com/mayoclinic", "foursquare"),
        ("https://vk.com/invitro", "vk"),
        ("https://weibo.com/msfhk", "weibo"),
        ("https://www.mayoclinic.org/", None),
        ("https://medium.com/@MayoClinic", None),
        ("https://example.org/feed.xml", None),
        ("MayoClinic", None),
        ("@MayoClinic", None),
        ("info@mayoclinic.org", None),
        ("javascript:alert(1)", None),
        ("", None),
        (f"https://www.facebo{CYRILLIC_O}k.com/MayoClinic", None),
    ],
    ids=_id,
)
def test_detect_platform(raw, expected):
    assert detect_platform(raw) == expected


# --------------------------------------------------------------------------------------
# Garbage and property-style checks


@pytest.mark.parametrize("platform", PLATFORM_ARGS, ids=str)
@pytest.mark.parametrize("raw", GARBAGE, ids=_id)
def test_garbage_is_refused(raw, platform):
    with pytest.raises(AccountInputError) as excinfo:
        canonicalize(raw, platform)
    assert str(excinfo.value)
    assert detect_platform(raw) in (None, *PLATFORMS)


def _fuzz_inputs(count: int) -> list[str]:
    rng = random.Random(20240601)  # noqa: S311 - deterministic test data, not crypto
    schemes = [
        "", "https://", "http://", "HTTPS://", "//", "javascript:", "data:", "ftp://",
        "https:/", "file://", "hTtP://",
    ]  # fmt: skip
    hosts = [
        "x.com", "twitter.com", "mobile.twitter.com", "www.facebook.com", "m.facebook.com",
        "fb.me", "instagram.com", "www.youtube.com", "youtu.be", "uk.linkedin.com",
        "www.tiktok.com", "vm.tiktok.com", "www.pinterest.co.uk", "www.threads.net",
        "bsky.app", "mastodon.social", "www.flickr.com", "foursquare.com", "vk.com",
        "weibo.com", "m.weibo.cn", "www.mayoclinic.org", "localhost", "127.0.0.1",
        "[::1]", f"faceboo{CYRILLIC_O}k.com", "evil.example", "user:pw@x.com", "",
    ]  # fmt: skip
    segments = [
        "MayoClinic", "@mayoclinic", "profile.php", "channel", "UCvXeI5Ej7zWbt4TOfZqXNBg",
        "company", "mayo-clinic", "in", "status", "123456789", "p", "reel", "watch",
        "@Gargron", "users", "profile", "did:plc:ewvi7nxzyoun6zhxrhs64oiz", "v", "n",
        "\u65e0\u56fd\u754c", "%00", "%2F", "..", "", "c", "@a@b.social", "post", "share",
        "\u043c\u0430\u0439\u043e", f"m{CYRILLIC_A}yo", "a" * 40, "<b>", "'", '"', "#!",
    ]  # fmt: skip
    tails = ["", "/", "?utm_source=x", "#frag", "?id=123", "?v=abc&si=1", ".", ")", " "]
    alphabet = "abcXYZ019@:/?#%._-~+&=!$'()*,;[]<>\"\\ \t\u00e9\u043e\u200b\u202e\x00\uff41"
    out = []
    for _ in range(count):
        if rng.random() < 0.8:
            path = "/".join(rng.choice(segments) for _ in range(rng.randint(0, 3)))
            text = rng.choice(schemes) + rng.choice(hosts) + "/" + path + rng.choice(tails)
        else:
            text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        out.append(text)
    return out


FUZZ = _fuzz_inputs(1500)


@pytest.mark.parametrize("platform", PLATFORM_ARGS, ids=str)
def test_property_only_account_input_error_or_http_url(platform):
    accepted = 0
    for raw in FUZZ:
        try:
            account = canonicalize(raw, platform)
        except AccountInputError as exc:
            assert str(exc), raw
            continue
        accepted += 1
        assert isinstance(account, CanonicalAccount)
        assert account.url.startswith(("https://", "http://")), (raw, account)
        assert account.url.isascii(), (raw, account)
        assert not any(ch.isspace() or ord(ch) < 32 for ch in account.url), (raw, account)
        assert account.handle and account.key, (raw, account)
        if platform is not None:
            assert account.platform == platform
        # Idempotence holds for everything the module accepts.
        assert canonicalize(account.url, account.platform) == account, raw
    if platform is None:
        assert accepted > 0


# --------------------------------------------------------------------------------------
# Real data: the name-suggestion-index health care accounts


def _nsi_rows() -> list[dict[str, str]]:
    with NSI_CSV.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.skipif(not NSI_CSV.exists(), reason="NSI data file not present")
def test_nsi_accounts():
    rows = _nsi_rows()
    assert rows
    accepted = 0
    for row in rows:
        slug = platform_for_nsi_key(row["platform"])
        assert slug is not None, row
        try:
            account = canonicalize(row["url"], slug)
        except AccountInputError:
            continue
        accepted += 1
        assert account.platform == slug
        assert account.url.startswith("https://")
        assert canonicalize(account.url, slug) == account
        # The handle column must name the same account as the URL column.
        assert canonicalize(row["handle_or_id"], slug).key == account.key, row
    assert accepted >= 0.97 * len(rows), (accepted, len(rows))
