"""The few Streamlit-bound pieces the pages share: the cached engine, the gate, safe rendering."""
