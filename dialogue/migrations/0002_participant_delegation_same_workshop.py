"""A participant's delegation must belong to the participant's workshop.

Django has no composite foreign keys, so the rule is added in SQL:
PostgreSQL gets a real composite foreign key (delegation_id, workshop_id) ->
delegation (id, workshop_id); SQLite, which cannot add constraints to an
existing table, gets triggers that abort the offending insert or update.
"""

from django.db import migrations

PG_FORWARD = """
ALTER TABLE dialogue_participant
    ADD CONSTRAINT participant_delegation_same_workshop
    FOREIGN KEY (delegation_id, workshop_id)
    REFERENCES dialogue_delegation (id, workshop_id);
"""
PG_BACKWARD = """
ALTER TABLE dialogue_participant
    DROP CONSTRAINT participant_delegation_same_workshop;
"""

SQLITE_CHECK = """
WHEN NEW.delegation_id IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM dialogue_delegation
    WHERE id = NEW.delegation_id AND workshop_id = NEW.workshop_id
)
BEGIN
    SELECT RAISE(ABORT,
        'participant_delegation_same_workshop: the delegation belongs to another workshop');
END;
"""
SQLITE_FORWARD = [
    "CREATE TRIGGER participant_delegation_same_workshop_insert "
    "BEFORE INSERT ON dialogue_participant " + SQLITE_CHECK,
    "CREATE TRIGGER participant_delegation_same_workshop_update "
    "BEFORE UPDATE OF delegation_id, workshop_id ON dialogue_participant "
    + SQLITE_CHECK,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS participant_delegation_same_workshop_insert;",
    "DROP TRIGGER IF EXISTS participant_delegation_same_workshop_update;",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("dialogue", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
