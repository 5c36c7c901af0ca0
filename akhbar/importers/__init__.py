"""Bring articles in from other systems (JSON Lines now; WordPress later)."""
