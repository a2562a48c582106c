"""Data intake 数据上报: upload daily reports (checked row by row, imported all or nothing),
download the templates, read the import history, and see who has not reported for a day."""

import datetime as dt
import math

import pandas as pd
import streamlit as st

from data_access import areas as area_queries
from data_access import reporting
from data_access.access import OPEN
from data_access.ingest import REPORT_TYPES, import_reports
from data_access.ingest.templates import template_csv, template_xlsx
from data_access.ingest.validate import local_today
from data_access.scope import DatabaseUnavailable
from data_access.settings import intake_settings
from presentation import formatting as fmt
from presentation.intake_text import error_table, type_title
from presentation.text import markdown_plain
from presentation.views import intake as intake_view
from ui.auth import current_access
from ui.components import kpi_row, page_header, table_block
from ui.data import forget_lookups, load, load_plain, show_database_banner
from ui.i18n import t
from ui.master_data_view import master_data_panel
from ui.page_setup import page_context

state, scope = page_context()
reader = current_access()
lang = state.lang
page_header("intake.title", "")
st.caption(t("intake.caption"))
settings = intake_settings()

upload_tab, completeness_tab, history_tab, templates_tab, master_tab = st.tabs(
    [
        t("intake.tab.upload"),
        t("intake.tab.completeness"),
        t("intake.tab.history"),
        t("intake.tab.templates"),
        t("intake.tab.master"),
    ]
)


def _days_text(days: list[dt.date]) -> str:
    if not days:
        return "—"
    return fmt.day(days[0], lang) if len(days) == 1 else fmt.day_range(days[0], days[-1], lang)


# ---------------------------------------------------------------- upload
with upload_tab:
    if not reader.may_report:
        st.info(t("auth.may_not_report"), icon=":material/lock:")
    else:
        with st.form("intake_form", border=True):
            files = st.file_uploader(
                t("intake.files"),
                type=["csv", "xlsx"],
                accept_multiple_files=True,
                key="intake_files",
                # The browser refuses larger files itself (the command line names them as errors).
                max_upload_size=max(1, math.ceil(settings.max_file_mb)),
            )
            left, right = st.columns(2)
            if reader.role == OPEN:
                # Only without sign-in is the importer a typed name; otherwise it is the signed-in person.
                reporter = left.text_input(
                    t("intake.reporter"), placeholder=t("intake.reporter_placeholder"), key="intake_reporter", max_chars=100
                )
            else:
                reporter = reader.actor
                left.text_input(
                    t("intake.reporter"), value=f"{reader.name} <{reader.actor}>", disabled=True, key="intake_reporter_signed_in"
                )
            chosen_type = right.selectbox(
                t("intake.type"),
                options=[None, *REPORT_TYPES],
                format_func=lambda name: t("intake.type_auto") if name is None else type_title(name, lang),
                key="intake_type",
            )
            together = st.checkbox(t("intake.together"), key="intake_together")
            submitted = st.form_submit_button(t("intake.submit"), type="primary", icon=":material/upload_file:")

        if submitted:
            if not files:
                st.warning(t("intake.no_files"), icon=":material/upload_file:")
            elif not reporter.strip():
                st.warning(t("intake.reporter_missing"), icon=":material/person:")
            else:
                try:
                    outcomes = import_reports(
                        [(f.name, f.getvalue()) for f in files],
                        user=reporter,
                        report_type=chosen_type,
                        together=together,
                        within=reader.within,
                    )
                except DatabaseUnavailable as error:
                    show_database_banner(error)
                    st.error(t("intake.not_imported_outage", n=len(files)), icon=":material/cloud_off:")
                else:
                    st.session_state["intake_outcomes"] = outcomes
                    if any(o.accepted for o in outcomes):
                        st.cache_data.clear()  # every page's figures may have changed
                    else:
                        forget_lookups()  # the history lists the refused files too

        outcomes = st.session_state.get("intake_outcomes") or []
        if outcomes:
            accepted = [o for o in outcomes if o.accepted]
            summary = t("intake.summary", files=len(outcomes), accepted=len(accepted), rejected=len(outcomes) - len(accepted))
            (st.success if len(accepted) == len(outcomes) else st.error)(
                summary, icon=":material/check_circle:" if len(accepted) == len(outcomes) else ":material/error:"
            )
            for outcome in outcomes:
                if outcome.accepted:
                    st.markdown(
                        ":material/check_circle: "
                        + t(
                            "intake.accepted",
                            file=markdown_plain(outcome.file_name),
                            rows=fmt.count(outcome.rows, lang),
                            type=type_title(outcome.report_type, lang),
                            units=fmt.count(outcome.units, lang),
                            days=_days_text(outcome.days),
                        )
                    )
                else:
                    st.markdown(
                        ":material/cancel: "
                        + t("intake.rejected", file=markdown_plain(outcome.file_name), n=fmt.count(outcome.error_count, lang))
                    )
            errors = [err for o in outcomes for err in o.errors]
            if errors:
                table_block(
                    t("intake.errors_title"),
                    error_table(errors, lang),
                    key="intake_errors",
                    column_config={t("intake.col.reason"): st.column_config.TextColumn(width="large")},
                )

    # ---------------------------------------------------------------- completeness


with completeness_tab:
    day = st.date_input(
        t("intake.day"),
        value=scope.end,
        min_value=settings.data_start_date,
        max_value=max(local_today(), scope.end),
        key="intake_day",
        format="YYYY-MM-DD",
        width=260,
    )
    day_scope = scope.with_days(day, day)
    counts = load(reporting.reporting_completeness, day_scope)
    st.markdown(f"**{t('intake.completeness_title', day=fmt.day(day, lang))}**")
    if not counts.empty:
        kpi_row(intake_view.completeness_cards(counts, lang), per_row=5)
        missing_total = intake_view.missing_total(counts)
        if missing_total:
            st.warning(t("intake.missing_total", n=fmt.count(missing_total, lang)), icon=":material/assignment_late:")
        else:
            st.success(t("intake.all_reported"), icon=":material/check_circle:")
        only_missing = st.toggle(t("intake.only_missing"), value=missing_total > 0, key="intake_only_missing")
        units = load(reporting.reporting_units, day_scope, day, None, only_missing)
        shown = intake_view.units_table(units, lang)
        table_block(t("intake.units_title", n=fmt.count(len(shown), lang)), shown, key=f"intake_units_{day.isoformat()}")


# ---------------------------------------------------------------- history
with history_tab:
    limit = 200
    history = load_plain(reporting.import_history, limit, None, reader.within, default=pd.DataFrame())
    if history is None or history.empty:
        st.info(t("intake.history_empty"), icon=":material/info:")
    else:
        errors_of = {row.id: intake_view.stored_errors(row.errors) for row in history.itertuples()}
        table_block(
            t("intake.history_title", n=fmt.count(len(history), lang)),
            intake_view.history_table(history, errors_of, lang),
            key="intake_history",
        )
        with_errors = [i for i, errs in errors_of.items() if errs]
        if with_errors:
            with st.expander(t("intake.history_details"), icon=":material/error:"):
                names = history.set_index("id")
                picked = st.selectbox(
                    t("intake.history_pick"),
                    options=with_errors,
                    format_func=lambda i: f"#{i} · {names.at[i, 'file_name']} · {fmt.local_time(names.at[i, 'imported_at'], lang)}",
                    key="intake_history_pick",
                )
                st.dataframe(error_table(errors_of[picked], lang), hide_index=True, width="stretch", placeholder=fmt.DASH)


# ---------------------------------------------------------------- templates
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@st.cache_data(show_spinner=False)
def _templates(name: str) -> tuple[bytes, bytes]:
    report_type = REPORT_TYPES[name]
    return template_csv(report_type), template_xlsx(report_type)


with templates_tab:
    st.caption(t("intake.templates_note"))
    for name, report_type in REPORT_TYPES.items():
        with st.container(border=True):
            st.markdown(f"**{type_title(name, lang)}** · `{name}`")
            # "*" marks an optional column (escaped: it is Markdown's emphasis).
            columns = ", ".join(getattr(c, lang, c.en) + ("" if c.required else "\\*") for c in report_type.columns)
            st.caption(t("intake.columns", columns=columns))
            csv_bytes, xlsx_bytes = _templates(name)
            with st.container(horizontal=True, gap="small"):
                for label, data, extension, mime, icon in (
                    (t("intake.template_csv"), csv_bytes, "csv", "text/csv", ":material/download:"),
                    (t("intake.template_xlsx"), xlsx_bytes, "xlsx", XLSX_MIME, ":material/table_view:"),
                ):
                    st.download_button(
                        label,
                        data,
                        file_name=f"{name}_template.{extension}",
                        mime=mime,
                        key=f"tpl_{extension}_{name}",
                        icon=icon,
                        on_click="ignore",
                    )


# ---------------------------------------------------------------- master data 基础数据
with master_tab:
    root = load_plain(area_queries.root_area, default={}) or {}
    master_data_panel(reader, reader.within or root.get("code", ""), lang)
