"""Reader-facing search at /search/."""
