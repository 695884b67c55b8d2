"""First-run set-up for `make run`: real seed data on an empty database, and a demo staff
account whose credentials are printed (and kept in var/demo-credentials.txt)."""

import secrets
from pathlib import Path

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import BaseCommand, call_command

from hcsm.directory.models import Organization, RegistryEntry

DATA = Path(settings.BASE_DIR) / "data"


class Command(BaseCommand):
    help = "Load the real seed data into an empty database and create a demo staff account."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--no-data", action="store_true", help="Only the demo account.")

    def handle(self, *args: object, **options: object) -> None:
        if not options["no_data"]:
            loaded = False
            if not Organization.objects.exists():
                loaded = True
                self.stdout.write("Loading the real list (name-suggestion-index) …")
                call_command(
                    "import_organizations",
                    str(DATA / "nsi-healthcare-orgs-social.csv"),
                    format="nsi",
                    no_progress=True,
                    stdout=self.stdout,
                )
            if not RegistryEntry.objects.exists():
                loaded = True
                self.stdout.write("Loading the CMS hospital registry …")
                call_command(
                    "import_registry",
                    str(DATA / "cms-hospital-general-information.csv"),
                    source="cms",
                    no_progress=True,
                    stdout=self.stdout,
                )
            if loaded:
                self.stdout.write("Linking listings to registry hospitals …")
                call_command("match_registry", stdout=self.stdout)
        self._demo_staff()

    def _demo_staff(self) -> None:
        email = settings.HCSM_DEMO_STAFF_EMAIL
        creds = Path(settings.VAR_DIR) / "demo-credentials.txt"
        user_model = get_user_model()
        if not user_model.objects.filter(email=email).exists():
            password = secrets.token_urlsafe(12)
            user = user_model.objects.create_user(
                email=email,
                password=password,
                name="Demo moderator",
                is_staff=True,
                is_superuser=True,
            )
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
            creds.parent.mkdir(parents=True, exist_ok=True)
            creds.write_text(f"{email}\n{password}\n")
            creds.chmod(0o600)
        if creds.exists():
            email, password = creds.read_text().split()[:2]
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo staff account: sign in at /accounts/login/ as {email} with password "
                    f"{password} (kept in {creds})."
                )
            )
        else:
            self.stdout.write(f"Demo staff account {email} exists; its password was changed.")
