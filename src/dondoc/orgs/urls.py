from django.urls import path

from . import views

app_name = "orgs"
urlpatterns = [
    path("", views.search, name="search"),
    path("goi-y/", views.suggest, name="suggest"),
    path("<int:pk>/", views.detail, name="detail"),
]
