"""Made-up mentors, reports, searches and a year of history for trying the app and benchmarks.
Every state change goes through the lifecycles' bulk paths (ListingBatch, ReportBatch); nothing
here writes a status.
"""
