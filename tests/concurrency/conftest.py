"""PostgreSQL-only race tests: skipped with a reason on SQLite, required when
REQUIRE_POSTGRES=1 (CI sets it)."""

import os

import pytest
from django.db import connection


@pytest.fixture(autouse=True)
def _postgres_only(db):  # type: ignore[no-untyped-def]
    if connection.vendor != "postgresql":
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail("REQUIRE_POSTGRES=1 but the tests run on " + connection.vendor)
        pytest.skip("race tests need PostgreSQL: set DATABASE_URL=postgres://…")
