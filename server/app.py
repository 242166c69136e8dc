"""The ASGI app: Streamlit's app around dashboard.py, with our routes, middleware and lifespan.

Served by `python -m commands.start` (and `commands.serve`), by `streamlit run server/app.py`, or
by any ASGI server (`uvicorn server.app:app`). `streamlit run` finds `app` by reading this file,
so it stays a plain assignment; what goes into it is put together in server/assembly.py.
"""

from __future__ import annotations

import streamlit as st

from server import assembly

app = st.App(
    assembly.SCRIPT,
    routes=assembly.routes(),
    middleware=assembly.middleware(),
    lifespan=assembly.lifespan,
    on_script_error=assembly.on_script_error,
)
