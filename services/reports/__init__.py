"""Reports and what moderators do with them: intake, the case files, moderation actions.
Every change of a report's state goes through one door: `report_lifecycle.move_report`
(sample data and benchmarks: its bulk path beside it, `ReportBatch`).
"""
