"""A spec revision: the exact spec a survey is pinned to, as canonical JSON, and that text's SHA-256.

The stored copy is the canonical JSON of the validated `Spec` (sorted keys, no spaces, UTF-8, fields
left out where they hold their default), not the YAML text: comments, key order, quoting or a field
the model gains later with a default do not make a new revision, while any change to what the model
holds (a weight, a question, a grade) does; and the copy reads back with `Spec.model_validate_json`,
without the YAML loader.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from specs.model import Spec


@dataclass(frozen=True)
class Revision:
    spec: Spec
    content: str  # canonical JSON
    sha256: str  # of `content` in UTF-8, hex


def revision_of(spec: Spec) -> Revision:
    content = json.dumps(spec.model_dump(mode="json", exclude_defaults=True), sort_keys=True,
                         separators=(",", ":"), ensure_ascii=False)
    return Revision(spec, content, hashlib.sha256(content.encode("utf-8")).hexdigest())


def spec_of_content(content: str) -> Spec:
    """The spec a stored revision holds."""
    return Spec.model_validate_json(content)
