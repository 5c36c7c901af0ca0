"""Settings split by environment: base (shared), dev, test, production.

Every deployment knob is an environment variable documented in `docs/configuration.md`.
"""
