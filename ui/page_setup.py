"""What every page calls first: the shared filter, and a guard for Streamlit's old
``pages/`` mode.

Streamlit 1.67 starts a fresh server in its v1 multipage mode when a ``pages/`` folder
exists, until the entry script first calls ``st.navigation``. If the very first visit
after a start opens a page URL directly (a forwarded link), the page would run without
dashboard.py (no sidebar, no filter). The guard switches the server to ``st.navigation``
mode and reruns, so dashboard.py runs and opens the same page.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from data_access.scope import Scope
from presentation.filter_url import FilterState
from ui.sidebar import current_filter, current_scope


def page_context() -> tuple[FilterState, Scope]:
    """The shared filter and its scope, after making sure dashboard.py drew them."""
    if "filter" not in st.session_state:
        PagesManager.uses_pages_directory = False
        st.rerun()

    return current_filter(), current_scope()
