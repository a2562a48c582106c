"""Definitions 指标说明: every figure of the metric catalogue — its name in each language,
what it means, its formula, unit, the level it is counted at, where it comes from and
which direction is good — searchable; a card's help opens it at ``?metric=<key>``."""

import streamlit as st

from presentation.catalogue import metric, search
from presentation.text import LANGUAGES
from presentation.views import definitions as view
from ui.i18n import t
from ui.page_setup import page_context

state, _ = page_context()
lang = state.lang
st.title(t("definitions.title"))
st.caption(t("definitions.caption"))

linked = st.query_params.get("metric")
if linked and view.known(linked):
    with st.container(border=True, key="definitions_linked"):
        st.caption(t("definitions.linked", name=metric(linked).name(lang)))
        st.markdown(view.entry_markdown(metric(linked), lang, LANGUAGES))

query = st.text_input(t("definitions.search"), key="definitions_search", width=520)
found = search(query, lang)
st.caption(t("definitions.count", n=len(found)))
if not found:
    st.info(t("definitions.none"), icon=":material/search_off:")
for domain, entries in view.by_domain(found):
    st.subheader(t(f"domain.{domain}"))
    for entry in entries:
        with st.container(border=True, key=f"metric_{entry.key.replace('.', '_')}"):
            st.markdown(view.entry_markdown(entry, lang, LANGUAGES))
