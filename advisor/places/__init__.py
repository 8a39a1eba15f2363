"""Chinese places: the administrative-division table and name resolution for cities, provinces
and regions (used by plans, comparisons and diagnoses)."""
