"""Latin-script aliases of Arabic names (Putin → بوتين) for search: confirmed by editors in the
admin, or proposed by Akhbar from its own tags (akhbar.arabic.transliterate) for editors to
accept or reject. The search expander (akhbar/search/expanders_latin.py) uses confirmed aliases
before anything it guesses."""
