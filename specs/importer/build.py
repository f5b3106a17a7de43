"""Turn a parsed spec document into the spec dict that `Spec.model_validate` and the YAML file take.

Texts are the document's Chinese; English comes from the fixed vocabulary, from `service_en`,
or is the `TODO_TRANSLATE` placeholder (the bot shows the Chinese in its place).

Customer questions are drafted from the statements as expectation questions ("与您的预期相比，…做得
如何？", see `specs.importer.questions`) for a person to review and rewrite in the spec file.
"""

from __future__ import annotations

from typing import Any

from specs.importer.parse import ParsedDocument
from specs.importer.questions import draft_question
from specs.importer.vocabulary import english
from specs.model import TODO_TRANSLATE


def spec_dict(parsed: ParsedDocument, spec_id: str, service_en: str | None) -> dict[str, Any]:
    front = parsed.front
    data: dict[str, Any] = {
        "id": spec_id,
        "document": front.document,
        "version": front.version,
        "issued": front.issued.isoformat() if front.issued else None,
        "effective": front.effective.isoformat() if front.effective else None,
    }
    if front.first_issued is not None:
        data["first_issued"] = front.first_issued.isoformat()
    if front.revision is not None:
        data["revision"] = front.revision
    data["service"] = _text(front.service or "", service_en or TODO_TRANSLATE)
    data["references"] = [{"code": code, "title": title} for code, title in parsed.references]
    data["scale"] = [
        {"rating": p.rating, "label": _term(p.label), "low": p.low, "high": p.high, "alpha": p.high}
        for p in parsed.scale
    ]
    data["characteristics"] = [
        {
            "code": c.code,
            "name": _term(c.name),
            "max": c.declared_max,
            "items": [
                {
                    "code": item.code,
                    "dimension": _term(item.dimension),
                    "weight": item.weight,
                    "statement": _text(item.statement),
                    "question": _text(draft_question(item.statement, front.service or "")),
                }
                for item in c.items
            ],
        }
        for c in parsed.characteristics
    ]
    data["management"] = [
        {
            "code": group.code,
            "name": _text(group.name or ""),
            "requirements": [
                {"code": r.code, "name": _text(r.name), "weight": r.weight} for r in group.requirements
            ],
            "level_descriptions": [_text(text) for text in parsed.level_descriptions.get(group.code, [])],
        }
        for group in parsed.groups
    ]
    data["management_levels"] = [
        {"level": rule.level, "label": _term(rule.label), "min_total": rule.min_total}
        for rule in parsed.management.levels
    ]
    data["management_max"] = parsed.management.maximum
    data["certification"] = [
        {
            "grade": _term(row.grade) if row.grade is not None else None,
            "min_service": row.min_service,
            "min_management_level": row.min_management_level,
        }
        for row in parsed.certification
    ]
    return data


def _text(zh: str, en: str = TODO_TRANSLATE) -> dict[str, str]:
    return {"zh": zh, "en": en}


def _term(zh: str) -> dict[str, str]:
    return _text(zh, english(zh))
