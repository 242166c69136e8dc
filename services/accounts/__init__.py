"""Moderator accounts: sign-in, sessions and the per-address throttles that slow abuse.
Sessions change only through `moderator_sessions`; counters only through `throttle.hit`.
"""
