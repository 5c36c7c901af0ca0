"""Moving a WordPress site to Akhbar: `akhbar import_wordpress` (docs/wordpress.md)."""
