"""The words of a survey's result, explained for an audit lead: one list for /help and the workbook's
glossary sheet, so both say the same thing."""

from __future__ import annotations

from locales import N_, translator

GLOSSARY = (
    (N_("Customer experience coefficient (α)"),
     N_("How one answer counts: \"far below expectations\" counts 0.2, the next answers 0.4, 0.6 and 0.8, "
        "\"far above expectations\" 1.0. An item's α is the average over the customers who rated it; "
        "\"not applicable\" answers are left out.")),
    (N_("Item score"),
     N_("An item's points in the spec times its α. Example: an item worth 6 points with α 0.8 scores 4.8.")),
    (N_("Characteristic score"),
     N_("The sum of the item scores of one service characteristic (such as functionality); its maximum is the "
        "sum of those items' points.")),
    (N_("Service score"),
     N_("The sum of all item scores, from 0 to 100, shown with one decimal. The grade is decided on the number "
        "shown. Only submitted responses count.")),
    (N_("95% confidence interval"),
     N_("The range in which the score of all the organization's customers very likely lies (95 times in 100), "
        "judged from those who answered. More responses make it narrower.")),
    (N_("Provisional / settled"),
     N_("Provisional: the interval still reaches over a grade line, so more responses could change the grade; "
        "the summary says about how many more would settle it. Settled: the whole interval lies within one "
        "grade, so more responses would hardly change it.")),
    (N_("Management total and management level"),
     N_("You rate each management requirement of the spec from level 1 to 5 (/maturity). The total adds up "
        "each requirement's points × level ÷ 5; the total decides the management level, from 一级 to 五级.")),
    (N_("Certification result"),
     N_("The grade the organization is certified at. It needs both a high enough service score and a high "
        "enough management level; when the management level holds back a higher service grade, the result "
        "says so.")),
)


def glossary(language: str) -> list[tuple[str, str]]:
    """(term, plain explanation) pairs in `language`, in the order a lead meets them."""
    _ = translator(language).gettext
    return [(_(term), _(explanation)) for term, explanation in GLOSSARY]
