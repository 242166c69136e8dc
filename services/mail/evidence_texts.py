"""The mail about the evidence the app keeps: the audit log's chain found broken (to the team)."""

from __future__ import annotations

from typing import Any


def audit_chain_broken(values: dict[str, Any], frame: Any) -> tuple[str, str]:
    return "The audit log's hash chain is broken", f"""
Hello,

The daily check of the audit log of {frame.site_url} found its hash chain broken at row
{values["row"]}: {values["problem"]}

A row of the log was changed, deleted or moved by someone who could write the database, or
written past the app. Nothing has been repaired or hidden. Run `python -m commands.verify_audit`
on the server to see it again, and compare with a backup to find what changed.
"""
