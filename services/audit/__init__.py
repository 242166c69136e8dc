"""What happened, and who did it: the append-only audit log and readable histories.
Rows are only ever appended (`audit_log.record`); nothing here changes a listing or a report.
"""
