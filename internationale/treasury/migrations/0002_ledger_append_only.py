from django.db import migrations

from internationale.core.db import append_only


class Migration(migrations.Migration):
    dependencies = [("treasury", "0001_initial")]

    operations = [append_only("treasury_transfer"), append_only("treasury_entry")]
