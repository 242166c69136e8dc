"""Mail: the outbox (a mail is a row written in the transaction that causes it), its templates,
and the relay that sends it. Mail is queued only through `outbox.queue`; only the relay sends it.
"""
