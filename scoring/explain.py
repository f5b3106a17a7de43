"""The certification result in words, for the audit lead: why this grade and what held it back."""

from __future__ import annotations

from locales import translator
from scoring.certification import Certification
from specs.model import Spec


def level_label(spec: Spec, level: int | None, language: str) -> str:
    """'三级' for level 3; 'below 一级' when the management total does not reach level 1."""
    _ = translator(language).gettext
    if level is None:
        return _("below {lowest}").format(lowest=spec.management_levels[0].label.in_language(language))
    return spec.management_levels[level - 1].label.in_language(language)


def explain_certification(spec: Spec, result: Certification, language: str) -> str:
    """One sentence, e.g. 'Service score 96.0 reaches 五星级; management level 三级 limits the result
    to 三星级.' Grade and level labels are spec data, shown in `language`."""
    _ = translator(language).gettext
    values = {
        "score": str(result.service_score),
        "level": level_label(spec, result.management_level, language),
        "grade": result.grade.in_language(language) if result.grade else "",
        "service_grade": result.service_grade.in_language(language) if result.service_grade else "",
    }
    lowest_row = spec.certification[-1]
    if result.capped_by_management and result.grade is not None:
        text = _("Service score {score} reaches {service_grade}; "
                 "management level {level} limits the result to {grade}.")
    elif result.capped_by_management and result.certified:
        text = _("Service score {score} reaches {service_grade}; "
                 "management level {level} limits the result to certification without a grade.")
    elif result.capped_by_management:
        text = _("Service score {score} reaches {service_grade}, "
                 "but management level {level} is below {required}: not certified.")
    elif result.grade is not None:
        text = _("Service score {score} and management level {level} give {grade}.")
    elif result.certified:
        text = _("Service score {score} and management level {level}: certified without a grade.")
    elif result.service_score < lowest_row.min_service:
        text = _("Service score {score} is below {minimum} points: not certified.")
    else:
        text = _("Management level {level} is below {required}: not certified.")
    return text.format(
        **values,
        minimum=f"{lowest_row.min_service:g}",
        required=level_label(spec, lowest_row.min_management_level, language),
    )
