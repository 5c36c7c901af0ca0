"""News content: home, sections, articles, authors, and the listings that show them."""
