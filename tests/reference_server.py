"""An OpenAI-compatible chat server that answers with the hand-made reference annotations.

It is no model: it finds which seed article a request carries, counts the assistant messages to know
which attempt this is (instructor's re-asks append one each), and replays
``seeds/reference/<stem>.json`` ``answers[attempt - 1]`` (the last one once the list runs out),
shaped like the request: a tool call when it sends ``tools``, JSON content otherwise. It calls
itself ``reference-annotations`` and refuses any other model name, so nothing recorded against it
can pass for a real model's answer.

Usage counts are estimates, ceil(characters / 4): there is no tokenizer. ``cached_tokens``
imitates OpenAI's documented prompt caching, it measures no cache: when the request's static prefix
(tools, response_format and the messages before the first user message) was seen before by this
process and is at least 1024 estimated tokens, its estimate rounded down to a multiple of 128 is
reported as cached. ``reasoning_tokens`` is always 0: nothing here reasons.

A request that carries part of a seed (a chunk of a long document) or a seed's text as an HTML
extractor left it (lines dropped, spacing changed), or parts of several seeds, is answered with the
annotations whose passages stand in the text it sent: the quotes and claims found there (through
the pipeline's own normalized matching), their speakers and asserters, and the actors named there.
The planted inventions of a seed, printed nowhere, go with the part that holds its first quote.
Such answers come from the seed's last answer (the corrected one).

An answer longer than the request's ``max_tokens`` (at four characters a token) is cut there and
ends with ``finish_reason: length``, as a real server's would.

For retry tests, a request with the header ``X-Reference-Faults: 429,503`` gets, at the n-th arrival
of the same body, the n-th listed status (429 with ``Retry-After: 1``); later arrivals are answered.
An entry ``unsupported_parameter:max_tokens`` (or ``unsupported_value:temperature``) answers the
400 OpenAI gives a reasoning model that is sent that parameter, with its ``param`` and ``code``.

Run ``python -m tests.reference_server --port 8765`` from the repository root; tests use
``serve_in_thread()``.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import logging
import math
import re
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from pipeline.extract.grounding import GroundingIndex
from schemas.extraction import name_key
from tests.reference_annotation import ReferenceAnnotation

logger = logging.getLogger(__name__)

MODEL = "reference-annotations"
HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = ROOT / "seeds"
FAULTS_HEADER = "X-Reference-Faults"
CHARS_PER_TOKEN = 4
_COMPLETIONS_PATHS = frozenset({"/v1/chat/completions", "/chat/completions"})
_MODELS_PATHS = frozenset({"/v1/models", "/models"})
# The name of the event model in the JSON schema of prompt v2's response (schemas/events.py).
EVENT_SCHEMA_MARK = "ClaimEvent"


class AnnotationError(Exception):
    """An annotation file that does not fit its seed: the server refuses to start."""


class ApiError(Exception):
    """A request the server refuses, answered as an OpenAI-style error body."""

    def __init__(self, status: int, message: str, *, code: str | None,
                 error_type: str = "invalid_request_error",
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.error_type = error_type
        self.headers = headers or {}
        self.param: str | None = None

    def body(self) -> dict[str, Any]:
        return {"error": {"message": self.message, "type": self.error_type, "param": self.param,
                          "code": self.code}}


@dataclass(frozen=True)
class ReferenceArticle:
    """A seed article's text as read from disk, with its annotation."""

    name: str
    text: str
    annotation: ReferenceAnnotation

    @property
    def needle(self) -> str:
        # Stripped, so that a client that trims the article's edges still finds it.
        return self.text.strip()

    def passages_in(self, sent: GroundingIndex, *, whole: bool) -> dict[str, Any]:
        """The last answer narrowed to what ``sent`` prints (everything, when ``whole``)."""
        answer: dict[str, Any] = self.annotation.answers[-1]
        if whole:
            return answer
        seed = _index(self.text)
        in_seed = [item for item in answer["quotes"] if seed.locate(str(item["text"]))]
        anchored = bool(in_seed) and sent.locate(str(in_seed[0]["text"])) is not None

        def kept(text: str) -> bool:
            return sent.locate(text) is not None or (anchored and seed.locate(text) is None)

        quotes = [q for q in answer["quotes"] if kept(str(q["text"]))]
        claims = [c for c in answer["claims"] if kept(str(c["evidence"]))]
        named = {name_key(str(q["speaker"])) for q in quotes}
        named |= {name_key(str(c["asserted_by"])) for c in claims if c.get("asserted_by")}
        actors = []
        for actor in answer["actors"]:
            names = [str(actor["name"]), *(str(alias) for alias in actor.get("aliases") or [])]
            if any(name_key(name) in named or kept(name) for name in names):
                actors.append(actor)
        return {"actors": actors, "quotes": quotes, "claims": claims}


@functools.lru_cache(maxsize=64)
def _index(text: str) -> GroundingIndex:
    return GroundingIndex(text)


def load_references(*, seeds_dir: Path = SEEDS_DIR) -> list[ReferenceArticle]:
    """Every annotated seed; an annotation whose article or hash does not match fails loudly."""
    references = []
    for path in sorted((seeds_dir / "reference").glob("*.json")):
        try:
            annotation = ReferenceAnnotation.model_validate_json(path.read_bytes())
        except ValueError as exc:
            raise AnnotationError(f"{path}: not a valid annotation file: {exc}") from exc
        seed = seeds_dir / annotation.article
        if annotation.article != f"{path.stem}.txt" or not seed.is_file():
            raise AnnotationError(
                f"{path}: 'article' is {annotation.article!r}; it must name the seed "
                f"{path.stem}.txt in {seeds_dir}"
            )
        data = seed.read_bytes()
        if hashlib.sha256(data).hexdigest() != annotation.sha256:
            raise AnnotationError(
                f"{path}: sha256 does not match {seed.name}; the seed changed since it was "
                "annotated: re-read the article, update the answers, then the hash"
            )
        references.append(ReferenceArticle(seed.name, data.decode("utf-8"), annotation))
    if not references:
        raise AnnotationError(f"no annotation files under {seeds_dir / 'reference'}")
    return references


@dataclass
class FaultPlan:
    """Which arrival of a request body gets which injected status.

    Arrivals are counted per sha256 of the body and the header, and only those carrying the
    faults header, so the outcome of one request does not depend on what else the server is
    answering meanwhile. A ``;scope=<token>`` suffix (``429,503;scope=run-7``) starts a fresh count,
    so that a test can be recorded again without restarting the server.
    """

    _arrivals: Counter[str] = field(default_factory=Counter)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def next_fault(self, body: bytes, header: str) -> int | str | None:
        statuses = parse_faults(header.partition(";")[0])
        key = hashlib.sha256(header.encode("utf-8") + b"\0" + body).hexdigest()
        with self._lock:
            self._arrivals[key] += 1
            arrival = self._arrivals[key]
        return statuses[arrival - 1] if arrival <= len(statuses) else None


# OpenAI's wording for the parameters its reasoning models refuse (as reported in 2025-2026).
_REFUSED_PARAMETERS = {
    "unsupported_parameter:max_tokens": "Unsupported parameter: 'max_tokens' is not supported "
    "with this model. Use 'max_completion_tokens' instead.",
    "unsupported_value:temperature": "Unsupported value: 'temperature' does not support 0 with "
    "this model. Only the default (1) value is supported.",
}


def parse_faults(header: str) -> list[int | str]:
    """'429, 503' -> [429, 503]; also the names in _REFUSED_PARAMETERS; anything else is refused."""
    parts = [part.strip() for part in header.split(",") if part.strip()]
    faults: list[int | str] = []
    for part in parts:
        if part in _REFUSED_PARAMETERS:
            faults.append(part)
        elif part.isdigit() and 400 <= int(part) <= 599:
            faults.append(int(part))
        else:
            faults = []
            break
    if not faults:
        raise ApiError(
            400, f"{FAULTS_HEADER} must list HTTP error statuses like '429,503' or one of "
            f"{sorted(_REFUSED_PARAMETERS)}, got {header!r}", code="invalid_fault_header",
        )
    return faults


def fault_error(status: int | str, arrival_note: str) -> ApiError:
    if isinstance(status, str):
        code, _, param = status.partition(":")
        error = ApiError(400, _REFUSED_PARAMETERS[status], code=code)
        error.param = param
        return error
    if status == 429:
        return ApiError(429, f"Rate limit reached (injected fault, {arrival_note}).",
                        code="rate_limit_exceeded", error_type="requests",
                        headers={"Retry-After": "1"})
    error_type = "server_error" if status >= 500 else "invalid_request_error"
    return ApiError(status, f"Injected fault HTTP {status} ({arrival_note}).",
                    code="injected_fault", error_type=error_type)


def estimate_tokens(characters: int) -> int:
    """ceil(characters / 4): no tokenizer here, so usage is an estimate, never a count."""
    return math.ceil(characters / CHARS_PER_TOKEN)


def _texts(content: Any) -> list[str]:
    """The text of a message's content: a string, or the text parts of a list of parts."""
    if isinstance(content, str):
        return [content]
    if isinstance(content, list):
        return [part["text"] for part in content
                if isinstance(part, dict) and isinstance(part.get("text"), str)]
    return []


def _prompt_characters(request: dict[str, Any]) -> int:
    total = 0
    for message in request.get("messages", []):
        total += sum(len(text) for text in _texts(message.get("content")))
        for call in message.get("tool_calls") or []:
            total += len(str(call.get("function", {}).get("arguments", "")))
    for key in ("tools", "response_format"):
        if key in request:
            total += len(json.dumps(request[key]))
    return total


def static_prefix(request: dict[str, Any]) -> str:
    """What stays the same from article to article: the schema, then the system messages."""
    parts = [json.dumps(request[key], sort_keys=True) for key in ("tools", "response_format")
             if key in request]
    for message in request.get("messages", []):
        if message.get("role") == "user":
            break
        parts += _texts(message.get("content"))
    return "\n".join(parts)


def _tool_name(request: dict[str, Any]) -> str:
    """The function the request forces with tool_choice, else its first tool."""
    choice = request.get("tool_choice")
    if isinstance(choice, dict) and isinstance(choice.get("function", {}).get("name"), str):
        return str(choice["function"]["name"])
    tools = request["tools"]
    try:
        return str(tools[0]["function"]["name"])
    except (IndexError, KeyError, TypeError) as exc:
        raise ApiError(400, "'tools' must be a list of function tools with a name",
                       code="invalid_tools") from exc


@dataclass
class Reply:
    """What the handler sends, and what it logs."""

    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    article: str = "-"
    attempt: int | None = None


@dataclass
class ReferenceService:
    """The server's logic, free of HTTP: one request body in, one reply out."""

    references: list[ReferenceArticle]
    latency_ms: int = 0
    faults: FaultPlan = field(default_factory=FaultPlan)
    started: int = field(default_factory=lambda: int(time.time()))
    prefixes_seen: set[str] = field(default_factory=set)
    _prefix_lock: threading.Lock = field(default_factory=threading.Lock)

    def models(self) -> dict[str, Any]:
        return {"object": "list", "data": [self.model_card()]}

    def model_card(self) -> dict[str, Any]:
        return {"id": MODEL, "object": "model", "created": self.started, "owned_by": "newsextract"}

    def complete(self, body: bytes, *, faults_header: str | None = None) -> Reply:
        """Answer one chat completion request; refusals become OpenAI-style error replies."""
        reply = Reply(status=200, body={})
        try:
            reply.body = self._complete(body, faults_header, reply)
        except ApiError as exc:
            reply.status, reply.body, reply.headers = exc.status, exc.body(), exc.headers
        except Exception as exc:  # a bug of this server: say so rather than drop the connection
            logger.exception("reference server failed on a request")
            error = ApiError(500, f"reference server bug: {type(exc).__name__}: {exc}",
                             code="reference_server_bug", error_type="server_error")
            reply.status, reply.body = error.status, error.body()
        return reply

    def _complete(self, body: bytes, faults_header: str | None, reply: Reply) -> dict[str, Any]:
        request = _parse_request(body)
        if faults_header and (status := self.faults.next_fault(body, faults_header)) is not None:
            raise fault_error(status, f"listed in {FAULTS_HEADER}: {faults_header}")
        if request.get("stream"):
            raise ApiError(400, "stream=true is not supported by the reference server",
                           code="unsupported_parameter")
        reply.attempt = 1 + sum(1 for m in request["messages"] if m.get("role") == "assistant")
        partial = self.partial_answer(request["messages"])
        if partial is None:
            reference = self.find_article(request["messages"])
            reply.article = reference.name
            content = reference.annotation.answer_for_attempt(reply.attempt)
        else:
            reply.article, content = partial
        answer = json.dumps(in_requested_schema(content, request), ensure_ascii=False)
        if self.latency_ms:
            time.sleep(self.latency_ms / 1000)
        completion = _completion(request, answer, digest=hashlib.sha256(body).hexdigest())
        cached = self.cached_tokens(request)
        completion["usage"]["prompt_tokens_details"] = {"cached_tokens": cached}
        return completion

    def cached_tokens(self, request: dict[str, Any]) -> int:
        """OpenAI's documented rule, imitated: a prefix of 1024+ tokens seen before is cached in
        steps of 128. Estimated like every count here; nothing is cached."""
        prefix = static_prefix(request)
        digest = hashlib.sha256(prefix.encode("utf-8")).hexdigest()
        with self._prefix_lock:
            seen = digest in self.prefixes_seen
            self.prefixes_seen.add(digest)
        tokens = estimate_tokens(len(prefix))
        return tokens // 128 * 128 if seen and tokens >= 1024 else 0

    def partial_answer(self, messages: list[dict[str, Any]]) -> tuple[str, dict[str, Any]] | None:
        """For text that is not exactly one seed: the annotations whose passages it prints,
        from every seed it holds part of; None when it is one whole seed (or nothing known)."""
        sent = _sent_article(messages)
        whole = [ref for ref in self.references if ref.needle in sent]
        rest = sent
        for ref in whole:
            rest = rest.replace(ref.needle, "\n")
        index = _index(rest)
        parts = [(ref, ref.passages_in(index, whole=False))
                 for ref in self.references if ref not in whole]
        found = [(ref, part) for ref, part in parts if part["quotes"] or part["claims"]]
        if len(whole) == 1 and not found:
            return None
        if not whole and not found:
            return None  # find_article names the annotated seeds
        merged: dict[str, Any] = {"actors": [], "quotes": [], "claims": []}
        by_name: dict[str, dict[str, Any]] = {}
        contributions = [(ref, ref.passages_in(index, whole=True)) for ref in whole] + found
        contributions.sort(key=lambda pair: self.references.index(pair[0]))
        for _, part in contributions:
            for actor in part["actors"]:
                kept = by_name.get(name_key(str(actor["name"])))
                if kept is None:  # one actor a name, its aliases from every seed that names it
                    kept = by_name[name_key(str(actor["name"]))] = {**actor}
                    merged["actors"].append(kept)
                else:
                    aliases = [*(kept.get("aliases") or []), *(actor.get("aliases") or [])]
                    kept["aliases"] = list(dict.fromkeys(aliases))
            merged["quotes"] += part["quotes"]
            merged["claims"] += part["claims"]
        label = "+".join(("" if ref in whole else "part of ") + ref.name
                         for ref, _ in contributions)
        return label, merged

    def find_article(self, messages: list[dict[str, Any]]) -> ReferenceArticle:
        """The annotated seed whose text stands in a message, extra text around it allowed."""
        texts = [text for message in messages for text in _texts(message.get("content"))]
        found = [ref for ref in self.references if any(ref.needle in text for text in texts)]
        if len(found) == 1:
            return found[0]
        if found:
            raise ApiError(400, "the messages carry several annotated articles ("
                           + ", ".join(ref.name for ref in found) + "); send one per request",
                           code="ambiguous_article")
        raise ApiError(
            400, "no annotated article is in the messages; this server answers only for "
            + ", ".join(ref.name for ref in self.references)
            + " (the seed text must appear whole in a message)", code="no_annotation",
        )


def asks_for_events(request: dict[str, Any]) -> bool:
    """Whether the request's response schema gives claims an event (prompt v2 and later)."""
    return EVENT_SCHEMA_MARK in json.dumps(
        [request.get("tools"), request.get("response_format"), request.get("messages")])


def in_requested_schema(answer: dict[str, Any], request: dict[str, Any]) -> dict[str, Any]:
    """The annotation's claims carry events; a request whose schema has none gets them without,
    as a model answering that schema would."""
    if asks_for_events(request) or not isinstance(answer.get("claims"), list):
        return answer
    claims = [{k: v for k, v in claim.items() if k != "event"} if isinstance(claim, dict)
              else claim for claim in answer["claims"]]
    return {**answer, "claims": claims}


_ARTICLE_TAGS = re.compile(r"<article>\n?(.*?)\n?</article>", re.DOTALL)


def _sent_article(messages: list[dict[str, Any]]) -> str:
    """The article the request carries: inside <article> tags of the prompt, else every text."""
    texts = [text for message in messages if message.get("role") == "user"
             for text in _texts(message.get("content"))]
    for text in texts:
        if (found := _ARTICLE_TAGS.search(text)) is not None:
            return found.group(1)
    return "\n".join(texts)


def model_not_found(model: object) -> ApiError:
    """Any other model name is refused: these answers must never pass for a real model's."""
    return ApiError(
        404, f"The model {model!r} does not exist on this server: it answers only as "
        f"{MODEL!r}, from the hand-made annotations in seeds/reference/.",
        code="model_not_found",
    )


def _parse_request(body: bytes) -> dict[str, Any]:
    try:
        request = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ApiError(400, f"the body is not JSON: {exc}", code="invalid_json") from exc
    if not isinstance(request, dict):
        raise ApiError(400, "the body must be a JSON object", code="invalid_json")
    model = request.get("model")
    if model != MODEL:
        raise model_not_found(model)
    messages = request.get("messages")
    if not isinstance(messages, list) or not all(isinstance(m, dict) for m in messages):
        raise ApiError(400, "'messages' must be a list of message objects",
                       code="invalid_messages")
    return request


def _completion(request: dict[str, Any], answer: str, *, digest: str) -> dict[str, Any]:
    """A chat.completion in the request's shape: a forced tool call, or JSON content."""
    finish_reason = "stop"
    limit = request.get("max_tokens") or request.get("max_completion_tokens")
    if isinstance(limit, int) and estimate_tokens(len(answer)) > limit:
        answer = answer[: limit * CHARS_PER_TOKEN]  # what a model that ran out of tokens sends
        finish_reason = "length"
    message: dict[str, Any] = {"role": "assistant", "content": answer, "refusal": None}
    if request.get("tools"):
        message["content"] = None
        message["tool_calls"] = [{
            "id": f"call_{digest[24:48]}", "type": "function",
            "function": {"name": _tool_name(request), "arguments": answer},
        }]
        if finish_reason != "length":
            finish_reason = "tool_calls"
    prompt_tokens = estimate_tokens(_prompt_characters(request))
    completion_tokens = estimate_tokens(len(answer))
    return {
        "id": f"chatcmpl-{digest[:24]}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": MODEL,
        "choices": [{"index": 0, "message": message, "logprobs": None,
                     "finish_reason": finish_reason}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                  "total_tokens": prompt_tokens + completion_tokens,
                  "completion_tokens_details": {"reasoning_tokens": 0}},
    }


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the openai client expects
    # http.server writes a reply's headers and body in two send() calls; with Nagle's algorithm on,
    # the body waits for the client's delayed ACK, about 40 ms a call on a kept-alive connection.
    # Real servers (uvicorn, nginx, vLLM) set TCP_NODELAY too.
    disable_nagle_algorithm = True
    server: ReferenceServer
    timeout = 60  # an idle kept-alive connection frees its thread after this

    def do_GET(self) -> None:
        started = time.perf_counter()
        path = self._route()
        service = self.server.service
        parent, _, model = path.rpartition("/")
        if path in _MODELS_PATHS:
            reply = Reply(200, service.models())
        elif parent in _MODELS_PATHS and model == MODEL:
            reply = Reply(200, service.model_card())
        elif parent in _MODELS_PATHS:
            reply = Reply(404, model_not_found(model).body())
        else:
            reply = self._not_found(path)
        self._send(reply, started)

    def do_POST(self) -> None:
        started = time.perf_counter()
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = 0
            self.close_connection = True  # the body's end is unknown: the stream is out of step
        body = self.rfile.read(length) if length > 0 else b""
        path = self._route()
        faults = self.headers.get(FAULTS_HEADER)
        if path in _COMPLETIONS_PATHS:
            reply = self.server.service.complete(body, faults_header=faults)
        else:
            reply = self._not_found(path)
        self._send(reply, started)

    def _route(self) -> str:
        return self.path.split("?", 1)[0].rstrip("/")

    def _not_found(self, path: str) -> Reply:
        error = ApiError(404, f"Invalid URL ({self.command} {path}); this server serves "
                         "POST /v1/chat/completions and GET /v1/models", code="unknown_url")
        return Reply(error.status, error.body())

    def _send(self, reply: Reply, started: float) -> None:
        data = json.dumps(reply.body, ensure_ascii=False).encode("utf-8")
        # Logged before the reply leaves, so that a client holding the reply finds the line.
        # Neither headers nor the query string are logged: a key must not reach a log.
        logger.info("%s %s article=%s attempt=%s status=%d ms=%.1f", self.command,
                    self.path.split("?", 1)[0], reply.article, reply.attempt or "-",
                    reply.status, (time.perf_counter() - started) * 1000)
        self.send_response(reply.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        """Silence http.server's own access log; ``_send`` writes one line per request."""


class ReferenceServer(ThreadingHTTPServer):
    """Threaded, so that a batch of requests with --latency-ms overlaps instead of queueing."""

    daemon_threads = True
    request_queue_size = 512  # a benchmark opens hundreds of connections at once

    def __init__(self, port: int, service: ReferenceService) -> None:
        super().__init__((HOST, port), _Handler)
        self.service = service

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}/v1"


def make_server(*, port: int = 0, latency_ms: int = 0,
                seeds_dir: Path = SEEDS_DIR) -> ReferenceServer:
    """A bound server (port 0: any free port), not yet serving."""
    references = load_references(seeds_dir=seeds_dir)
    return ReferenceServer(port, ReferenceService(references, latency_ms=latency_ms))


@contextmanager
def serve_in_thread(*, latency_ms: int = 0, seeds_dir: Path = SEEDS_DIR) -> Iterator[str]:
    """Serve on a free loopback port in a background thread; yields the base URL ('.../v1')."""
    server = make_server(latency_ms=latency_ms, seeds_dir=seeds_dir)
    # A short poll interval: shutdown() waits for it, and tests start many servers.
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              name="reference-server", daemon=True)
    thread.start()
    try:
        yield server.base_url
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.reference_server",
        description=f"Serve the hand-made reference annotations as model {MODEL!r} on "
        f"{HOST} (OpenAI-compatible: POST /v1/chat/completions, GET /v1/models).",
        epilog="Usage tokens are estimated as ceil(characters / 4): there is no tokenizer. "
        f"Header {FAULTS_HEADER}: 429,503 injects those statuses at the first arrivals of a "
        "request body, for retry tests.",
    )
    parser.add_argument("--port", type=int, default=8765, help="port to bind on 127.0.0.1 "
                        "(default: 8765; 0 picks a free one)")
    parser.add_argument("--latency-ms", type=int, default=0, metavar="M",
                        help="sleep M milliseconds before each answer (default: 0)")
    args = parser.parse_args(argv)
    if args.latency_ms < 0:
        parser.error("--latency-ms must be 0 or more")
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(message)s")
    try:
        server = make_server(port=args.port, latency_ms=args.latency_ms)
    except AnnotationError as exc:
        parser.exit(2, f"error: {exc}\n")
    except OSError as exc:
        parser.exit(2, f"error: cannot bind {HOST}:{args.port}: {exc.strerror}\n")
    articles = len(server.service.references)
    logger.info("serving %s (%d articles) on %s", MODEL, articles, server.base_url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
