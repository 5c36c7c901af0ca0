from django.urls import path

from . import views

app_name = "comments"

urlpatterns = [
    path("stamp/", views.comment_stamp, name="stamp"),
    path("<int:article_id>/post/", views.post_comment, name="post"),
    path("<int:article_id>/write/", views.write_comment, name="write"),
    path("<int:article_id>/", views.more_comments, name="list"),
    path("replies/<int:comment_id>/", views.more_replies, name="replies"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("forget/", views.forget, name="forget"),
    path("forget/<str:token>/", views.forget_confirm, name="forget_confirm"),
]
