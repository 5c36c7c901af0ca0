"""The client address behind proxies: X-Forwarded-For is believed only from trusted proxies."""

import pytest
from django.test import RequestFactory, override_settings

from akhbar.core.client_ip import client_ip

factory = RequestFactory()


def address(remote: str, forwarded: str | None = None) -> str:
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(factory.get("/search/", **extra))


def test_without_trusted_proxies_the_header_is_ignored():
    assert address("203.0.113.7", "1.1.1.1") == "203.0.113.7"


@override_settings(TRUSTED_PROXIES=["10.0.0.0/8"])
def test_a_spoofed_header_from_an_untrusted_peer_is_ignored():
    assert address("203.0.113.7", "10.1.1.1, 198.51.100.9") == "203.0.113.7"


@override_settings(TRUSTED_PROXIES=["10.0.0.1"])
def test_one_trusted_proxy_gives_the_address_it_saw():
    assert address("10.0.0.1", "198.51.100.9") == "198.51.100.9"


@override_settings(TRUSTED_PROXIES=["10.0.0.0/8", "192.0.2.1"])
def test_a_chain_is_walked_from_the_right_up_to_the_first_untrusted_address():
    # The reader wrote "6.6.6.6" themselves; the CDN (192.0.2.1) saw 198.51.100.9; nginx saw the CDN.
    assert address("10.0.0.2", "6.6.6.6, 198.51.100.9, 192.0.2.1") == "198.51.100.9"


@override_settings(TRUSTED_PROXIES=["10.0.0.0/8"])
def test_a_reader_cannot_pose_as_a_proxy_by_adding_trusted_addresses():
    assert address("10.0.0.2", "198.51.100.9, 10.9.9.9, 198.51.100.50") == "198.51.100.50"


@override_settings(TRUSTED_PROXIES=["10.0.0.0/8", "::1"])
@pytest.mark.parametrize(
    "forwarded, expected",
    [
        ("", "10.0.0.2"),
        ("   ", "10.0.0.2"),
        ("not-an-ip", "10.0.0.2"),
        ("198.51.100.9, garbage", "10.0.0.2"),
        ("garbage, 198.51.100.9", "198.51.100.9"),
        (",,,", "10.0.0.2"),
        ("198.51.100.9:4711", "198.51.100.9"),
        ("[2001:db8::5]:443", "2001:db8::5"),
        ("2001:db8::5", "2001:db8::5"),
        ("::ffff:198.51.100.9", "198.51.100.9"),
        ("1" * 5000, "10.0.0.2"),
        (", ".join(["10.0.0.3"] * 500), "10.0.0.3"),
        ("\x00\u202e٣٫٣", "10.0.0.2"),
    ],
)
def test_malformed_headers_never_break_and_never_let_a_reader_choose(forwarded, expected):
    assert address("10.0.0.2", forwarded) == expected


@override_settings(TRUSTED_PROXIES=["not a network", "10.0.0.1"])
def test_a_bad_entry_in_the_trusted_list_is_left_out():
    assert address("10.0.0.1", "198.51.100.9") == "198.51.100.9"


def test_a_missing_peer_address_is_still_an_answer():
    assert address("") == "unknown"
