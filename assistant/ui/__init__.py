"""The Streamlit app: one module per page, plus the shared state, tables and highlighting.

Each page module is also a page script (`st.Page(<file>)`): running it renders the page.
"""

from pathlib import Path

UI_DIR = Path(__file__).resolve().parent
