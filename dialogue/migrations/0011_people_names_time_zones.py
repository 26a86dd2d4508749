"""A name per language (Chinese beside English) for workshops, sessions and
delegations; a time zone for workshops and, optionally, for each person.

On SQLite, adding a column to dialogue_delegation rebuilds the table, which
the triggers of 0002 (they read dialogue_delegation) would abort: they are
dropped for the rebuild and created again after it, by 0002's own code.
"""

import importlib

from django.db import migrations, models

import dialogue.times

same_workshop = importlib.import_module(
    "dialogue.migrations.0002_participant_delegation_same_workshop"
)


def drop_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        same_workshop.backward(apps, schema_editor)


def create_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        same_workshop.forward(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("dialogue", "0010_agendaitem_version"),
    ]

    operations = [
        migrations.RunPython(drop_sqlite_triggers, create_sqlite_triggers),
        migrations.AddField(
            model_name="delegation",
            name="name_zh",
            field=models.CharField(
                blank=True,
                help_text="Shown in the Chinese interface; blank: the name.",
                max_length=120,
                verbose_name="name in Chinese",
            ),
        ),
        migrations.RunPython(create_sqlite_triggers, drop_sqlite_triggers),
        migrations.AddField(
            model_name="profile",
            name="time_zone",
            field=models.CharField(
                blank=True,
                max_length=64,
                validators=[dialogue.times.validate_zone],
                verbose_name="time zone",
            ),
        ),
        migrations.AddField(
            model_name="session",
            name="title_zh",
            field=models.CharField(
                blank=True,
                help_text="Shown in the Chinese interface; blank: the title.",
                max_length=300,
                verbose_name="title in Chinese",
            ),
        ),
        migrations.AddField(
            model_name="workshop",
            name="time_zone",
            field=models.CharField(
                default="UTC",
                help_text="Where the workshop is held, e.g. Asia/Shanghai or America/New_York. Times are shown in it unless a participant chose their own.",
                max_length=64,
                validators=[dialogue.times.validate_zone],
                verbose_name="time zone",
            ),
        ),
        migrations.AddField(
            model_name="workshop",
            name="title_zh",
            field=models.CharField(
                blank=True,
                help_text="Shown in the Chinese interface; blank: the title above.",
                max_length=200,
                verbose_name="title in Chinese",
            ),
        ),
    ]
