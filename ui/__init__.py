"""Streamlit-side pieces shared by the pages: settings, language, formatting, filter, data loading, components."""
