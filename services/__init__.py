"""The app's use cases as plain Python: no Streamlit here, so pytest, commands and benchmarks share them."""
