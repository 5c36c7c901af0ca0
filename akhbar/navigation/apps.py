from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NavigationConfig(AppConfig):
    name = "akhbar.navigation"
    label = "navigation"
    verbose_name = _("Navigation")

    def ready(self):
        from django.db.models.signals import post_delete
        from wagtail.models import Page
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from .menu import forget_menus

        for signal in (page_published, page_unpublished, post_page_move):
            signal.connect(forget_menus, dispatch_uid=f"akhbar-menu-{id(signal)}")

        def forget_after_page_deleted(sender, instance, **kwargs):
            if isinstance(instance, Page):
                forget_menus()

        post_delete.connect(forget_after_page_deleted, weak=False, dispatch_uid="akhbar-menu-page-deleted")
