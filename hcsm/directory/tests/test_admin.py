import pytest

from hcsm.directory.models import Organization
from hcsm.directory.tests.factories import make_org

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/admin/directory/organization/",
        "/admin/directory/submission/",
        "/admin/directory/organizationchange/",
        "/admin/directory/registryentry/",
    ],
)
def test_staff_can_look_up_everything_others_cannot(client_for, url):
    make_org()
    assert client_for("staff").get(url).status_code == 200
    for role in ("anonymous", "basic", "member", "org_admin"):
        response = client_for(role).get(url)
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


def test_hiding_goes_through_the_service_and_is_recorded(client_for, cast):
    org = make_org(name="To Hide")
    response = client_for("staff").post(
        "/admin/directory/organization/",
        {"action": "hide", "_selected_action": [org.pk]},
        follow=True,
    )
    assert response.status_code == 200
    org.refresh_from_db()
    assert org.status == Organization.Status.HIDDEN
    change = org.changes.order_by("-id").first()
    assert change.changes == {"status": {"old": "published", "new": "hidden"}}
    assert change.actor == cast["staff"]
    assert client_for("anonymous").get(f"/list/{org.slug}/").status_code == 404


def test_the_admin_cannot_edit_listings_directly(client_for):
    org = make_org()
    staff = client_for("staff")
    assert staff.get("/admin/directory/organization/add/").status_code == 403
    response = staff.post(f"/admin/directory/organization/{org.pk}/change/", {"name": "Changed"})
    assert response.status_code == 403
    org.refresh_from_db()
    assert org.name != "Changed"
