"""Programme reporting (#29): the programme report for a period and an area, counted from the
record (:mod:`features.reports`), for analysts and administrators — aggregates only."""
