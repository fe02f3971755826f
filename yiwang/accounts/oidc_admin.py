"""The admin of relying parties (第三方应用): django-oauth-toolkit's, offering only the grant
type ``oidc.check_grant_type`` allows (which also guards every save). Named by
OAUTH2_PROVIDER["APPLICATION_ADMIN_CLASS"] and imported by the toolkit's own admin module, so it
must not be imported before that one."""

from oauth2_provider.admin import ApplicationAdmin as ToolkitApplicationAdmin
from oauth2_provider.forms import ApplicationForm as ToolkitApplicationForm

from .oidc import ALLOWED_GRANT_TYPE


class ApplicationForm(ToolkitApplicationForm):
    """Any other grant type is not a choice, so the form refuses it like an unknown value."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("authorization_grant_type")
        if field is not None:
            field.choices = [c for c in field.choices if c[0] == ALLOWED_GRANT_TYPE]


class ApplicationAdmin(ToolkitApplicationAdmin):
    form = ApplicationForm
