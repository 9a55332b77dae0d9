from django.urls import path

from . import views

app_name = "dashboard"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("ke-hoach/<int:pk>/", views.plan_dashboard, name="plan"),
    path("ke-hoach/<int:pk>/so-lieu.json", views.plan_data, name="plan_data"),
    path("ke-hoach/<int:pk>/don-doc/", views.urging, name="urging"),
    path("ke-hoach/<int:pk>/don-doc/<int:letter_pk>.docx", views.urging_file, name="urging_file"),
    path("xep-hang/", views.ranking, name="ranking"),
    path("xep-hang.xlsx", views.ranking_xlsx, name="ranking_xlsx"),
    path("co-quan/", views.my_agency, name="agency"),
    path("co-quan/<int:agency_id>/", views.agency_dashboard, name="agency_of"),
]
