from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("dialogue", "0011_people_names_time_zones"),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="created_at_version",
            field=models.PositiveBigIntegerField(
                default=0, editable=False, verbose_name="posted at version"
            ),
        ),
        migrations.AddField(
            model_name="comment",
            name="changed_at_version",
            field=models.PositiveBigIntegerField(
                default=0, editable=False, verbose_name="changed at version"
            ),
        ),
    ]
