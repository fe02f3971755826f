"""SealUse keeps one index, the unique (seal, signed_at, signature_id), in the order uses are
written. The ones it replaces each cost a write at every signature: the seal's own and (seal,
signed_at) are prefixes of it; the unique signature id and the data hash, random hashes, put
every new row on an index page of its own, so a batch of 100 signatures wrote some 200 pages
at commit; nothing looks a use up by its data hash. The constraint is added before the old
index goes, so the seal's foreign key always has an index to use (MariaDB asks for one)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("seals", "0003_seal_department_uscc"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="sealuse",
            constraint=models.UniqueConstraint(fields=("seal", "signed_at", "signature_id"),
                                               name="seal_use_lookup"),
        ),
        migrations.RemoveIndex(
            model_name="sealuse",
            name="seal_use_seal_time_idx",
        ),
        migrations.AlterField(
            model_name="sealuse",
            name="data_hash",
            field=models.CharField(max_length=64, verbose_name="数据摘要（SM3）"),
        ),
        migrations.AlterField(
            model_name="sealuse",
            name="seal",
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="uses", to="seals.seal"),
        ),
        migrations.AlterField(
            model_name="sealuse",
            name="signature_id",
            field=models.CharField(max_length=64, verbose_name="签名标识（SM3）"),
        ),
    ]
