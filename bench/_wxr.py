"""Writing WordPress exports (WXR 1.2) of any size, for the import benchmark and the memory test."""

import datetime as dt
import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote
from xml.sax.saxutils import escape

HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<!-- generator="WordPress/6.7" created="2026-12-01 10:00" -->
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>{title}</title>
<link>{site}</link>
<description></description>
<language>ar</language>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>{site}</wp:base_site_url>
<wp:base_blog_url>{site}</wp:base_blog_url>
<wp:author><wp:author_id>1</wp:author_id><wp:author_login><![CDATA[desk]]></wp:author_login><wp:author_email><![CDATA[desk@example.org]]></wp:author_email><wp:author_display_name><![CDATA[قسم الأخبار]]></wp:author_display_name><wp:author_first_name><![CDATA[]]></wp:author_first_name><wp:author_last_name><![CDATA[]]></wp:author_last_name></wp:author>
"""
TAIL = "</channel>\n</rss>\n"


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def cdata(text: str) -> str:
    """Text as CDATA; characters XML 1.0 does not allow anywhere are left out."""
    return "<![CDATA[" + _NOT_XML.sub("", text).replace("]]>", "]]]]><![CDATA[>") + "]]>"


def category(term_id: int, slug: str, name: str, parent: str = "") -> str:
    return (
        f"<wp:category><wp:term_id>{term_id}</wp:term_id><wp:category_nicename>{cdata(quote(slug).lower())}"
        f"</wp:category_nicename><wp:category_parent>{cdata(parent)}</wp:category_parent>"
        f"<wp:cat_name>{cdata(name)}</wp:cat_name></wp:category>\n"
    )


def post(
    post_id: int,
    title: str,
    paragraphs: list[str],
    *,
    site: str,
    when: dt.datetime,
    category_slug: str,
    category_name: str,
    tags: Iterable[str] = (),
    comments: int = 0,
    status: str = "publish",
) -> str:
    slug = quote(f"خبر-{post_id}").lower()
    local = when + dt.timedelta(hours=3)
    body = "\n\n".join(paragraphs)
    parts = [
        "<item>",
        f"<title>{cdata(title)}</title>",
        f"<link>{site}/{when:%Y/%m/%d}/{slug}/</link>",
        f"<pubDate>{when:%a, %d %b %Y %H:%M:%S} +0000</pubDate>",
        f"<dc:creator>{cdata('desk')}</dc:creator>",
        f'<guid isPermaLink="false">{site}/?p={post_id}</guid>',
        f"<content:encoded>{cdata(body)}</content:encoded>",
        f"<excerpt:encoded>{cdata('')}</excerpt:encoded>",
        f"<wp:post_id>{post_id}</wp:post_id>",
        f"<wp:post_date>{cdata(f'{local:%Y-%m-%d %H:%M:%S}')}</wp:post_date>",
        f"<wp:post_date_gmt>{cdata(f'{when:%Y-%m-%d %H:%M:%S}')}</wp:post_date_gmt>",
        f"<wp:post_name>{cdata(slug)}</wp:post_name>",
        f"<wp:status>{cdata(status)}</wp:status>",
        "<wp:post_parent>0</wp:post_parent>",
        f"<wp:post_type>{cdata('post')}</wp:post_type>",
        f"<wp:post_password>{cdata('')}</wp:post_password>",
        f'<category domain="category" nicename="{escape(quote(category_slug).lower())}">{cdata(category_name)}</category>',
    ]
    for tag in tags:
        parts.append(f'<category domain="post_tag" nicename="{escape(quote(tag).lower())}">{cdata(tag)}</category>')
    for n in range(comments):
        comment_id = post_id * 10 + n
        parent = comment_id - 1 if n else 0
        parts.append(
            "<wp:comment>"
            f"<wp:comment_id>{comment_id}</wp:comment_id><wp:comment_author>{cdata(f'قارئ {n}')}</wp:comment_author>"
            f"<wp:comment_author_email>{cdata(f'reader{n}@example.org')}</wp:comment_author_email>"
            f"<wp:comment_author_IP>{cdata('192.0.2.1')}</wp:comment_author_IP>"
            f"<wp:comment_date>{cdata(f'{local:%Y-%m-%d %H:%M:%S}')}</wp:comment_date>"
            f"<wp:comment_date_gmt>{cdata(f'{when:%Y-%m-%d %H:%M:%S}')}</wp:comment_date_gmt>"
            f"<wp:comment_content>{cdata('تعليق على الخبر')}</wp:comment_content>"
            f"<wp:comment_approved>{cdata('1')}</wp:comment_approved><wp:comment_type>{cdata('comment')}</wp:comment_type>"
            f"<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>"
        )
    parts.append("</item>\n")
    return "\n".join(parts)


def write_export(path: Path, posts: Iterable[str], *, site: str, title: str = "موقع تجريبي", categories=()) -> Path:
    with path.open("w", encoding="utf-8") as out:
        out.write(HEAD.format(site=site, title=escape(title)))
        for term in categories:
            out.write(term)
        for item in posts:
            out.write(item)
        out.write(TAIL)
    return path
