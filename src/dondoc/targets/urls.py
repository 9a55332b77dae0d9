from django.urls import path

from . import views

app_name = "targets"
urlpatterns = [
    path("", views.index, name="index"),
    path("ke-hoach/<int:plan_id>/", views.plan_targets, name="plan"),
    path("ke-hoach/<int:plan_id>/them/", views.add_target, name="add"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/so-lieu/", views.enter_actual, name="enter_actual"),
    path("<int:pk>/gia-tri-xuat-phat/", views.set_baseline, name="set_baseline"),
]
