"""Draft a customer question from an Appendix 1 statement, for a person to review.

Customers answer on the §5.1.1 expectation scale (远低于预期 … 远高于预期), so a drafted question asks
how the item went compared with what the customer expected, not a yes/no question. The statement
says what the service must achieve ("X服务人员必须具备准确、完整地履行其岗位核心职责的能力。");
the draft names who or what the statement is about (before 必须/应) and the first thing it must
achieve (after it, skipping clauses of condition or means such as 在…前提下, 通过…, 从…出发):

    与您的预期相比，工作人员在准确、完整地履行其岗位核心职责方面做得如何？

"<service>人员" becomes 工作人员 and 顾客 becomes 您. Where no such subject and aim are found (no
必须/应, as in 4.1, 4.3 and 7 of the common template) the statement keeps its own words:
"与您的预期相比，<statement>，这一点做得如何？". The drafts are long and stiff next to the bundled
questions: a person rewrites them in plain words about the service the customer experienced. The
importer has no English for a statement, so the English question waits for a translator
(`TODO_TRANSLATE`); every drafted question is listed in `ImportResult.questions_to_review`.
"""

from __future__ import annotations

import re

QUESTION_ZH = "与您的预期相比，{subject}在{aim}方面做得如何？"
QUESTION_ZH_WHOLE = "与您的预期相比，{statement}，这一点做得如何？"
QUESTION_ZH_BLANK = "与您的预期相比，这一项做得如何？"

# 必须/应/应当/应该/需要, but not the 应 of 应对, 响应, 相应, 供应, 适应 …
_MODAL = re.compile(r"必须|应当|应该|需要|(?<![响相适供反对回感效答])应(?![对用急变答收付])")
_CLAUSE_END = re.compile(r"[，；,;]")
# clauses that say under what condition or by what means, not what is achieved
_MEANS = re.compile(r"^(在.*(前提|基础)[下上]|通过|从.*出发)")
# "在设计、安装、运行和维护的全生命周期内": when, not who
_WHEN = re.compile(r"在[^，]*[内中时下]$")
_LEADING_VERB = re.compile(r"^(能够|具备|有助于)")
_ABILITY = re.compile(r"的能力$")


def draft_question(statement: str, service: str = "") -> str:
    """The Chinese expectation question drafted from `statement` of the service `service`."""
    text = statement.strip().rstrip("。；;.")
    if service:
        text = text.replace(f"{service}人员", "工作人员")
    text = text.replace("顾客", "您")
    modal = _MODAL.search(text)
    if modal is None:
        return QUESTION_ZH_WHOLE.format(statement=text) if text else QUESTION_ZH_BLANK
    subject = _WHEN.sub("", next(iter(_what(text[: modal.start()])), ""))
    aim = _ABILITY.sub("", _LEADING_VERB.sub("", next(iter(_what(text[modal.end() :])), "")))
    if not subject or not aim:
        return QUESTION_ZH_WHOLE.format(statement=text)
    return QUESTION_ZH.format(subject=subject, aim=aim)


def _what(text: str) -> list[str]:
    """The clauses of `text` that are not a condition or a means."""
    return [clause for clause in _CLAUSE_END.split(text) if clause and not _MEANS.match(clause)]
