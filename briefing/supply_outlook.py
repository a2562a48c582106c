"""The briefing's supplies outlook as HTML: the stock-outs projected within 14 days and the
suggested transfers between districts (briefing/content.py ``SupplyOutlook``), laid out
like the briefing's other tables."""

from __future__ import annotations

from html import escape

from briefing.content import Briefing, Name, SupplyOutlook
from presentation import formatting as fmt
from presentation.catalogue import name
from presentation.text import text

ROWS_SHOWN = 20
_SUBHEAD = 'style="font-size:10pt;margin:6pt 0 2pt"'


def outlook_html(b: Briefing, lang: str) -> str:
    """The section, or nothing for a briefing without an outlook."""
    outlook = b.supply_outlook
    if outlook is None:
        return ""
    return (
        f'<section class="supply-outlook">\n<h2>{escape(text("stockout.briefing_section", lang, days=outlook.horizon))}</h2>\n'
        f"{_stockouts(b, outlook, lang)}{_transfers(b, outlook, lang)}</section>\n"
    )


def _item(b: Briefing, code: str, lang: str) -> str:
    return escape(b.items[code](lang) if code in b.items else code)


def _more(shown: int, total: int, lang: str) -> str:
    return f'<p class="more">{escape(text("alerts.more", lang, n=total - shown))}</p>\n' if total > shown else ""


def _stockouts(b: Briefing, outlook: SupplyOutlook, lang: str) -> str:
    heading = f"<h3 {_SUBHEAD}>{escape(text('stockout.briefing_stockouts', lang))}</h3>\n"
    if not outlook.stockouts:
        return f'{heading}<p class="ok">{escape(text("stockout.briefing_none", lang, days=outlook.horizon))}</p>\n'
    rows = [
        f'<tr data-item="{escape(s.item_code)}"><td>{_item(b, s.item_code, lang)}</td><td>{escape(s.district(lang))}</td>'
        f'<td class="num bad">{escape(fmt.day(s.day, lang))}</td>'
        f'<td class="num">{escape(fmt.with_unit(fmt.count(s.days, lang), "days", lang))}</td></tr>'
        for s in outlook.stockouts[:ROWS_SHOWN]
    ]
    return (
        f'{heading}<table class="grid stockouts-table">\n<thead><tr><th>{escape(text("sup.item", lang))}</th>'
        f'<th>{escape(text("sup.district", lang))}</th><th class="num">{escape(name("supplies.stockout_date", lang))}</th>'
        f'<th class="num">{escape(text("stockout.briefing_in", lang))}</th></tr></thead>\n<tbody>\n{chr(10).join(rows)}\n</tbody>\n</table>\n'
        f"{_more(ROWS_SHOWN, len(outlook.stockouts), lang)}"
    )


def _cover(pair: tuple[float | None, float | None], lang: str) -> str:
    before, after = (fmt.decimal(value, lang) for value in pair)
    return f"{escape(before)} → {escape(after)}"


def _quantity(outlook: SupplyOutlook, item_code: str, quantity: int, lang: str) -> str:
    unit = outlook.units.get(item_code, Name("", ""))(lang)
    return escape(f"{fmt.count(quantity, lang)} {unit}".strip())


def _transfers(b: Briefing, outlook: SupplyOutlook, lang: str) -> str:
    line = fmt.decimal(outlook.line, lang, 0)
    margin = fmt.decimal(outlook.margin, lang, 0)
    heading = (
        f"<h3 {_SUBHEAD}>{escape(text('stockout.briefing_transfers', lang, days=outlook.days, line=line, margin=margin))}</h3>\n"
    )
    if outlook.transfers is None:
        return f'{heading}<p class="more">{escape(text("stockout.transfers_one_district", lang))}</p>\n'
    if not outlook.transfers:
        return f'{heading}<p class="ok">{escape(text("stockout.briefing_no_transfers", lang))}</p>\n'
    rows = [
        f'<tr data-item="{escape(m.item_code)}"><td>{_item(b, m.item_code, lang)}</td><td>{escape(m.giver(lang))}</td>'
        f'<td>{escape(m.receiver(lang))}</td><td class="num">{_quantity(outlook, m.item_code, m.quantity, lang)}</td>'
        f'<td class="num">{_cover(m.giver_cover, lang)}</td><td class="num">{_cover(m.receiver_cover, lang)}</td></tr>'
        for m in outlook.transfers[:ROWS_SHOWN]
    ]
    return (
        f'{heading}<table class="grid transfers-table">\n<thead><tr><th>{escape(text("sup.item", lang))}</th>'
        f"<th>{escape(text('stockout.from', lang))}</th><th>{escape(text('stockout.to', lang))}</th>"
        f'<th class="num">{escape(name("supplies.transfer_quantity", lang))}</th>'
        f'<th class="num">{escape(text("stockout.briefing_giver_cover", lang))}</th>'
        f'<th class="num">{escape(text("stockout.briefing_receiver_cover", lang))}</th></tr></thead>\n'
        f"<tbody>\n{chr(10).join(rows)}\n</tbody>\n</table>\n{_more(ROWS_SHOWN, len(outlook.transfers), lang)}"
    )
