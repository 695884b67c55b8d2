import pytest

from hcsm.directory import services
from hcsm.directory.models import Organization, OrganizationChange, SocialAccount
from hcsm.directory.tests.factories import make_org, org_data
from hcsm.directory.validation import InvalidOrganizationData, clean_organization_data

pytestmark = pytest.mark.django_db


def test_create_writes_listing_places_accounts_and_history():
    org = make_org(
        name="Mayo Clinic",
        other_names=["Mayo"],
        regions=["US-MN", "US-AZ"],
        city="Rochester",
        website="https://www.mayoclinic.org/?utm_source=x",
        wikidata="q1127387",
        accounts=[
            {"value": "https://twitter.com/MayoClinic?ref_src=twsrc"},
            {"value": "https://m.facebook.com/MayoClinic/"},
            {"platform": "youtube", "value": "@mayoclinic"},
        ],
    )
    org.refresh_from_db()
    assert org.slug == "mayo-clinic"
    assert org.wikidata == "Q1127387"
    assert list(org.countries.values_list("code", flat=True)) == ["US"]
    assert list(org.regions.values_list("code", flat=True)) == ["US-MN", "US-AZ"]
    assert sorted(org.accounts.values_list("platform", "handle")) == [
        ("facebook", "MayoClinic"),
        ("x", "MayoClinic"),
        ("youtube", "@mayoclinic"),
    ]
    # Denormalised columns the grid relies on.
    assert org.account_count == 3
    assert org.primary_country == "US"
    assert org.platform_mask == (
        services.PLATFORM_BITS["x"]
        | services.PLATFORM_BITS["facebook"]
        | services.PLATFORM_BITS["youtube"]
    )
    assert "mayo clinic" in org.search_text and "@mayoclinic" in org.search_text
    assert org.website_domain == "mayoclinic.org"
    change = org.changes.get()
    assert change.action == OrganizationChange.Action.CREATED
    assert change.changes["name"] == {"old": "", "new": "Mayo Clinic"}


def test_slugs_are_unique_and_ascii():
    a = make_org(name="Clínica Alemana")
    b = make_org(name="Clinica Alemana", countries=["CL"])
    c = make_org(name="北京协和医院", countries=["CN"])
    assert a.slug == "clinica-alemana"
    assert b.slug == "clinica-alemana-2"
    assert c.slug == "organization"


def test_an_account_belongs_to_one_organization():
    make_org(name="First", accounts=[{"value": "https://x.com/SameHandle"}])
    with pytest.raises(services.AccountTaken, match="already listed for First"):
        make_org(name="Second", accounts=[{"value": "https://twitter.com/samehandle"}])
    assert Organization.objects.filter(name="Second").count() == 0


def test_update_records_a_diff_and_nothing_when_unchanged():
    org = make_org(name="Old Name", accounts=[{"value": "https://x.com/oldhandle"}])
    data = services.organization_state(org)
    assert services.organization_update(organization=org, data=data, actor_label="t") == {}
    assert org.changes.count() == 1
    new = clean_organization_data(
        {
            **data.as_dict(),
            "name": "New Name",
            "accounts": [{"value": "https://x.com/newhandle"}],
        }
    )
    changes = services.organization_update(organization=org, data=new, actor_label="t")
    assert changes["name"] == {"old": "Old Name", "new": "New Name"}
    assert changes["accounts"]["added"] == ["X (Twitter): newhandle"]
    assert changes["accounts"]["removed"] == ["X (Twitter): oldhandle"]
    org.refresh_from_db()
    assert org.search_text.startswith("new name")
    assert list(org.accounts.values_list("handle", flat=True)) == ["newhandle"]
    assert org.changes.count() == 2


def test_importer_only_removes_its_own_accounts():
    org = services.organization_create(
        data=org_data(name="Imported", accounts=[{"value": "https://x.com/imported1"}]),
        actor_label="import:nsi",
        account_source="nsi",
    )
    # A person adds an account later.
    data = services.organization_state(org)
    with_person = clean_organization_data(
        {**data.as_dict(), "accounts": [*data.as_dict()["accounts"], {"value": "fb.com/byperson"}]}
    )
    services.organization_update(organization=org, data=with_person, actor_label="moderator")
    # Upstream drops its account: only that one goes.
    upstream = clean_organization_data({**data.as_dict(), "accounts": []})
    services.organization_update(
        organization=org, data=upstream, actor_label="import:nsi", account_source="nsi"
    )
    assert list(SocialAccount.objects.filter(organization=org).values_list("handle", "source")) == [
        ("byperson", "")
    ]


def test_merged_data_keeps_existing_values_and_adds_new_ones():
    current = org_data(name="Cleveland Clinic", city="Cleveland", other_names=["CC"])
    proposal = org_data(
        name="The Cleveland Clinic",
        city="Somewhere else",
        countries=["US", "CA"],
        accounts=[{"value": "https://www.instagram.com/clevelandclinic/"}],
    )
    merged = services.merged_data(current, proposal)
    assert merged.name == "Cleveland Clinic"
    assert merged.city == "Cleveland"
    assert merged.other_names == ["CC", "The Cleveland Clinic"]
    assert merged.countries == ["US", "CA"]
    assert {a.platform for a in merged.accounts} == {"x", "instagram"}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Name is required"),
        ("name", "x" * 201, "too long"),
        ("name", '=HYPERLINK("http://evil")', "cannot start with"),
        ("name", "<script>alert(1)</script>", "cannot contain < or >"),
        ("name", "Mayo\u200bClinic", "invisible"),
        ("website", "javascript:alert(1)", "https://"),
        ("website", "data:text/html,hi", "https://"),
        ("website", "https://user:pw@example.org/", "user name or password"),
        ("website", "https://faceb\u043eok.com/", "mixes alphabets"),
        ("countries", ["XX"], "not an ISO 3166-1"),
        ("countries", [], "at least one country"),
        ("countries", "US", "list"),
        ("regions", ["US-XX"], "not an ISO 3166-2"),
        ("wikidata", "1127387", "Q1234"),
        ("wikidata", 12, "Q1234"),
        ("ccn", "12345", "6 characters"),
        ("kind", "spaceship", "kind"),
        ("accounts", [{"value": "javascript:alert(1)"}], "Account 1"),
        ("accounts", [{"value": "https://www.facebook.com/MayoClinic/posts/123"}], "post"),
        ("accounts", "not a list", "list"),
        ("other_names", ["ok"] * 21, "At most 20"),
    ],
)
def test_validation_refuses_garbage_with_a_clear_message(field, value, message):
    raw = org_data().as_dict()
    raw[field] = value
    with pytest.raises(InvalidOrganizationData) as info:
        clean_organization_data(raw)
    assert message.lower() in " ".join(info.value.errors[field]).lower()


def test_validation_accepts_names_and_countries_people_type():
    data = clean_organization_data(
        {"name": "  Hôpital   Necker ", "countries": ["france", "gb"], "regions": ["us-mn"]}
    )
    assert data.name == "Hôpital Necker"
    assert data.countries == ["FR", "GB", "US"]  # a region implies its country
    assert data.regions == ["US-MN"]


def test_reimport_keeps_what_moderators_corrected_and_takes_upstream_changes():
    upstream = org_data(
        name="Upstream Name", city="Old City", accounts=[{"value": "https://x.com/upstream1"}]
    )
    org, outcome = services.organization_import(source="nsi", key="Q1", data=upstream)
    assert outcome == "created"
    # A moderator corrects the name and removes the imported account.
    corrected = clean_organization_data(
        {**services.organization_state(org).as_dict(), "name": "Corrected Name", "accounts": []}
    )
    services.organization_update(organization=org, data=corrected, actor_label="moderator")
    # The same file again: nothing changes.
    org = Organization.objects.get(pk=org.pk)
    assert services.organization_import(
        source="nsi", key="Q1", data=upstream, organization=org
    ) == (org, "unchanged")
    org.refresh_from_db()
    assert org.name == "Corrected Name"
    assert org.accounts.count() == 0
    # Upstream changes the city and adds an account: those arrive, the correction stays.
    changed = clean_organization_data(
        {
            **upstream.as_dict(),
            "city": "New City",
            "accounts": [{"value": "https://x.com/upstream1"}, {"value": "fb.com/upstream2"}],
        }
    )
    _, outcome = services.organization_import(
        source="nsi", key="Q1", data=changed, organization=org
    )
    assert outcome == "updated"
    org.refresh_from_db()
    assert (org.name, org.city) == ("Corrected Name", "New City")
    assert list(org.accounts.values_list("handle", flat=True)) == ["upstream2"]
    assert org.changes.first().changes.keys() == {"city", "accounts"}
    assert org.changes.first().actor_label == "import:nsi"


def test_search_index_follows_renames_and_deletes():
    from hcsm.directory.filters import OrganizationFilter
    from hcsm.directory.selectors import published_organizations

    def found(q):
        f = OrganizationFilter({"q": q}, queryset=published_organizations())
        return sorted(o.name for o in f.qs)

    org = make_org(name="Zebrafish Memorial", accounts=[{"value": "https://x.com/zebra_fish"}])
    make_org(name="Other Place", accounts=[{"value": "https://x.com/zebraXfish"}])
    assert found("zebrafish") == ["Zebrafish Memorial"]
    assert found("zebra_fish") == ["Zebrafish Memorial"]  # "_" is not a wildcard for people
    assert found("ZÉBRA mem") == ["Zebrafish Memorial"]
    renamed = clean_organization_data(
        {**services.organization_state(org).as_dict(), "name": "Quagga General"}
    )
    services.organization_update(organization=org, data=renamed, actor_label="t")
    assert found("zebrafish") == []
    assert found("quagga") == ["Quagga General"]
    assert found("qu") == ["Quagga General"]  # short words scan
    org.delete()
    assert found("quagga") == []


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["Leaderboards", "Adoption", "Add", "My Submissions"])
def test_a_listing_never_takes_the_address_of_a_page(client, name):
    org = make_org(name=name)
    assert org.slug not in services.RESERVED_SLUGS
    response = client.get(org.get_absolute_url())
    assert response.status_code == 200
    assert name in response.content.decode()
