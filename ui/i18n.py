"""The session's language and its texts: ``t("key")`` is the message ``key`` of the
catalogues in ``presentation/locales`` in the language the reader chose (sidebar switch,
``?lang=``), else the configured default. ``{name}`` fields come from keyword arguments."""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from data_access.settings import get_settings
from presentation.text import DEFAULT_LANGUAGE, LANGUAGES, text


def t(key: str, lang: str | None = None, **fields) -> str:
    """The text for ``key`` in ``lang`` (default: the session's language)."""
    return text(key, lang or current_language(), **fields)


def current_language() -> str:
    lang = st.session_state.get("lang") if get_script_run_ctx() is not None else None  # None: a command line
    if lang in LANGUAGES:
        return lang
    configured = get_settings().language
    return configured if configured in LANGUAGES else DEFAULT_LANGUAGE
