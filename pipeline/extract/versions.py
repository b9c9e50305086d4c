"""What identifies the producer of a result, beside the model: the task's prompt and the schema.

Kept apart from ``pipeline.extract.article`` so that the cache can be consulted without loading the
openai and instructor clients: an unchanged re-run never needs them.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache

from schemas.extraction import ArticleExtraction

EXTRACT_TASK = "extract"


@cache
def response_schema_sha256() -> str:
    """A change to the response schema (its fields or their descriptions) changes the answers."""
    schema = json.dumps(ArticleExtraction.model_json_schema(), sort_keys=True)
    return hashlib.sha256(schema.encode("utf-8")).hexdigest()
