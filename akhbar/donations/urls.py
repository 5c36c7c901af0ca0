from django.urls import path

from . import views

app_name = "donations"

urlpatterns = [
    path("give/<int:campaign_id>/", views.donate, name="donate"),
    path("thanks/<str:reference>/", views.thanks, name="thanks"),
    path("manage/new-link/", views.new_link, name="new_link"),
    path("manage/<str:token>/", views.manage, name="manage"),
    path("webhooks/<str:provider_name>/", views.webhook, name="webhook"),
]
