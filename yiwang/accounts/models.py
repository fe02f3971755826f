from django.conf import settings
from django.db import models

from yiwang.common.fields import BlindIndexField, EncryptedTextField, PersonalDataModel


class AssuranceLevel(models.IntegerChoices):
    """实名等级: how sure we are that the account holder is the person named."""

    SELF_DECLARED = 1, "L1 自行注册"
    REGISTRY_VERIFIED = 2, "L2 人口库核验"
    IN_PERSON = 3, "L3 窗口现场核验"


class Citizen(PersonalDataModel):
    """自然人用户: the person behind an account."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="citizen")
    name = models.CharField("姓名", max_length=50)
    id_number = EncryptedTextField("居民身份证号", max_length=18)
    id_number_index = BlindIndexField(source="id_number", normalise="id_number", unique=True)
    mobile = EncryptedTextField("手机号", max_length=11)
    mobile_index = BlindIndexField(source="mobile", normalise="mobile", unique=True)
    assurance_level = models.PositiveSmallIntegerField(
        "实名等级", choices=AssuranceLevel.choices, default=AssuranceLevel.SELF_DECLARED)
    verified_at = models.DateTimeField("核验时间", null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="现场核验人",
                                    null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField("注册时间", auto_now_add=True)

    class Meta:
        verbose_name = "自然人用户"
        verbose_name_plural = "自然人用户"

    def __str__(self) -> str:
        return f"自然人用户 #{self.pk}"


class PopulationRecord(PersonalDataModel):
    """人口库 (population registry) record. A local table stands in for the registry of the public
    security department; ``registry.LocalPopulationRegistry`` reads it, a real adapter replaces it."""

    id_number = EncryptedTextField("居民身份证号", max_length=18)
    id_number_index = BlindIndexField(source="id_number", normalise="id_number", unique=True)
    name = models.CharField("姓名", max_length=50)
    deceased = models.BooleanField("已注销户籍", default=False)

    class Meta:
        verbose_name = "人口库记录"
        verbose_name_plural = "人口库记录"

    def __str__(self) -> str:
        return f"人口库记录 #{self.pk}"


class EnterpriseRecord(PersonalDataModel):
    """市场主体登记 record (the enterprise registry), local stand-in like ``PopulationRecord``."""

    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True)
    name = models.CharField("名称", max_length=200)
    legal_representative_name = models.CharField("法定代表人", max_length=50)
    legal_representative_id = EncryptedTextField("法定代表人身份证号", max_length=18)
    deregistered = models.BooleanField("已注销", default=False)

    class Meta:
        verbose_name = "市场主体登记记录"
        verbose_name_plural = "市场主体登记记录"

    def __str__(self) -> str:
        return self.name


class Company(PersonalDataModel):
    """法人用户: a company (or other organisation) with a USCC, run by its legal representative
    and the agents (经办人) it authorises."""

    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True)
    name = models.CharField("名称", max_length=200)
    legal_representative = models.ForeignKey(Citizen, verbose_name="法定代表人",
                                             on_delete=models.PROTECT, related_name="companies")
    contact_phone = EncryptedTextField("联系电话", max_length=40, blank=True)
    address = EncryptedTextField("住所", max_length=200, blank=True)
    created_at = models.DateTimeField("注册时间", auto_now_add=True)

    class Meta:
        verbose_name = "法人用户"
        verbose_name_plural = "法人用户"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AgentAuthorization(models.Model):
    """经办人授权: a citizen may act for a company within ``item_codes`` (empty: every item) until
    ``valid_until``. Revoked and expired authorisations stay as history."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="authorizations")
    agent = models.ForeignKey(Citizen, verbose_name="经办人", on_delete=models.CASCADE,
                              related_name="authorizations")
    item_codes = models.JSONField("授权事项（基本编码）", default=list, blank=True)
    valid_from = models.DateField("生效日期")
    valid_until = models.DateField("截止日期")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="授权人",
                                   on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField("授权时间", auto_now_add=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="撤销人", null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "经办人授权"
        verbose_name_plural = "经办人授权"
        ordering = ["-granted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.company} 经办人授权 #{self.pk}"


class ProxyAuthorization(PersonalDataModel):
    """帮办代办授权: a person authorises a window clerk or a village 代办员 to act for them on the
    listed items (empty: any) until ``valid_until``; the signed paper is scanned and its SM3 kept,
    and the platform seal signs the whole record. A case made under it records it, as a company
    agent's authorisation is recorded."""

    principal = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="委托人",
                                  on_delete=models.PROTECT, related_name="proxy_grants")
    proxy = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="代办人",
                              on_delete=models.PROTECT, related_name="proxy_authorizations")
    hall = models.ForeignKey("orgs.ServiceHall", verbose_name="受托大厅/服务站",
                             on_delete=models.PROTECT, related_name="+")
    item_codes = models.JSONField("授权事项（基本编码）", default=list, blank=True)
    valid_until = models.DateField("截止日期")
    document = models.FileField("签字授权书", upload_to="accounts/proxy/%Y/%m/", max_length=200)
    document_sm3 = models.CharField("授权书 SM3", max_length=64)
    signature = models.TextField("平台签章", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人",
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)

    class Meta:
        verbose_name = "帮办代办授权"
        verbose_name_plural = "帮办代办授权"
        ordering = ["-created_at", "-id"]


class VerificationCode(PersonalDataModel):
    """短信验证码. Only a keyed hash of the code is stored; a code serves one purpose once."""

    class Purpose(models.TextChoices):
        REGISTER = "register", "注册"
        LOGIN = "login", "短信登录"
        RESET_PASSWORD = "reset", "重置密码"

    purpose = models.CharField("用途", max_length=16, choices=Purpose.choices)
    mobile = EncryptedTextField("手机号", max_length=11)
    mobile_index = BlindIndexField(source="mobile", normalise="mobile", db_index=True)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField("错误次数", default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    ip = models.GenericIPAddressField("请求 IP", null=True, blank=True)

    class Meta:
        verbose_name = "短信验证码"
        verbose_name_plural = "短信验证码"
        ordering = ["-created_at", "-id"]


class AuthEvent(models.Model):
    """登录审计: every log-in, log-out, failure and lock-out, for the supervisors."""

    class Kind(models.TextChoices):
        LOGIN = "login", "登录成功"
        LOGIN_FAILED = "login_failed", "登录失败"
        LOCKED_OUT = "locked_out", "多次失败被锁定"
        SECOND_FACTOR_OK = "otp_ok", "动态口令验证通过"
        SECOND_FACTOR_FAILED = "otp_failed", "动态口令错误"
        SECOND_FACTOR_ENROLLED = "otp_enrolled", "绑定动态口令"
        LOGOUT = "logout", "退出登录"
        REGISTERED = "registered", "注册"
        CODE_FAILED = "code_failed", "短信验证码错误"
        IN_PERSON_VERIFIED = "in_person", "窗口现场核验"
        COMPANY_REGISTERED = "company_registered", "法人注册"
        AGENT_GRANTED = "agent_granted", "授权经办人"
        AGENT_REVOKED = "agent_revoked", "撤销经办人"
        ACTED_FOR_COMPANY = "acted_for_company", "经办人代企业办理"
        SSO_AUTHORIZED = "sso_authorized", "授权第三方应用"
        ROLE_GRANTED = "role_granted", "授予工作人员角色"
        ROLE_REVOKED = "role_revoked", "取消工作人员角色"

    kind = models.CharField("事件", max_length=24, choices=Kind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="用户", null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="auth_events")
    company = models.ForeignKey(Company, verbose_name="代表企业", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="auth_events")
    identifier = models.CharField("登录名（已脱敏）", max_length=64, blank=True)
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    user_agent = models.CharField("客户端", max_length=200, blank=True)
    detail = models.CharField("说明", max_length=300, blank=True)
    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "登录审计"
        verbose_name_plural = "登录审计"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class UserSession(models.Model):
    """Which sessions belong to which user, so that logging out anywhere ends them all (单点登出)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
