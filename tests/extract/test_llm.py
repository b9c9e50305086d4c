"""The model door: transport retries (tenacity), re-asks (instructor), errors translated once.

These tests put an in-memory transport under the real openai client, so every byte instructor and
openai send is real, and failures that a cassette cannot hold (resets, timeouts) are exact.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import httpx2
import pytest

from pipeline.errors import (
    AnswerTooLargeError,
    ConfigurationError,
    EndpointDownError,
    ExtractionFailedError,
    LLMError,
    TransportError,
)
from pipeline.extract.article import Extractor
from pipeline.extract.llm import LLMClient, RetryPolicy
from pipeline.settings import Settings, StructuredMode
from schemas.extraction import ArticleExtraction
from schemas.records import RejectedKind, RejectionReason

ARTICLE = "Officials met in Vienna. “We will not back down,” Minister Anna Berg said on Monday."
GOOD_ANSWER = {
    "actors": [{"name": "Anna Berg", "kind": "person", "title": "Minister", "aliases": []}],
    "quotes": [
        {"text": "We will not back down,", "speaker": "Anna Berg", "kind": "direct", "cue": "said"}
    ],
    "claims": [],
}

Handler = Callable[[httpx2.Request], httpx2.Response]


def completion(
    answer: dict[str, Any], *, mode: StructuredMode = StructuredMode.TOOLS
) -> dict[str, Any]:
    """An OpenAI chat completion carrying ``answer`` the way ``mode`` expects it."""
    arguments = json.dumps(answer)
    if mode is StructuredMode.TOOLS:
        message: dict[str, Any] = {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "ArticleExtraction", "arguments": arguments},
                }
            ],
        }
    else:
        message = {"role": "assistant", "content": arguments}
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 0,
        "model": "test-model",
        "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
    }


class Script:
    """Answers requests in order from a list of steps, and keeps what was sent."""

    def __init__(self, *steps: httpx2.Response | Exception) -> None:
        self.steps = list(steps)
        self.requests: list[dict[str, Any]] = []

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(json.loads(request.content))
        step = self.steps.pop(0) if len(self.steps) > 1 else self.steps[0]
        if isinstance(step, Exception):
            raise step
        return step


def ok(answer: dict[str, Any] = GOOD_ANSWER, **kwargs: Any) -> httpx2.Response:
    return httpx2.Response(200, json=completion(answer, **kwargs))


def error(status: int, *, headers: dict[str, str] | None = None) -> httpx2.Response:
    return httpx2.Response(
        status, headers=headers, json={"error": {"message": f"status {status}", "type": "x"}}
    )


def make_settings(**overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "base_url": "http://127.0.0.1:9/v1",
        "model": "test-model",
        "prompt_version": 1,
        "max_transport_attempts": 5,
        "retry_initial_wait": 0.5,
        "retry_max_wait": 10.0,
    }
    values.update(overrides)
    return Settings(**values)


def extractor_for(script: Script, sleeps: list[float], **overrides: Any) -> Extractor:
    settings = make_settings(**overrides)
    retry = RetryPolicy.from_settings(settings)
    retry = RetryPolicy(
        max_attempts=retry.max_attempts,
        initial_wait=retry.initial_wait,
        max_wait=retry.max_wait,
        sleep=sleeps.append,
    )
    client = LLMClient(
        settings, retry=retry, http_client=httpx2.Client(transport=httpx2.MockTransport(script))
    )
    return Extractor.from_settings(settings, client=client)


def test_429_5xx_and_a_reset_are_retried_until_an_answer_arrives() -> None:
    script = Script(
        error(429, headers={"Retry-After": "2"}),
        error(503),
        httpx2.ConnectError("connection reset by peer"),
        ok(),
    )
    sleeps: list[float] = []
    result = extractor_for(script, sleeps).extract(ARTICLE, article_id="a")
    assert len(script.requests) == 4
    assert result.call.transport_retries == 3
    assert [q.text for q in result.quotes] == ["We will not back down,"]
    assert sleeps[0] == 2.0  # the server's Retry-After, not the backoff
    assert all(0 < s <= 10.0 for s in sleeps[1:])


def test_backoff_grows_and_stays_under_the_cap() -> None:
    script = Script(error(500), error(502), error(504), error(500), ok())
    sleeps: list[float] = []
    extractor_for(script, sleeps, retry_initial_wait=1.0, retry_max_wait=3.0).extract(ARTICLE)
    assert len(sleeps) == 4
    assert 1.0 <= sleeps[0] <= 2.0  # initial wait plus up to one second of jitter
    assert all(s <= 3.0 for s in sleeps)
    assert sleeps[-1] == pytest.approx(3.0)


def test_a_timeout_is_retried() -> None:
    script = Script(httpx2.ReadTimeout("read timed out"), ok())
    sleeps: list[float] = []
    result = extractor_for(script, sleeps).extract(ARTICLE)
    assert result.call.transport_retries == 1
    assert len(sleeps) == 1


def test_retries_are_bounded_and_end_in_a_transport_error_with_context() -> None:
    script = Script(error(503))
    sleeps: list[float] = []
    with pytest.raises(TransportError) as caught:
        extractor_for(script, sleeps, max_transport_attempts=3).extract(ARTICLE, article_id="a")
    assert len(script.requests) == 3
    assert caught.value.status_code == 503
    assert caught.value.model == "test-model"
    assert "HTTP 503" in str(caught.value) and "3 tries" in str(caught.value)


@pytest.mark.parametrize(
    ("message", "hinted"),
    [
        pytest.param("'response_format.type' must be 'json_object'", True, id="shape-complaint"),
        pytest.param("tools are not supported by this model", True, id="tools-complaint"),
        pytest.param("no annotated article is in the messages", False, id="other-complaint"),
    ],
)
def test_a_refused_request_is_not_retried_and_hints_at_the_mode_when_relevant(
    message: str, hinted: bool
) -> None:
    refusal = httpx2.Response(400, json={"error": {"message": message, "type": "x"}})
    script = Script(refusal)
    with pytest.raises(LLMError) as caught:
        extractor_for(script, []).extract(ARTICLE)
    assert len(script.requests) == 1
    assert "HTTP 400" in str(caught.value) and message in str(caught.value)
    assert ("NEWSEXTRACT_MODE" in str(caught.value)) is hinted


def test_a_refused_key_is_a_configuration_error_naming_the_variable() -> None:
    with pytest.raises(ConfigurationError, match="OPENAI_API_KEY"):
        extractor_for(Script(error(401)), []).extract(ARTICLE)


def test_a_speaker_missing_from_the_actors_is_reasked_with_the_error() -> None:
    wrong = {**GOOD_ANSWER, "quotes": [{**GOOD_ANSWER["quotes"][0], "speaker": "Berg"}]}
    script = Script(ok(wrong), ok())
    result = extractor_for(script, []).extract(ARTICLE)
    assert result.call.attempts == 2
    assert "'Berg' is not among the actors" in result.call.reask_errors[0]
    reask_messages = json.dumps(script.requests[1]["messages"])
    assert "is not among the actors" in reask_messages
    assert [q.speaker for q in result.quotes] == ["Anna Berg"]


def test_answers_that_never_validate_end_in_extraction_failed_with_the_last_output() -> None:
    wrong = {**GOOD_ANSWER, "quotes": [{**GOOD_ANSWER["quotes"][0], "speaker": "Berg"}]}
    script = Script(ok(wrong))
    with pytest.raises(ExtractionFailedError) as caught:
        extractor_for(script, [], max_reasks=1).extract(ARTICLE)
    assert len(script.requests) == 2
    assert caught.value.attempts == 2
    assert caught.value.last_output is not None and '"Berg"' in caught.value.last_output
    assert caught.value.usage["total_tokens"] == 240


def test_an_ungrounded_quote_goes_back_once_then_is_rejected_with_its_reason() -> None:
    invented = {
        **GOOD_ANSWER,
        "quotes": [
            *GOOD_ANSWER["quotes"],
            {"text": "We will never negotiate", "speaker": "Anna Berg", "kind": "direct"},
        ],
    }
    script = Script(ok(invented))
    result = extractor_for(script, []).extract(ARTICLE)
    assert len(script.requests) == 2  # the first answer, then one re-ask, then no more
    assert "We will never negotiate" in json.dumps(script.requests[1]["messages"])
    assert [q.text for q in result.quotes] == ["We will not back down,"]
    [rejected] = result.rejected
    assert (rejected.kind, rejected.reason) == (RejectedKind.QUOTE, RejectionReason.NOT_IN_ARTICLE)
    assert "We will never negotiate" in rejected.detail


def test_token_usage_of_every_answer_is_summed() -> None:
    wrong = {**GOOD_ANSWER, "quotes": [{**GOOD_ANSWER["quotes"][0], "speaker": "Berg"}]}
    result = extractor_for(Script(ok(wrong), ok()), []).extract(ARTICLE)
    assert (result.call.usage.prompt_tokens, result.call.usage.total_tokens) == (200, 240)


@pytest.mark.parametrize(
    ("mode", "response_format", "schema_sent"),
    [
        pytest.param(StructuredMode.JSON, "json_object", False, id="json"),
        pytest.param(StructuredMode.JSON_SCHEMA, "json_schema", False, id="json_schema"),
        pytest.param(StructuredMode.JSON_OBJECT_SCHEMA, "json_object", True, id="llama.cpp"),
    ],
)
def test_json_modes_send_the_shape_their_servers_expect(
    mode: StructuredMode, response_format: str, schema_sent: bool
) -> None:
    wrong = {**GOOD_ANSWER, "quotes": [{**GOOD_ANSWER["quotes"][0], "speaker": "Berg"}]}
    script = Script(ok(wrong, mode=mode), ok(mode=mode))
    result = extractor_for(script, [], mode=mode).extract(ARTICLE)
    assert len(script.requests) == 2
    for sent in script.requests:  # the re-ask too
        assert "tools" not in sent
        assert sent["response_format"]["type"] == response_format
        schema = sent["response_format"].get("schema")
        assert (schema == ArticleExtraction.model_json_schema()) is schema_sent
    assert len(result.actors) == 1


def test_the_async_path_retries_and_grounds_like_the_sync_path() -> None:
    script = Script(error(429, headers={"retry-after-ms": "10"}), ok())
    settings = make_settings()
    sleeps: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    retry = RetryPolicy(max_attempts=3, initial_wait=0.5, max_wait=10, async_sleep=fake_sleep)
    client = LLMClient(
        settings,
        retry=retry,
        async_http_client=httpx2.AsyncClient(transport=httpx2.MockTransport(script)),
    )
    extractor = Extractor.from_settings(settings, client=client)
    result = asyncio.run(extractor.aextract(ARTICLE, article_id="async"))
    assert sleeps == [0.01]
    assert result.article_id == "async"
    assert [q.text for q in result.quotes] == ["We will not back down,"]


def test_a_remote_endpoint_without_a_key_is_refused_before_any_request() -> None:
    settings = Settings(base_url="https://llm.example.com/v1", model="m", api_key=None)
    with pytest.raises(ConfigurationError, match="OPENAI_API_KEY"):
        LLMClient(settings).structured([], dict)  # type: ignore[type-var]


def test_a_local_endpoint_needs_no_key() -> None:
    assert Settings(base_url="http://localhost:8080/v1", model="m").api_key_value()
    assert Settings(base_url="http://127.0.0.1:8080/v1", model="m").api_key_value()


@pytest.mark.parametrize(
    "article",
    [
        pytest.param("Template engines print {{ 7*7 }} and {{ grounding }} as is.", id="braces"),
        pytest.param("A tech story quoting a {% broken tag, verbatim.", id="block-tag"),
        pytest.param("    Indented first line.\n    Indented second line.", id="indented"),
    ],
)
def test_the_article_reaches_the_model_exactly_as_read(article: str) -> None:
    script = Script(ok({"actors": [], "quotes": [], "claims": []}))
    extractor_for(script, []).extract(article, article_id="t")
    assert f"<article>\n{article}\n</article>" in script.requests[0]["messages"][1]["content"]


def test_a_500_that_refuses_the_request_body_is_not_retried_and_hints_at_the_mode() -> None:
    # What llama-cpp-python 0.3.36 answers to response_format {"type": "json_schema", ...}.
    message = (
        "1 validation error:\n  {'type': 'literal_error', 'loc': ('body', 'response_format', "
        "'type'), 'msg': \"Input should be 'text' or 'json_object'\", 'input': 'json_schema'}"
    )
    refusal = httpx2.Response(
        500, json={"error": {"message": message, "type": "internal_server_error"}}
    )
    script = Script(refusal)
    with pytest.raises(LLMError) as caught:
        extractor_for(script, [], mode=StructuredMode.JSON_SCHEMA).extract(ARTICLE)
    assert len(script.requests) == 1
    assert "json_object_schema" in str(caught.value)


def test_ungrounded_text_in_the_last_allowed_answer_is_rejected_not_reasked() -> None:
    wrong = {**GOOD_ANSWER, "quotes": [{**GOOD_ANSWER["quotes"][0], "speaker": "Berg"}]}
    invented = {
        **GOOD_ANSWER,
        "quotes": [
            *GOOD_ANSWER["quotes"],
            {"text": "We will never negotiate", "speaker": "Anna Berg", "kind": "direct"},
        ],
    }
    script = Script(ok(wrong), ok(invented))
    result = extractor_for(script, [], max_reasks=1).extract(ARTICLE)
    assert len(script.requests) == 2  # the invalid speaker used the only re-ask
    assert [q.text for q in result.quotes] == ["We will not back down,"]
    assert [r.reason for r in result.rejected] == [RejectionReason.NOT_IN_ARTICLE]


class ReplayMiss(Exception):
    """Stands for vcrpy's CannotOverwriteExistingCassetteException: raised inside the transport,
    wrapped by openai as APIConnectionError, yet no network fault."""


def test_an_error_inside_the_http_layer_that_is_no_network_fault_is_not_retried() -> None:
    script = Script(ReplayMiss("no match for the request in the cassette"))
    sleeps: list[float] = []
    with pytest.raises(LLMError) as caught:
        extractor_for(script, sleeps).extract(ARTICLE, article_id="a")
    assert len(script.requests) == 1 and sleeps == []
    assert not isinstance(caught.value, TransportError)
    assert "ReplayMiss: no match for the request" in str(caught.value)
    assert "is the server up" not in str(caught.value)


def test_a_refused_connection_fails_at_once_saying_nothing_listens() -> None:
    script = Script(refused())
    sleeps: list[float] = []
    with pytest.raises(EndpointDownError, match="refused the connection: nothing listens"):
        extractor_for(script, sleeps).extract(ARTICLE, article_id="a")
    assert len(script.requests) == 1 and sleeps == []


def refused() -> httpx2.ConnectError:
    error = httpx2.ConnectError("[Errno 111] Connection refused")
    error.__cause__ = ConnectionRefusedError(111, "Connection refused")
    return error


@pytest.mark.parametrize(
    ("broken", "said"),
    [
        pytest.param(httpx2.Response(200, text="<html>Bad gateway</html>",
                                     headers={"content-type": "application/json"}),
                     "body is not JSON", id="html-body-said-json"),
        pytest.param(httpx2.Response(200, text="<html>Bad gateway</html>",
                                     headers={"content-type": "text/html"}),
                     "body is not JSON", id="html-body"),
        pytest.param(httpx2.Response(200, json={**completion(GOOD_ANSWER), "choices": []}),
                     "no choices", id="empty-choices"),
    ],
)
def test_a_200_without_an_answer_is_the_endpoints_fault_retried_as_transport_never_stored(
    broken: httpx2.Response, said: str
) -> None:
    script = Script(broken, broken, ok())
    sleeps: list[float] = []
    result = extractor_for(script, sleeps).extract(ARTICLE, article_id="a")
    assert len(script.requests) == 3 and len(sleeps) == 2
    assert result.call.transport_retries == 2
    assert result.call.answers == [json.dumps(GOOD_ANSWER)]  # only the real answer is kept
    assert result.call.reask_errors == []

    with pytest.raises(TransportError) as caught:
        extractor_for(Script(broken), [], max_transport_attempts=2).extract(ARTICLE)
    assert "the endpoint's fault, not the model's" in str(caught.value)
    assert said in str(caught.value)
    assert caught.value.last_output is None


def test_an_answer_over_the_size_bound_is_refused_unstored_and_not_asked_again() -> None:
    padded = {**GOOD_ANSWER, "claims": [{"statement": "x" * 5000, "asserted_by": None,
                                         "evidence": "Officials met in Vienna."}]}
    script = Script(ok(padded))
    with pytest.raises(AnswerTooLargeError, match="NEWSEXTRACT_MAX_ANSWER_CHARS") as caught:
        extractor_for(script, [], max_answer_chars=2000).extract(ARTICLE)
    assert len(script.requests) == 1
    assert caught.value.size > 5000 and caught.value.last_output is None
    assert Settings(max_answer_chars=2000).max_answer_chars == 2000
