"""Electronic seals (电子印章, GB/T 38540 style): each department's seal registry with its SM2 key
pairs, validity and status, signing by the department's 制证员 with every use recorded and audited,
and verification of signatures against the registry."""

from django.apps import AppConfig


class SealsConfig(AppConfig):
    name = "yiwang.seals"
    label = "seals"
    verbose_name = "电子印章"
