"""StreamField blocks of an article body."""

import re
from urllib.parse import parse_qs, urlparse

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "h3", "h4"]


class QuotationBlock(blocks.StructBlock):
    """A quotation attributed to a speaker, shown as <blockquote> with <cite>."""

    text = blocks.TextBlock(label=_("quotation"))
    speaker = blocks.CharBlock(label=_("speaker"), required=False, max_length=200)
    role = blocks.CharBlock(label=_("speaker's role"), required=False, max_length=200)

    class Meta:
        icon = "openquote"
        label = _("Quotation")
        template = "components/blocks/quotation.html"


class ImageWithCaptionBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=500)
    credit = blocks.CharBlock(label=_("credit"), required=False, max_length=200)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "components/blocks/image.html"


_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")


def embed_frame_url(url: str) -> str:
    """The iframe address for a known video provider, or "" (then the embed is a plain link).

    Computed from the URL alone: Akhbar never calls a provider's oEmbed endpoint, so
    nothing leaves the server and the page contacts no other host until the reader clicks.
    """
    try:
        parsed = urlparse(url)
    except ValueError:
        return ""
    if parsed.scheme not in {"http", "https"}:
        return ""
    host = (parsed.hostname or "").removeprefix("www.").removeprefix("m.")
    video_id = ""
    if host in {"youtube.com", "youtube-nocookie.com"}:
        if parsed.path == "/watch":
            video_id = parse_qs(parsed.query).get("v", [""])[0]
        elif parsed.path.startswith(("/embed/", "/shorts/", "/live/")):
            video_id = parsed.path.split("/")[2]
        if _YOUTUBE_ID.match(video_id or ""):
            return f"https://www.youtube-nocookie.com/embed/{video_id}?autoplay=1"
    elif host == "youtu.be":
        video_id = parsed.path.strip("/")
        if _YOUTUBE_ID.match(video_id):
            return f"https://www.youtube-nocookie.com/embed/{video_id}?autoplay=1"
    elif host == "vimeo.com":
        video_id = parsed.path.strip("/").split("/")[0]
        if video_id.isdigit():
            return f"https://player.vimeo.com/video/{video_id}?autoplay=1"
    elif host == "dailymotion.com" and parsed.path.startswith("/video/"):
        video_id = parsed.path.split("/")[2].split("_")[0]
        if video_id.isalnum():
            return f"https://www.dailymotion.com/embed/video/{video_id}?autoplay=1"
    return ""


class ClickToLoadEmbedBlock(blocks.StructBlock):
    """Embedded third-party content that loads only after the reader asks for it."""

    url = blocks.URLBlock(label=_("address of the video or post"))
    title = blocks.CharBlock(label=_("description"), required=False, max_length=200)

    class Meta:
        icon = "media"
        label = _("Embed")
        template = "components/blocks/embed.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["frame_url"] = embed_frame_url(value["url"])
        return context


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, label=_("Paragraph"), icon="pilcrow")
    subheading = blocks.CharBlock(
        max_length=200, label=_("Subheading"), icon="title", template="components/blocks/subheading.html"
    )
    quotation = QuotationBlock()
    image = ImageWithCaptionBlock()
    embed = ClickToLoadEmbedBlock()
