"""Akhbar (أخبار): an Arabic-first news publishing platform."""
