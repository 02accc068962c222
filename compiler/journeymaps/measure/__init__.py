"""Maps that measure themselves: sources, selectors, metrics and snapshots."""
