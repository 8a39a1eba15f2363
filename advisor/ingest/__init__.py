"""Loading, splitting and indexing documents."""
