"""Place names for the fictional sample city, in Chinese with their pinyin."""

from __future__ import annotations

import numpy as np

CITY_NAME = ("清河市（示例）", "Qinghe City (sample)")

# (汉字, pinyin) syllables that read like place names; the apostrophe in Xi'an-style
# spellings and names with spaces are kept on purpose (awkward cases for tests).
SYLLABLES: tuple[tuple[str, str], ...] = (
    ("清", "Qing"),
    ("河", "he"),
    ("安", "an"),
    ("平", "Ping"),
    ("东", "Dong"),
    ("西", "Xi"),
    ("南", "Nan"),
    ("北", "Bei"),
    ("新", "Xin"),
    ("华", "Hua"),
    ("明", "Ming"),
    ("光", "Guang"),
    ("长", "Chang"),
    ("兴", "Xing"),
    ("和", "He"),
    ("丰", "Feng"),
    ("宁", "Ning"),
    ("泰", "Tai"),
    ("阳", "Yang"),
    ("城", "Cheng"),
    ("桥", "Qiao"),
    ("湖", "Hu"),
    ("山", "Shan"),
    ("林", "Lin"),
    ("金", "Jin"),
    ("水", "Shui"),
    ("凤", "Feng"),
    ("龙", "Long"),
    ("云", "Yun"),
    ("石", "Shi"),
    ("福", "Fu"),
    ("康", "Kang"),
    ("瑞", "Rui"),
    ("嘉", "Jia"),
    ("义", "Yi"),
    ("文", "Wen"),
    ("昌", "Chang"),
    ("盛", "Sheng"),
    ("顺", "Shun"),
    ("永", "Yong"),
    ("庆", "Qing"),
    ("汇", "Hui"),
)

DISTRICT_SUFFIX = (("区", "District"), ("县", "County"))
STREET_SUFFIX = (("街道", "Subdistrict"), ("镇", "Town"), ("乡", "Township"))
COMMUNITY_SUFFIX = (("社区", "Community"), ("村", "Village"))
COMPOUND_SUFFIX = (("小区", "Estate"), ("自然村", "Hamlet"), ("院落", "Courtyard"))


def _pinyin_join(first: str, second: str) -> str:
    # Pinyin inserts an apostrophe before a syllable that starts with a vowel (Xi'an).
    joiner = "'" if second[0].lower() in "aeo" else ""
    return first + joiner + second.lower()


class NameMaker:
    """Draws distinct two-syllable names from a seeded generator."""

    def __init__(self, rng: np.random.Generator) -> None:
        self._rng = rng
        self._used: set[str] = set()

    def make(self, suffix: tuple[str, str]) -> tuple[str, str]:
        for _ in range(200):
            a, b = self._rng.choice(len(SYLLABLES), size=2, replace=False)
            zh = SYLLABLES[a][0] + SYLLABLES[b][0] + suffix[0]
            if zh not in self._used:
                break
        else:  # ran out of distinct pairs: number them
            zh = f"{SYLLABLES[a][0]}{SYLLABLES[b][0]}{len(self._used)}{suffix[0]}"
        self._used.add(zh)
        en = _pinyin_join(SYLLABLES[a][1].capitalize(), SYLLABLES[b][1]) + " " + suffix[1]
        return zh, en
