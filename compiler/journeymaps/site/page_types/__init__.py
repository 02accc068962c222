"""The site's page types, a module per page family: each holds its page types' functions and
what they read; :data:`journeymaps.site.registry.PAGES` lists them."""
