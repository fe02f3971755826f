from django.db import models


class RegionLevel(models.IntegerChoices):
    PROVINCE = 1, "省级"
    CITY = 2, "市级"
    COUNTY = 3, "县级"
    TOWN = 4, "乡镇/街道"
    VILLAGE = 5, "村/社区"


class Region(models.Model):
    """行政区划. ``code`` is the GB/T 2260 six-digit code for province, city and county, and the
    statistical 9-digit (town) or 12-digit (village) code below that.

    ``path`` lists the codes from the province down ("220000/220100/220102/") so that "this
    region and everything under it" is a portable prefix query on every database.
    """

    code = models.CharField("区划代码", max_length=12, unique=True)
    name = models.CharField("名称", max_length=64)
    kind = models.CharField("类型", max_length=16, blank=True, help_text="如 地级市、市辖区、县")
    level = models.PositiveSmallIntegerField("层级", choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级区划", null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=80, db_index=True, editable=False)
    full_name = models.CharField("全称", max_length=200, editable=False)

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.full_name or self.name
