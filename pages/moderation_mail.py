"""Mail: how many mails wait, went out or failed; the failed ones with their last error, to send
again; in the local sample setup, the mails themselves (nobody's real inbox gets them there)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from services.mail import outbox
from services.mail.templates import Kind, frame_of
from ui.actions import perform, show
from ui.columns import free_text, time_column
from ui.db import reading, settings
from ui.gate import require_moderator
from ui.times import localise

moderator = require_moderator()  # first thing: nothing below runs for anyone else

OUTCOME = "mail_outcome"
config = settings()
st.title("Mail", anchor=False)
if config.smtp_url:
    st.markdown("Mail goes out through the SMTP relay configured in `SMTP_URL` / `[mail] smtp_url`.")
elif config.mail_dir:
    st.markdown("No SMTP relay is configured: each mail is written as a `.eml` file into the "
                "mail folder (`MAIL_DIR`, in the local sample setup `data/mail/`).")  # fmt: skip

with reading() as session:
    counts = outbox.counts(session)
    failed = outbox.failed(session, viewer=moderator.id)
for column, (state, count) in zip(st.columns(len(counts)), counts.items(), strict=True):
    column.metric(state.label, f"{count:,}")

st.header("Failed", anchor=False)
show(st.session_state.pop(OUTCOME, None), key="mail_outcome_message")  # once, after the click
if not failed:
    st.markdown("No mail has failed.")
else:
    st.markdown("The relay gave up on these (a permanent refusal, or too many tries). Fix what the "
                "error says (the address, or the relay's settings), then send again.")  # fmt: skip
    rows = [{"id": m.id, "created": m.created_at, "kind": Kind.of(m.kind).label, "to": m.recipient,
             "tries": m.tries, "error": m.last_error or ""} for m in failed]  # fmt: skip
    table = localise(pd.DataFrame(rows), "created")
    st.dataframe(table, hide_index=True, column_config={
        "id": "Mail", "created": time_column("Written"), "kind": free_text("What"),
        "to": free_text("To"), "tries": "Tries", "error": free_text("Last error")})  # fmt: skip
    chosen = st.selectbox("Mail to send again", [m.id for m in failed], key="mail_again_id",
                          format_func=lambda i: f"Mail {i}")  # fmt: skip
    st.button("Send again", key="mail_again", on_click=lambda: perform(
        OUTCOME, outbox.send_again, done="Queued again: the relay sends it within a minute.",
        mail_id=st.session_state["mail_again_id"], moderator=moderator))  # fmt: skip

if config.uses_embedded_default:
    st.header("The newest mails (local sample setup)", anchor=False)
    st.markdown("In the local sample setup no mail reaches a real inbox, so here they are, newest "
                "first: open a link to follow it as its recipient would.")  # fmt: skip
    with reading() as session:
        copies = outbox.recent_copies(session, frame=frame_of(config), viewer=moderator.id)
    for copy in copies:
        with st.expander(f"Mail {copy.id}: {copy.state.label.lower()}", expanded=copy is copies[0]):
            st.text(f"To: {copy.recipient}\nSubject: {copy.subject}")
            st.text(copy.body)  # plain text: a name in it is never Markdown
            for url in copy.links:  # made from our own templates, never from what was typed
                st.link_button("Open the link in this mail", url)
