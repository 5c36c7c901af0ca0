"""Header menu, footer links and breadcrumbs."""
