"""A deterministic, realistic generator of landing files for every contract source."""
