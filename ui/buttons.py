"""What the console's action buttons say: one label (and for a listing, an icon and an explanation
shown before the click) per lifecycle action. Which buttons show is the lifecycles' answer."""

from __future__ import annotations

from services.listings.listing_lifecycle import ListingAction
from services.reports.report_lifecycle import ReportAction

A, R = ListingAction, ReportAction
LISTING_BUTTONS = {
    A.NOTE_BREACH: ("Note the breach", ":material/edit_note:",
                    "Keeps a note in the listing's history that the Code was broken. Nothing else "
                    "changes, and the mentor is not told."),
    A.WARN: ("Warn", ":material/warning:",
             "Mails the mentor a warning that names the part of the Code, in its own words. The "
             "listing stays as it is."),
    A.REMOVE_FOR_DAYS: ("Remove for days", ":material/timer_off:",
                        "Takes the listing off the directory for the days you choose; on the last "
                        "day it comes back by itself, as it was. The mentor is told both times."),
    A.REMOVE: ("Remove", ":material/person_remove:",
               "Takes the listing off the directory now, and tells the mentor. Restore undoes it."),
    A.BAN: ("Ban", ":material/block:",
            "Takes the listing off the directory, stops this email and LinkedIn profile from "
            "being listed again, and tells the mentor. Restore undoes it."),
    A.RESTORE: ("Restore", ":material/undo:",
                "Puts the listing back as it was before it was taken down, and lifts any ban."),
    A.TAKE_OFF_ON_REQUEST: ("Take off the page", ":material/pause_circle:",
                            "Pauses the listing, as the mentor asked. They can resume it with "
                            "their private code whenever they like."),
    A.ERASE_ON_REQUEST: ("Erase", ":material/delete_forever:",
                         "Erases the profile and contact details for good, as the mentor asked, "
                         "so they can sign up afresh later. Signatures and history stay."),
}  # fmt: skip
REPORT_BUTTONS = {
    R.ACKNOWLEDGE: "Acknowledge", R.START_REVIEW: "Start review", R.RESOLVE_WITH_ACTION: "Resolve: action taken",
    R.RESOLVE_WITHOUT_ACTION: "Resolve: no action", R.DISMISS: "Dismiss", R.REOPEN: "Reopen",
    R.UPHOLD_APPEAL: "Uphold: reverse the decision", R.REJECT_APPEAL: "Reject: the decision stands",
}  # fmt: skip
