"""What the console's action buttons say: one label (and for a listing, an icon and an explanation
shown before the click) per lifecycle action. Which buttons show is the lifecycles' answer."""

from __future__ import annotations

from services.listings.listing_lifecycle import ListingAction
from services.reports.report_lifecycle import ReportAction

A, R = ListingAction, ReportAction
LISTING_BUTTONS = {
    A.REMOVE: ("Remove", ":material/person_remove:",
               "Takes the listing off the directory now. Restore undoes it."),
    A.BAN: ("Ban", ":material/block:",
            "Takes the listing off the directory and stops this email and LinkedIn profile from "
            "being listed again. Restore undoes it."),
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
}  # fmt: skip
