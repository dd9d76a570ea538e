"""The case workspace: one case open, its sections as tabs."""
