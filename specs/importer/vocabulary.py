"""English for the fixed vocabulary of the certification body's template; anything else waits for a
translator (`TODO_TRANSLATE`)."""

from __future__ import annotations

import re

from specs.model import TODO_TRANSLATE

_ENGLISH = {
    # characteristics (Appendix 1)
    "功能性": "Functionality",
    "安全性": "Safety",
    "时间性": "Timeliness",
    "舒适性": "Comfort",
    "经济性": "Economy",
    "文明性": "Civility",
    "服务规范": "Service Specification",
    # dimensions (Appendix 1)
    "人员": "Personnel",
    "设备设施": "Equipment and facilities",
    "环境": "Environment",
    "制定服务规范": "Service specification",
    # the §5.1.1 scale
    "远低于预期": "Far below expectations",
    "低于预期": "Below expectations",
    "符合预期": "Meets expectations",
    "高于预期": "Above expectations",
    "远高于预期": "Far above expectations",
    # management levels
    "一级": "Level 1",
    "二级": "Level 2",
    "三级": "Level 3",
    "四级": "Level 4",
    "五级": "Level 5",
}
_STARS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5}
_STAR_GRADE = re.compile(r"^([一二三四五])星级$")
_LETTER_GRADE = re.compile(r"^(A{1,5})级$")


def english(zh: str) -> str:
    """The English of a fixed term or grade label (三星级 → 3-star, AAA级 → AAA), else the placeholder."""
    if zh in _ENGLISH:
        return _ENGLISH[zh]
    if match := _STAR_GRADE.match(zh):
        return f"{_STARS[match.group(1)]}-star"
    if match := _LETTER_GRADE.match(zh):
        return match.group(1)
    return TODO_TRANSLATE
