"""``manage.py match_registry``: link listed organizations to CMS registry hospitals (CCN,
else name with city or state, with a confidence). Staff decisions are kept."""

from typing import Any

from django.core.management.base import BaseCommand

from hcsm.metrics import services


class Command(BaseCommand):
    help = "Match listed organizations to registry hospitals; uncertain matches await review."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = services.registry_matches_refresh()
        services.adoption_warm()
        self.stdout.write(
            f"{counts['auto']} matched automatically, {counts['pending']} waiting for staff "
            f"review (/list/adoption/review/), {counts['kept']} staff decisions kept."
        )
