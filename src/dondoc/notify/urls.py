from django.urls import path

from . import views

app_name = "notify"
urlpatterns = [
    path("nhac-viec/", views.reminders, name="reminders"),
    path("nhac-viec/cai-dat/", views.notification_settings, name="settings"),
    path("nhac-viec/lich-nhac/", views.reminder_schedule, name="schedule"),
    path("nhac-viec/thu-da-ghi/", views.mail_folder, name="mail_folder"),
    path("lich-cua-toi/", views.my_calendar, name="calendar"),
    path("lich-cua-toi/tao/", views.calendar_create, name="calendar_create"),
    path("lich-cua-toi/<int:pk>/thu-hoi/", views.calendar_revoke, name="calendar_revoke"),
    path("lich/<str:token>.ics", views.feed, name="feed"),
]
