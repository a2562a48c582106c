"""Master data: the command centre's own areas, loaded from public reference data."""
