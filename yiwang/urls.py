from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from yiwang.licences.views import seal_keys
from yiwang.notify.views import dev_outbox

from .api import api, unknown_api_path

admin.site.site_header = "一网通办 管理后台"
admin.site.site_title = "一网通办"

urlpatterns = [
    # The admin logs in through the one log-in page, second factor included.
    path("admin/login/", RedirectView.as_view(url="/accounts/login/?next=/admin/", query_string=False),
         name="admin-login"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    re_path(r"^api/", unknown_api_path),
    path("accounts/", include("yiwang.accounts.urls")),
    path("o/", include("yiwang.accounts.oidc_urls")),
    path(".well-known/yiwang-seal-keys.json", seal_keys, name="seal-keys"),
    path("licences/", include("yiwang.licences.urls")),
    path("audit/", include("yiwang.supervision.public_urls")),
    path("exchange/", include("yiwang.exchange.urls")),
    path("dev/outbox/", dev_outbox, name="dev-outbox"),
    # 电子监察 pages belong to supervision; under /workbench/ for the staff second factor.
    path("workbench/supervision/", include("yiwang.supervision.urls")),
    path("workbench/archives/", include("yiwang.archives.urls")),
    path("workbench/hall/", include("yiwang.hall.urls")),
    path("workbench/evaluation/", include("yiwang.evaluation.urls_staff")),
    path("workbench/error-reports/", include("yiwang.complaints.urls_error_reports_staff")),
    path("workbench/hotline/", include("yiwang.complaints.urls_staff")),
    path("workbench/", include("yiwang.workbench.urls")),
    path("jiucuo/", include("yiwang.complaints.urls_error_reports")),
    path("open311/", include("yiwang.complaints.open311.urls")),
    path("", include("yiwang.hall.public_urls")),
    path("", include("yiwang.evaluation.urls")),
    path("", include("yiwang.complaints.urls")),
    path("", include("yiwang.portal.urls")),
]
