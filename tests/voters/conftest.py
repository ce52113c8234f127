"""Fixtures for voter lists: voter files, an election whose lists are still open, a loaded list."""

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.cache import cache
from django.utils import timezone, translation

from voters.importing.pipeline import voter_list_import

HEADER = "national_id,full_name,date_of_birth,gender,polling_unit,residence"


@pytest.fixture(autouse=True)
def _fresh_cache_and_english():
    # Lookup counters live in the cache; messages are checked in English (the site's default is Vietnamese).
    cache.clear()
    with translation.override("en"):
        yield
    cache.clear()


def csv_text(*rows: str, header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


@pytest.fixture
def write_csv(tmp_path):
    def write(*rows: str, name: str = "voters.csv", header: str = HEADER) -> Path:
        path = tmp_path / name
        path.write_text(csv_text(*rows, header=header), encoding="utf-8")
        return path

    return write


def load(election, *rows: str, **kwargs):
    """Import rows through the service, as the command does."""
    return voter_list_import(
        election=election, source=io.BytesIO(csv_text(*rows).encode()), file_name="t.csv", sha256="t", **kwargs
    )


# Five voters over the world's units: U1 has a temporary resident of under 12 months.
WORLD_ROWS = (
    "079090000001,Nguyễn Văn An,1970-01-02,male,U1,",
    "079090000002,Trần Thị Bình,1972-03-04,female,U1,permanent",
    "079090000003,Lê Văn Cường,1990-06-07,male,U1,temporary_short",
    "079090000004,Phạm Thị Dung,1985-08-09,female,U2,temporary",
    "079090000005,Hoàng Văn Em,1950,male,U3,",
)


@pytest.fixture
def listed(world):
    """The world with its lists loaded (WORLD_ROWS)."""
    load(world.election, *WORLD_ROWS)
    return world


@pytest.fixture
def open_world(world):
    """The world with election day two months ahead, so lists are still open for changes."""
    world.election.election_day = timezone.localdate() + dt.timedelta(days=60)
    world.election.save(update_fields=["election_day"])
    load(world.election, *WORLD_ROWS)
    return world
