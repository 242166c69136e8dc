"""The clock: jobs that run on their own, at most once at a time across every process.
A job's due time and lease change only through `clock` (claim, finish).
"""
