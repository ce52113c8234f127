"""The national-ID index becomes, on PostgreSQL, a table partitioned by election (one partition each).

Why: a first load of an election's lists then fills a bare partition and builds its primary key in one
sorted pass before attaching it (`voters.staging.new_key_partition`), about twice as fast as maintaining the
index row by row; and an election's keys can be dropped or archived as one table. The model does not change
(Django sees one table, `voters_voterkey`); on SQLite nothing changes.
"""

from django.db import migrations

TABLE = "voters_voterkey"
KEY = "(election_id, token, struck)"


def partition(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {TABLE} RENAME TO {TABLE}_old")
        cursor.execute(f"ALTER TABLE {TABLE}_old RENAME CONSTRAINT {TABLE}_pkey TO {TABLE}_old_pkey")
        cursor.execute(
            f"CREATE TABLE {TABLE} (LIKE {TABLE}_old INCLUDING DEFAULTS INCLUDING CONSTRAINTS) "
            "PARTITION BY LIST (election_id)"
        )
        cursor.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_pkey PRIMARY KEY {KEY}")
        cursor.execute(f"CREATE TABLE {TABLE}_default PARTITION OF {TABLE} DEFAULT")
        cursor.execute(f"SELECT DISTINCT election_id FROM {TABLE}_old ORDER BY 1")
        for (election_id,) in cursor.fetchall():
            cursor.execute(f"CREATE TABLE {TABLE}_e{election_id} PARTITION OF {TABLE} FOR VALUES IN ({election_id})")
        cursor.execute(f"INSERT INTO {TABLE} SELECT * FROM {TABLE}_old")
        cursor.execute(f"DROP TABLE {TABLE}_old")


def unpartition(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {TABLE} RENAME TO {TABLE}_parts")
        cursor.execute(f"ALTER TABLE {TABLE}_parts RENAME CONSTRAINT {TABLE}_pkey TO {TABLE}_parts_pkey")
        cursor.execute(f"CREATE TABLE {TABLE} (LIKE {TABLE}_parts INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
        cursor.execute(f"INSERT INTO {TABLE} SELECT * FROM {TABLE}_parts")
        cursor.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_pkey PRIMARY KEY {KEY}")
        cursor.execute(f"DROP TABLE {TABLE}_parts CASCADE")


class Migration(migrations.Migration):
    dependencies = [("voters", "0003_voter_id_is_its_place")]

    operations = [migrations.RunPython(partition, unpartition)]
