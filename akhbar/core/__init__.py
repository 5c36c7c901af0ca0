"""Cross-cutting pieces: regional settings, the periodic-job scheduler, CSRF for cached pages."""
