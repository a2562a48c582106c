"""Every piece of text, by message id, from one catalogue file per language.

``presentation/locales/<lang>.toml`` holds a ``[language]`` table (its own name and the
Babel locale its numbers and dates are formatted in), ``[messages]`` (message id → text,
``{name}`` fields filled from keyword arguments; ``[messages.<feature>]`` tables hold a
feature's messages under the id prefix ``<feature>.``) and one ``[metric."<key>"]`` table per
figure of the metric catalogue. Adding a language is adding a file.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path

LOCALES = Path(__file__).resolve().parent / "locales"
DEFAULT_LANGUAGE = "zh"


def _flat(table: dict, prefix: str = "") -> dict[str, str]:
    """Message id → text, a nested table's ids prefixed with its name: a feature keeps its
    texts in a table of its own (``[messages.freshness]`` ``title = …`` is ``freshness.title``)."""
    flat: dict[str, str] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            flat.update(_flat(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


@cache
def _catalogue(lang: str) -> dict:
    data = tomllib.loads((LOCALES / f"{lang}.toml").read_text(encoding="utf-8"))
    messages = _flat(data.get("messages", {}))
    for key, entry in data.get("metric", {}).items():
        for field, value in entry.items():
            messages[f"metric.{key}.{field}"] = value
    return {"language": data.get("language", {}), "messages": messages}


def _languages() -> tuple[str, ...]:
    found = sorted(path.stem for path in LOCALES.glob("*.toml"))
    # Chinese first: the command centre's language, and the default.
    return tuple(sorted(found, key=lambda lang: (lang != DEFAULT_LANGUAGE, lang)))


LANGUAGES: tuple[str, ...] = _languages()


def messages(lang: str) -> dict[str, str]:
    """All of ``lang``'s texts by message id."""
    return _catalogue(lang)["messages"]


def has(key: str, lang: str = DEFAULT_LANGUAGE) -> bool:
    return key in messages(lang)


def text(key: str, lang: str, **fields) -> str:
    """The text ``key`` in ``lang`` with ``fields`` filled in. A language that lacks the key
    falls back to the default language's text rather than failing on screen."""
    catalogue = messages(lang if lang in LANGUAGES else DEFAULT_LANGUAGE)
    template = catalogue.get(key)
    if template is None:
        template = messages(DEFAULT_LANGUAGE)[key]
    return template.format(**fields) if fields else template


def language_name(lang: str) -> str:
    """The language's name in itself (中文, English), for the language switch."""
    return _catalogue(lang)["language"].get("name", lang)


def locale_of(lang: str) -> str:
    """The Babel locale ``lang``'s numbers and dates are formatted in."""
    return _catalogue(lang)["language"].get("locale", lang)


def join(items, lang: str) -> str:
    """A list in running text: 甲、乙、丙 / a, b, c (the separator is a message)."""
    return text("list.separator", lang).join(str(item) for item in items)


def markdown_plain(value: str, limit: int = 300) -> str:
    """``value`` (a name someone typed: an area, a file) with every Markdown and HTML
    character escaped, so it shows as typed and never as a link, an image or markup."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$:])", r"\\\1", str(value).replace("\x00", ""))[:limit]
