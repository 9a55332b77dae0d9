from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("dang-nhap/", views.login_view, name="login"),
    path("dang-xuat/", views.logout_view, name="logout"),
    path("tai-khoan/mat-khau/", views.password_change, name="password_change"),
    path("tai-khoan/token-api/", views.api_tokens, name="api_tokens"),
    path("dang-nhap/ma-xac-thuc/", views.two_factor_code, name="two_factor"),
    path("tai-khoan/xac-thuc-hai-buoc/", views.two_factor_settings, name="two_factor_settings"),
    path("tai-khoan/xac-thuc-hai-buoc/thiet-lap/", views.two_factor_enrol, name="two_factor_enrol"),
]
