"""The app's own server: one ASGI app (st.App around dashboard.py) with our routes, middleware
and lifespan. The rules its routes call stay in services/; this package speaks HTTP."""
