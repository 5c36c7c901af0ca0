"""Image renditions made ahead of time, so no reader waits for Pillow.

Every picture an editor uploads gets the sizes the templates use, made by the task worker
right after the upload; the demo seeder makes them for its pictures before the site opens.
Keep `READER_RENDITIONS` in step with the templates (cards, article header, body images).
"""

import logging

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django_tasks import task
from wagtail.images import get_image_model

from .listings import CARD_IMAGE_FILTERS

logger = logging.getLogger(__name__)

READER_RENDITIONS = [*CARD_IMAGE_FILTERS, "width-640|format-webp", "width-1280|format-webp", "fill-160x160|format-webp"]


def pregenerate_renditions(image) -> None:
    try:
        image.get_renditions(*READER_RENDITIONS)
    except Exception:  # a broken upload must not fail the upload itself; the page will retry lazily
        logger.exception("Could not make renditions for image %s", image.pk)


@task()
def pregenerate_renditions_task(image_id: int) -> None:
    image = get_image_model().objects.filter(pk=image_id).first()
    if image is not None:
        pregenerate_renditions(image)


@receiver(post_save, sender=get_image_model())
def queue_renditions_for_new_image(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        transaction.on_commit(lambda: pregenerate_renditions_task.enqueue(instance.pk))
