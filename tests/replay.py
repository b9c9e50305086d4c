"""Replay misses, told plainly and at once.

A request the cassettes do not hold is not a transport fault: the test fails on that request (the
client does not retry it), and says which test, model and prompt version have no recording, how
the request differs from the closest one recorded, and the command that records it.
"""

from __future__ import annotations

import difflib
import json
import shlex
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vcr.errors import CannotOverwriteExistingCassetteException

from schemas.records import PromptRef

REFERENCE_MODEL = "reference-annotations"
MAX_DIFF_LINES = 40
# How each recorded model's server is started; any other model is the user's own endpoint.
_SERVERS = {
    REFERENCE_MODEL: ("python -m tests.reference_server --port 8765 & server=$!", 8765),
    "smollm2-135m-instruct-q4_1":
        ("python -m tests.smollm2_server --port 8766 --threads 1 & server=$!   # extra smollm2",
         8766),
}


@dataclass
class ReplayLog:
    """What one test asked that no cassette holds, and the prompts it rendered."""

    misses: list[CannotOverwriteExistingCassetteException] = field(default_factory=list)
    prompts: set[PromptRef] = field(default_factory=set)


def _body(request: Any) -> Any:
    raw = getattr(request, "body", None)
    if not raw:
        return None
    try:
        return json.loads(raw)
    except (TypeError, ValueError):
        return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)


def _lines(value: Any, path: str = "") -> Iterator[str]:
    """A JSON body as one line per scalar, long strings cut at their line breaks, so that a
    one-word prompt edit shows as one changed line, not as a whole message."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _lines(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _lines(item, f"{path}[{index}]")
    elif isinstance(value, str) and "\n" in value:
        for number, line in enumerate(value.split("\n"), 1):
            yield f"{path} line {number}: {line}"
    else:
        yield f"{path}: {json.dumps(value, ensure_ascii=False)}"


def body_diff(recorded: Any, sent: Any) -> list[str]:
    """Where ``sent`` differs from ``recorded``: a short unified diff of their bodies."""
    diff = difflib.unified_diff(
        list(_lines(recorded)), list(_lines(sent)), "recorded", "sent", n=1, lineterm=""
    )
    lines = [line if len(line) <= 160 else line[:159] + "…" for line in diff]
    if len(lines) > MAX_DIFF_LINES:
        lines = [*lines[:MAX_DIFF_LINES], f"... ({len(lines) - MAX_DIFF_LINES} more lines)"]
    return lines


def _describe(miss: CannotOverwriteExistingCassetteException, root: Path) -> list[str]:
    cassette = Path(miss.cassette._path)
    where = cassette.relative_to(root) if cassette.is_relative_to(root) else cassette
    sent = _body(miss.failed_request)
    if miss.reason == "cassette_not_found" or not cassette.exists():
        return [f"there is no recording: {where} does not exist"]
    if miss.reason == "already_played":
        return [f"the same request was sent twice and {where} holds it once"]
    same_model = [
        request for request, _ok, _failed in miss.similar_requests
        if isinstance(_body(request), dict) and isinstance(sent, dict)
        and _body(request).get("model") == sent.get("model")
    ]
    if not same_model:
        return [f"{where} holds no request for this model"]
    return [f"the request differs from the recording in {where}; closest recorded request:",
            *("    " + line for line in body_diff(_body(same_model[0]), sent))]


def report(nodeid: str, log: ReplayLog, *, root: Path) -> str:
    """The failure message of a test whose requests were not all recorded."""
    first = log.misses[0]
    sent = _body(first.failed_request)
    model = sent.get("model", "?") if isinstance(sent, dict) else "?"
    prompts = ", ".join(sorted(f"{ref.id} v{ref.version}" for ref in log.prompts)) or "?"
    lines = [
        f"replay miss: {nodeid}",
        f"  model {model!r}, prompt {prompts}: {len(log.misses)} request(s) with no recording;"
        " none was retried",
        *("  " + line for line in _describe(first, root)),
        "Record it (the server must answer as that model; see README, Re-recording):",
    ]
    server = _SERVERS.get(model)
    if server is not None:
        command, port = server
        lines.append(f"  {command}")
        endpoint = f"OPENAI_BASE_URL=http://127.0.0.1:{port}/v1"
    else:
        endpoint = "OPENAI_BASE_URL=<your endpoint> OPENAI_API_KEY=<key>"
    lines.append(f"  {endpoint} NEWSEXTRACT_MODEL={model} "
                 f"pytest --record-mode=rewrite {shlex.quote(nodeid)}")
    if server is None:
        lines.append(f"  then add {model!r} to tests/recorded_models.toml to keep replaying it")
    else:
        lines.append("  kill $server")
    return "\n".join(lines)
