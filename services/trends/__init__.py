"""Leadership trends: one function per measure over a range of local days, and the page's bundle.

- `periods`: a range of the viewer's local days cut into days or weeks, as UTC edges.
- `measure`: what a measure returns (total, previous period's total, tidy series).
- `single_measures`: the public functions, one per measure.
- `collective`, `queue`, `response`, `demand`, `freshness`, `sql`: the queries behind them.
- `overview`: everything the page shows, sharing those queries.
- `report_export`: the reports of a range for a CSV.
"""
