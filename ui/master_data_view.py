"""Master data 基础数据 on the Data intake page and the first-run guide: upload areas,
boundaries, facilities and supply items (each checked row by row, all or nothing), with
their templates and exports, and the steps a new command centre takes in order."""

from __future__ import annotations

import streamlit as st

from data_access import audit
from data_access.access import OPEN, Access
from data_access.master import areas as area_master
from data_access.master import boundaries as boundary_master
from data_access.master import facilities as facility_master
from data_access.master.__main__ import read_any
from data_access.scope import DatabaseUnavailable
from presentation import formatting as fmt
from presentation.intake_text import error_table, type_title
from presentation.text import markdown_plain
from ui.data import show_database_banner
from ui.i18n import t

KINDS = ("areas", "boundaries", *facility_master.FACILITY_TYPES)
# The boundaries "template": a FeatureCollection whose features carry the area code (WGS-84).
BOUNDARY_EXAMPLE = (
    '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"code": "370212001", "name": "中韩街道"}, '
    '"geometry": {"type": "Polygon", "coordinates": [[[120.42, 36.08], [120.50, 36.08], [120.50, 36.14], [120.42, 36.14], [120.42, 36.08]]]}}]}\n'
)
STEPS = ("areas", "boundaries", "facilities", "reports")


def kind_title(kind: str, lang: str) -> str:
    return type_title(kind, lang)


def template_of(kind: str, lang: str) -> tuple[bytes, str, str]:
    """(bytes, file name, mime) of ``kind``'s template."""
    if kind == "areas":
        return area_master.template_csv(), "template_areas.csv", "text/csv"
    if kind == "boundaries":
        return BOUNDARY_EXAMPLE.encode("utf-8"), "template_boundaries.geojson", "application/geo+json"
    return facility_master.template_csv(kind, lang), f"template_{kind}.csv", "text/csv"


def export_name(kind: str) -> str:
    return "boundaries.geojson" if kind == "boundaries" else f"{kind}.csv"


def exported(kind: str, reader: Access) -> bytes:
    """``kind``'s stored rows inside the reader's area, in its template's format; the
    download is written to the audit log."""
    if kind == "areas":
        data = area_master.export_areas(within=reader.within)
    elif kind == "boundaries":
        data = boundary_master.export_boundaries(within=reader.within)
    else:
        data = facility_master.export_facilities(kind, within=reader.within)
    audit.record(reader.actor, audit.EXPORT, area_code=reader.within, detail=f"master data {kind}: {export_name(kind)}")
    return data


def import_file(kind: str, name: str, data: bytes, reader: Access, root_code: str):
    """Import one uploaded file as ``reader``: (accepted, summary text, errors, warnings)."""
    user = reader.actor if reader.role != OPEN else st.session_state.get("master_importer", "").strip()
    if kind == "areas":
        outcome = area_master.import_areas(read_any(name, data, root_code), user=user, within=reader.within)
        summary = t("master.summary_areas", added=outcome.added, changed=outcome.changed)
        return outcome.accepted, summary, outcome.errors, []
    if kind == "boundaries":
        outcome = boundary_master.import_boundaries(name, data, user=user, within=reader.within)
        return outcome.accepted, t("master.summary_boundaries", updated=outcome.updated), outcome.errors, outcome.warnings
    outcome = facility_master.import_facilities(kind, (name, data), user=user, within=reader.within)
    return outcome.accepted, t("master.summary_areas", added=outcome.added, changed=outcome.changed), outcome.errors, []


def master_data_panel(reader: Access, root_code: str, lang: str) -> None:
    """Upload, templates and exports of master data (admins, or anyone in open mode)."""
    may_change = reader.is_admin or reader.role == OPEN
    st.caption(t("master.caption"))
    kind = st.selectbox(t("master.kind"), KINDS, format_func=lambda k: kind_title(k, lang), key="master_kind")
    left, right = st.columns(2)
    data, file_name, mime = template_of(kind, lang)
    left.download_button(
        t("master.template"),
        data,
        file_name=file_name,
        mime=mime,
        icon=":material/download:",
        key=f"master_template_{kind}",
        width="stretch",
    )
    right.download_button(
        t("master.export"), data=lambda: exported(kind, reader), file_name=export_name(kind), mime=mime,
        icon=":material/table_view:", key=f"master_export_{kind}", on_click="ignore", width="stretch",
    )  # fmt: skip
    if kind == "boundaries":
        st.info(t("master.boundaries_note"), icon=":material/public:")
    if not may_change:
        st.info(t("master.admins_only"), icon=":material/lock:")
        return
    with st.form("master_form", border=True):
        upload = st.file_uploader(t("master.file"), type=["csv", "xlsx", "json", "geojson"], key="master_file")
        if reader.role == OPEN:
            st.text_input(
                t("master.importer"), key="master_importer", max_chars=100, placeholder=t("intake.reporter_placeholder")
            )
        submitted = st.form_submit_button(t("master.submit"), type="primary", icon=":material/upload_file:")
    if submitted and reader.role == OPEN and not (st.session_state.get("master_importer") or "").strip():
        st.warning(t("intake.reporter_missing"), icon=":material/person:")
    elif submitted and upload is not None:
        try:
            st.session_state["master_outcome"] = (
                upload.name,
                *import_file(kind, upload.name, upload.getvalue(), reader, root_code),
            )
        except DatabaseUnavailable as error:
            show_database_banner(error)
        else:
            st.cache_data.clear()  # areas, units and every figure under them may have changed
    outcome = st.session_state.get("master_outcome")
    if outcome:
        name, accepted, summary, errors, warnings = outcome
        name = markdown_plain(name)  # a file name is the uploader's text, not Markdown
        if accepted:
            st.success(t("master.accepted", file=name, summary=summary), icon=":material/check_circle:")
        else:
            st.error(t("master.rejected", file=name, n=len(errors)), icon=":material/error:")
        for group, title in ((errors, t("master.errors")), (warnings, t("master.warnings"))):
            if group:
                st.markdown(f"**{title}**")
                st.dataframe(error_table(list(group), lang), hide_index=True, width="stretch", placeholder=fmt.DASH)


def empty_database_page(lang: str) -> None:
    """A database without any area: how to start it, the steps after, and every template."""
    st.title(t("app.title"))
    st.info(t("master.no_root"), icon=":material/inbox:")
    st.code("python -m data_access.setup new --code 370212 --name 崂山区", language="bash")
    first_run_guide({}, lang)
    st.markdown(f"**{t('master.templates')}**")
    with st.container(horizontal=True, gap="small"):
        for kind in KINDS:
            data, file_name, mime = template_of(kind, lang)
            st.download_button(
                kind_title(kind, lang),
                data,
                file_name=file_name,
                mime=mime,
                icon=":material/download:",
                key=f"first_template_{kind}",
            )


def first_run_guide(counts: dict[str, int], lang: str) -> None:
    """The steps in order, each ticked when done: areas → boundaries → facilities → reports."""
    st.subheader(t("master.first_run_title"))
    st.markdown(t("master.first_run_intro"))
    for number, step in enumerate(STEPS, start=1):
        done = counts.get(step, 0) > 0
        icon = ":material/check_circle:" if done else ":material/radio_button_unchecked:"
        st.markdown(
            f"{icon} **{number}. {t(f'master.step.{step}')}** — {t(f'master.step.{step}.how')}"
            + (f" · {t('master.step_done', n=counts[step])}" if done else "")
        )
