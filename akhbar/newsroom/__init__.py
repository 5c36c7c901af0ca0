"""Newsroom roles (reporters, editors) and the approval workflow between them."""
