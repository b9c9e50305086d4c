"""What identifies the producer of a result, beside the model: the task's prompt and the schema.

Each prompt version is answered in its own response schema: v1 asks for claims as statements, v2
and later for claims as events coded with the PLOVER codebook file. A released prompt version
keeps its schema, so its cassettes and cached results stay valid.

Kept apart from ``pipeline.extract.article`` so that the cache can be consulted without loading the
openai and instructor clients: an unchanged re-run never needs them.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

from pipeline.datafiles import load_toml_model
from pipeline.errors import PromptError
from schemas.events import Codebook, event_extraction_schema
from schemas.extraction import ArticleExtraction

EXTRACT_TASK = "extract"
CODEBOOK_NAME = "plover.v2"
CODEBOOK_FILE = Path(__file__).resolve().parent.parent / "knowledge" / f"{CODEBOOK_NAME}.toml"
FIRST_EVENT_VERSION = 2  # the first prompt version whose claims carry events


@cache
def load_codebook(path: Path = CODEBOOK_FILE) -> Codebook:
    """The PLOVER codebook file; a typo in it fails loudly, naming the file and each problem."""
    return load_toml_model(
        path, Codebook, error=_codebook_error,
        fix="it is generated: fix scripts/plover_codebook.py and write a new version",
    )  # fmt: skip


def _codebook_error(message: str, *, path: Path | None = None) -> PromptError:
    return PromptError(f"{path}: not a valid codebook file: {message}", path=path)


def asks_for_events(prompt_version: int) -> bool:
    return prompt_version >= FIRST_EVENT_VERSION


@cache
def response_model(prompt_version: int) -> type[ArticleExtraction]:
    """The schema the model answers prompt ``prompt_version`` in."""
    if asks_for_events(prompt_version):
        return event_extraction_schema(load_codebook())
    return ArticleExtraction


@cache
def response_schema_sha256(prompt_version: int) -> str:
    """A change to the response schema (its fields or their descriptions) changes the answers."""
    schema = json.dumps(response_model(prompt_version).model_json_schema(), sort_keys=True)
    return hashlib.sha256(schema.encode("utf-8")).hexdigest()
