"""Full-page cache for anonymous readers, purged on publish (docs/caching.md)."""
