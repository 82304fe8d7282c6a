"""ccmetrics: a declarative metrics layer for contact centers, built on dbt and DuckDB."""

__version__ = "0.1.0"
