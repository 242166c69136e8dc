"""Evidence that stands up: the audit log's hash chain and its verifier, signature receipts,
re-signing a new version of the Code, and the public transparency report. The chain changes only
through `chain.append` (audit_log calls it); a period is published only through `transparency`.
"""
