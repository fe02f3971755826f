"""Data exchange (数据共享): the citizen's consent to use their electronic licences in place of
uploads (免提交), the log of every use of their licences or registry data by a department, and the
supervision figures that follow from it (材料减少率, 一证通办率)."""

from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "yiwang.exchange"
    label = "exchange"
    verbose_name = "数据共享"
