"""Newsletter email: RTL Arabic HTML with its CSS inlined (css-inline), a plain-text
alternative, and the headers mailbox providers look for (List-Unsubscribe with one-click POST
per RFC 8058, List-Id, a Message-ID on the sender's own domain).

From is the newsletter's address (NEWSLETTER_FROM); the envelope sender, where bounces go, may be
another address of the same domain (NEWSLETTER_RETURN_PATH) so that SPF and DMARC align.
"""

from email.utils import make_msgid, parseaddr
from urllib.parse import quote

import css_inline
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from . import tokens

_INLINER = css_inline.CSSInliner(keep_style_tags=False, load_remote_stylesheets=False)


def from_address() -> str:
    return settings.NEWSLETTER_FROM or settings.DEFAULT_FROM_EMAIL


def from_domain() -> str:
    return parseaddr(from_address())[1].rpartition("@")[2] or "localhost"


def unsubscribe_mailto() -> str:
    return settings.NEWSLETTER_UNSUBSCRIBE_MAILTO or parseaddr(from_address())[1]


def render(template: str, context: dict, folder: str = "newsletter/email") -> tuple[str, str]:
    """(plain text, HTML with inlined CSS) from <folder>/<template>.txt and .html (the site's
    other email, such as donation receipts, uses the same RTL layout)."""
    with translation.override(settings.LANGUAGE_CODE):
        context = {**context, "site_name": settings.WAGTAIL_SITE_NAME, "lang": settings.LANGUAGE_CODE}
        text = render_to_string(f"{folder}/{template}.txt", context)
        html = _INLINER.inline(render_to_string(f"{folder}/{template}.html", context))
    return text, html


def subject_line(text: str) -> str:
    return " ".join(str(text).split())[:200]  # no newlines may reach a header


def unsubscribe_headers(root: str, token: str) -> dict[str, str]:
    """RFC 8058: the https link a mail client POSTs to, and a mailto for clients that only mail."""
    url = root.rstrip("/") + reverse("newsletter:unsubscribe", kwargs={"token": token})
    mailto = f"mailto:{unsubscribe_mailto()}?subject={quote('unsubscribe ' + token)}"
    return {
        "List-Unsubscribe": f"<{url}>, <{mailto}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def message(subject: str, text: str, html: str, to: str, headers: dict | None = None, connection=None, cls=EmailMultiAlternatives):
    headers = {"From": from_address(), "Message-ID": make_msgid(domain=from_domain()), **(headers or {})}
    envelope_from = settings.NEWSLETTER_RETURN_PATH or from_address()
    mail = cls(subject_line(subject), text, envelope_from, [to], headers=headers, connection=connection)
    mail.attach_alternative(html, "text/html")
    return mail


def manage_url(root: str, email: str) -> str:
    return root.rstrip("/") + reverse("newsletter:manage", kwargs={"token": tokens.manage_token(email)})
