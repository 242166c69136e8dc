"""Report a violation of the Code of Conduct. Only moderators read it; the reporter stays confidential."""

from __future__ import annotations

import streamlit as st

from services.reports import conflicts, intake
from services.reports.intake import REPORTABLE, SECTION_3, ReportCategory, ReporterRole, ReportInput
from ui import a11y
from ui.actions import Outcome, perform, show
from ui.client import client_key
from ui.contact import write_to_us
from ui.db import read_or, reading
from ui.forms import error_summary, field_error, hint
from ui.times import DATE_FORMAT, today

NOT_LISTED = -1
OUTCOME = "report_outcome"
RECEIPT = "report_receipt"
LABELS = {
    "mentor": "Which mentor", "named_person": "Their name", "named_linkedin_url": "Their LinkedIn profile",
    "category": "What was broken", "occurred_on": "When", "description": "What happened",
    "reporter_role": "Mentee or witness", "reporter_email": "Your email",
    "excluded_moderators": "Moderators who must not handle it",
}  # fmt: skip
WIDGETS = {
    "mentor": "report_mentor", "named_person": "report_named_person",
    "named_linkedin_url": "report_named_linkedin_url", "category": "report_category",
    "occurred_on": "report_occurred_on", "description": "report_description",
    "reporter_role": "report_role", "reporter_email": "report_email",
    "excluded_moderators": "report_excluded",
}  # fmt: skip
FORM_KEYS = ("report_search", "report_mentor", "report_named_person", "report_named_linkedin_url",
             "report_category", "report_occurred_on", "report_description", "report_role", "report_email", "report_excluded")  # fmt: skip


def _category_label(code: str) -> str:
    category = ReportCategory(code)
    section = 3 if category in SECTION_3 else 2 if category is not ReportCategory.OTHER else None
    return f"{category.label} (section {section})" if section else category.label


@st.cache_data(ttl=60, show_spinner=False)
def _moderators() -> dict[int, str]:
    with reading() as session:
        return conflicts.excludable(session)


@st.cache_data(ttl=30, show_spinner=False)
def _matches(text: str) -> intake.MentorChoices:
    with reading() as session:
        return intake.reportable_mentors(session, text=text)


def _send() -> None:
    state = st.session_state
    mentor = state.get("report_mentor")
    report = ReportInput(
        mentor_id=None if mentor in (None, NOT_LISTED) else int(mentor),
        named_person=state.get("report_named_person") or "",
        named_linkedin_url=state.get("report_named_linkedin_url") or "",
        category=state.get("report_category") or "",
        occurred_on=state.get("report_occurred_on"),
        description=state.get("report_description") or "",
        reporter_role=state.get("report_role") or "",
        reporter_email=state.get("report_email") or "",
        honeypot=state.get("report_website") or "",
        excluded_moderators=tuple(state.get("report_excluded") or ()),
    )
    outcome = perform(OUTCOME, intake.file_report, report=report, client_key=client_key())
    if outcome.kind == "refused" and not outcome.errors:  # several reports in a short time
        state[OUTCOME] = Outcome("refused", f"{outcome.message} Everything you typed is still here.")
    if outcome.ok:
        state[RECEIPT] = (outcome.value.reference, outcome.value.case_code, outcome.token)
        for key in (*FORM_KEYS, OUTCOME):
            state.pop(key, None)


def _start_over() -> None:
    st.session_state.pop(RECEIPT, None)


st.title("Report a violation", anchor=False)
if receipt := st.session_state.get(RECEIPT):
    reference, case_code, token = receipt
    with st.container(key="report_sent"):
        st.success(f"Thank you. Your report has reached the moderators. Your reference is **{reference}**: "
                   f"quote it if you {write_to_us()} about this report.", icon=":material/check_circle:")  # fmt: skip
        st.markdown(f"Your private case code is **{case_code}**. Keep it with the reference: with "
                    "both, Follow my report shows where your case is and how it was decided. We "
                    "show the code only this once.")  # fmt: skip
        st.page_link("pages/follow_my_report.py", label="Follow my report")
    a11y.focus("report_sent", token=token)
    st.button("Report something else", on_click=_start_over)
    a11y.stop()

st.markdown(
    "If a mentor has broken our Code of Conduct, tell us here. **Only the We Are Next moderators "
    "read reports.** We never tell the mentor who reported them, and nothing on the public pages "
    "shows whether a mentor has been reported. Serious violations (section 3 of the Code) lead to "
    "immediate removal or a ban."
)
st.page_link(
    "pages/code_of_conduct.py", label="Read the Code of Conduct", icon=":material/handshake:"
)
outcome = st.session_state.pop(OUTCOME, None)  # shown once, by the rerun after Send
errors: dict[str, str] = outcome.errors if outcome else {}
error_summary(errors, LABELS, widget_keys=WIDGETS, form="report", token=outcome.token if outcome else None)

st.header("Which mentor?", anchor=False)
search = st.text_input("Search for the mentor", key="report_search",
                       placeholder="Part of their name, job title or company")  # fmt: skip
hint("report_search", "Press Enter to search, then choose them in the list below.")
found = read_or(None, _matches, search) if search and search.strip() else None
matches = found.choices if found else {}
options = [*matches, NOT_LISTED]
if st.session_state.get("report_mentor") not in options:
    st.session_state["report_mentor"] = None
st.selectbox(
    "Mentor", options, index=None, key="report_mentor",
    format_func=lambda i: "Someone not in the list" if i == NOT_LISTED else matches[i],
    placeholder="Choose from the matches" if matches else "Search above, or choose 'Someone not in the list'",
)  # fmt: skip
if found is not None and found.more:
    hint("report_mentor", f"Showing the first {len(matches)} matches: add their job title or "
         "company to the search to find someone else.")  # fmt: skip
field_error(errors, "mentor", widget_key="report_mentor")
if st.session_state.get("report_mentor") == NOT_LISTED:
    st.text_input("Their name", key="report_named_person")
    field_error(errors, "named_person", widget_key="report_named_person")
    st.text_input("Their LinkedIn profile (optional)", key="report_named_linkedin_url")
    field_error(errors, "named_linkedin_url", widget_key="report_named_linkedin_url")

with st.form("report", enter_to_submit=False):
    st.radio("What part of the Code of Conduct was broken?", [c.value for c in REPORTABLE], index=None,
             key="report_category", format_func=_category_label)  # fmt: skip
    field_error(errors, "category", widget_key="report_category")
    st.date_input("When did it happen? (optional)", value=None, max_value=today(), key="report_occurred_on",
                  format=DATE_FORMAT)  # fmt: skip
    hint("report_occurred_on", "Year, month and day, for example 2026-11-30.")
    field_error(errors, "occurred_on", widget_key="report_occurred_on")
    st.text_area("What happened", key="report_description", height=180)
    hint("report_description", "What was said or done, and anything that helps us understand. Only "
         f"moderators read it. Up to {intake.MAX_DESCRIPTION:,} characters.")  # fmt: skip
    field_error(errors, "description", widget_key="report_description")
    st.radio("Were you the mentee, or did you witness it?", [r.value for r in ReporterRole], index=None,
             key="report_role", format_func=lambda c: ReporterRole.of(c).label)  # fmt: skip
    field_error(errors, "reporter_role", widget_key="report_role")
    st.text_input("Your email, if you'd like us to follow up (optional)", key="report_email")
    hint("report_email", "Only the moderators see it.")
    field_error(errors, "reporter_email", widget_key="report_email")
    if moderators := read_or({}, _moderators):
        st.multiselect("Moderators who must not handle your report (optional)", list(moderators),
                       key="report_excluded", format_func=lambda i: moderators.get(i, "(no longer listed)"),
                       placeholder="Nobody: any moderator may")  # fmt: skip
        hint("report_excluded", "If you know one of them, or would rather they didn't read it, "
             "choose them: they never see your report. Nobody else learns whom you chose.")  # fmt: skip
        field_error(errors, "excluded_moderators", widget_key="report_excluded")
    st.text_input("Leave this field empty", key="report_website")  # a honeypot for bots (hidden)
    st.form_submit_button("Send report", type="primary", on_click=_send)
show(outcome, key="report_outcome_message")
