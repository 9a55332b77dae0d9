from django.contrib import admin
from django.urls import include, path

from dondoc.api.urls import api

urlpatterns = [
    path("", include("dondoc.web.urls")),
    path("", include("dondoc.accounts.urls")),
    path("co-quan/", include("dondoc.orgs.urls")),
    path("ke-hoach/", include("dondoc.plans.urls")),
    path("", include("dondoc.tracking.urls")),
    path("tong-hop/", include("dondoc.dashboard.urls")),
    path("", include("dondoc.notify.urls")),
    path("bao-cao/", include("dondoc.reports.urls")),
    path("chi-tieu/", include("dondoc.targets.urls")),
    path("quan-tri/", admin.site.urls),
    path("api/v1/", api.urls),
]

handler403 = "dondoc.web.views.error_403"
handler404 = "dondoc.web.views.error_404"
handler500 = "dondoc.web.views.error_500"
