"""The one door to the model: openai client, instructor for structured output, tenacity for retries.

Two kinds of failure, two mechanisms, both bounded:
- an answer that fails validation goes back to the model with the error text (instructor re-asks,
  ``Settings.max_reasks``);
- a failed request (connection reset, timeout, 429, 5xx, an HTTP 200 that holds no answer) is
  sent again after exponential backoff with jitter, or after the server's Retry-After (tenacity,
  ``Settings.max_transport_attempts``).
The openai client's own retries are switched off so that tenacity is the only retry layer. Nothing
else is retried: a refused connection (nothing listens there), an error raised inside the HTTP
layer that is no network fault (a test's replay miss, a bug), a refused request, an answer over
``Settings.max_answer_chars``.
The openai client's retries are off also for a client the caller hands in
(``LLMClient(settings, openai_client=...)``). The request's parameters (token bound, temperature,
reasoning effort, mode) are decided once per client by ``pipeline.extract.parameters``.
"""

from __future__ import annotations

import copy
import json
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any, TypeVar, cast

import httpx2
import instructor
import openai
from instructor.core import InstructorRetryException
from instructor.core.exceptions import IncompleteOutputException
from instructor.core.hooks import Hooks
from pydantic import BaseModel
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential_jitter,
)

from pipeline.errors import (
    AnswerTooLargeError,
    ConfigurationError,
    EndpointDownError,
    ExtractionFailedError,
    LLMError,
    OutputTruncatedError,
    TransportError,
)
from pipeline.extract.pacing import retry_after_seconds
from pipeline.extract.parameters import (
    RequestPlan,
    plan_request,
    refused_parameter_hint,
    strict_response_format,
)
from pipeline.settings import Settings, StructuredMode
from schemas.records import Usage

logger = logging.getLogger(__name__)

ModelT = TypeVar("ModelT", bound=BaseModel)

_INSTRUCTOR_MODES = {
    StructuredMode.TOOLS: instructor.Mode.TOOLS,
    StructuredMode.JSON_SCHEMA: instructor.Mode.JSON_SCHEMA,
    StructuredMode.JSON: instructor.Mode.JSON,
    StructuredMode.JSON_OBJECT_SCHEMA: instructor.Mode.JSON,  # plus the schema: see _on_the_wire
}
_TRANSIENT_STATUS = frozenset({408, 409, 425, 429, 500, 502, 503, 504})


@dataclass
class CallTrace:
    """What one structured call did, filled by instructor's hooks as it goes."""

    answers: list[str] = field(default_factory=list)
    reask_errors: list[str] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    transport_retries: int = 0
    latency_ms: float = 0.0
    refusal: str | None = None

    def hooks(self) -> Hooks:
        hooks = Hooks()
        hooks.on("completion:response", self._on_response)
        hooks.on("parse:error", self._on_parse_error)
        return hooks

    def _on_response(self, response: Any) -> None:
        self.answers.append(answer_text(response))
        usage = getattr(response, "usage", None)
        if usage is not None:
            self.usage = self.usage.plus(billed_usage(usage))

    def _on_parse_error(self, error: Exception, **_metadata: Any) -> None:
        self.reask_errors.append(str(error))


def billed_usage(usage: Any) -> Usage:
    """The answer's usage as billed: cached prompt tokens and reasoning tokens where it has them
    (OpenAI's ``prompt_tokens_details.cached_tokens`` and
    ``completion_tokens_details.reasoning_tokens``).
    """
    prompt_details = getattr(usage, "prompt_tokens_details", None)
    completion_details = getattr(usage, "completion_tokens_details", None)
    return Usage(
        prompt_tokens=usage.prompt_tokens or 0,
        completion_tokens=usage.completion_tokens or 0,
        total_tokens=usage.total_tokens or 0,
        cached_tokens=getattr(prompt_details, "cached_tokens", None) or 0,
        reasoning_tokens=getattr(completion_details, "reasoning_tokens", None) or 0,
    )


def refusal_text(response: Any) -> str | None:
    """What the model said when it declined to answer (OpenAI's ``message.refusal``)."""
    try:
        refusal = response.choices[0].message.refusal
    except (AttributeError, IndexError):
        return None
    return refusal if isinstance(refusal, str) and refusal else None


class _Refused(Exception):
    """Raised inside instructor's loop so that a refusal ends it instead of being re-asked."""


def answer_text(response: Any) -> str:
    """The answer's JSON as the model wrote it: tool-call arguments, else message content."""
    try:
        message = response.choices[0].message
    except (AttributeError, IndexError):
        return ""
    calls = getattr(message, "tool_calls", None) or []
    if calls:
        return "\n".join(call.function.arguments or "" for call in calls)
    return message.content or ""


def refused_request_body(exc: BaseException) -> bool:
    """llama-cpp-python answers HTTP 500, not 422, when the request body fails its validation."""
    if not isinstance(exc, openai.InternalServerError):
        return False
    message = _status_message(exc)
    return "validation error" in message and "('body'," in message


class MalformedResponse(Exception):
    """An HTTP 200 that holds no answer (a body that is not JSON, no choices): the endpoint's
    fault, not the model's, so it is sent again like a 5xx, never re-asked or stored."""


class _AnswerTooLarge(Exception):
    def __init__(self, size: int) -> None:
        super().__init__(f"{size} characters")
        self.size = size


def _causes(exc: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def connection_refused(exc: BaseException) -> bool:
    """Nothing listens at the endpoint: asking again at once would be refused again."""
    return any(isinstance(cause, ConnectionRefusedError) for cause in _causes(exc))


def network_fault(exc: openai.APIConnectionError) -> bool:
    """openai wraps *any* exception of the HTTP layer as APIConnectionError; only those of the
    network (httpx's transport errors, OS errors) may pass if sent again. Others, such as a test
    cassette's replay miss or a bug, would fail the same way every time."""
    if isinstance(exc, openai.APITimeoutError):
        return True
    return any(isinstance(cause, httpx2.TransportError | OSError) for cause in _causes(exc)[1:])


def is_transient(exc: BaseException) -> bool:
    """Worth sending again: the request may succeed unchanged (timeouts, resets, 429, 5xx, an
    empty or non-JSON 200)."""
    if isinstance(exc, MalformedResponse):
        return True
    if refused_request_body(exc) or connection_refused(exc):
        return False
    if isinstance(exc, openai.APIConnectionError):
        return network_fault(exc)
    return isinstance(exc, openai.APIStatusError) and (
        exc.status_code in _TRANSIENT_STATUS or exc.status_code >= 500
    )


def checked_response(response: Any, *, max_answer_chars: int) -> Any:
    """The response, if it holds an answer of bounded size; raised otherwise, before instructor
    (or the store) sees it."""
    if isinstance(response, str | bytes):  # openai hands back the text of a non-JSON type
        raise MalformedResponse(f"an HTTP 200 whose body is not JSON: {response[:60]!r}")
    if not getattr(response, "choices", None):
        raise MalformedResponse("an HTTP 200 with no choices in it (no answer at all)")
    size = len(answer_text(response))
    if size > max_answer_chars:
        raise _AnswerTooLarge(size)
    return response


def _not_json(exc: json.JSONDecodeError) -> MalformedResponse:
    return MalformedResponse(f"an HTTP 200 whose body is not JSON ({exc.msg} at character "
                             f"{exc.pos}: {exc.doc[max(0, exc.pos - 20) : exc.pos + 40]!r})")


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded transport retries; ``sleep`` is replaceable so tests need not wait."""

    max_attempts: int = 5
    initial_wait: float = 1.0
    max_wait: float = 60.0
    sleep: Callable[[float], None] = time.sleep
    async_sleep: Callable[[float], Awaitable[None]] | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> RetryPolicy:
        return cls(
            max_attempts=settings.max_transport_attempts,
            initial_wait=settings.retry_initial_wait,
            max_wait=settings.retry_max_wait,
        )

    def wait(self, state: RetryCallState) -> float:
        """Retry-After when the server sent one, else exponential backoff with jitter."""
        exc = state.outcome.exception() if state.outcome else None
        retry_after = retry_after_seconds(exc)
        if retry_after is not None:
            return min(retry_after, self.max_wait)
        backoff = wait_exponential_jitter(
            multiplier=self.initial_wait, max=self.max_wait, jitter=self.initial_wait
        )
        return float(backoff(state))

    def _options(self, trace: CallTrace) -> dict[str, Any]:
        def before_sleep(state: RetryCallState) -> None:
            trace.transport_retries += 1
            exc = state.outcome.exception() if state.outcome else None
            logger.warning(
                "request failed (%s); retry %d of %d in %.1fs",
                _describe(exc),
                state.attempt_number,
                self.max_attempts - 1,
                state.upcoming_sleep,
            )

        return {
            "stop": stop_after_attempt(self.max_attempts),
            "wait": self.wait,
            "retry": retry_if_exception(is_transient),
            "before_sleep": before_sleep,
            "reraise": True,
        }

    def retrying(self, trace: CallTrace) -> Retrying:
        return Retrying(sleep=self.sleep, **self._options(trace))

    def async_retrying(self, trace: CallTrace) -> AsyncRetrying:
        if self.async_sleep is not None:
            return AsyncRetrying(sleep=self.async_sleep, **self._options(trace))
        return AsyncRetrying(**self._options(trace))


def _describe(exc: BaseException | None) -> str:
    if isinstance(exc, openai.APIStatusError):
        return f"HTTP {exc.status_code}"
    if isinstance(exc, MalformedResponse):
        return str(exc)
    return type(exc).__name__ if exc else "unknown"


class LLMClient:
    """A configured endpoint that turns chat messages into a validated pydantic object."""

    def __init__(
        self,
        settings: Settings,
        *,
        retry: RetryPolicy | None = None,
        http_client: httpx2.Client | None = None,
        async_http_client: httpx2.AsyncClient | None = None,
        default_headers: dict[str, str] | None = None,
        openai_client: openai.OpenAI | openai.AsyncOpenAI | None = None,
    ) -> None:
        self.settings = settings
        self.plan: RequestPlan = plan_request(settings)
        if self.plan.mode not in _INSTRUCTOR_MODES:
            raise ConfigurationError(
                f"unknown mode {self.plan.mode!r}", setting="NEWSEXTRACT_MODE"
            )
        self.retry = retry or RetryPolicy.from_settings(settings)
        self._http_client = http_client
        self._async_http_client = async_http_client
        self._default_headers = default_headers
        self._sync: openai.OpenAI | None = None
        self._async: openai.AsyncOpenAI | None = None
        self._given = openai_client
        # The caller's client as it is (base URL, auth, headers, http_client), but with its own
        # retries off: tenacity retries, and two layers would multiply the attempts.
        if isinstance(openai_client, openai.AsyncOpenAI):
            self._async = openai_client.with_options(max_retries=0)
        elif isinstance(openai_client, openai.OpenAI):
            self._sync = openai_client.with_options(max_retries=0)
        elif openai_client is not None:
            raise ConfigurationError(
                "expected an openai.OpenAI or openai.AsyncOpenAI, got "
                f"{type(openai_client).__name__}"
            )

    def _openai_kwargs(self) -> dict[str, Any]:
        return {
            "base_url": self.settings.base_url,
            "api_key": self.settings.api_key_value(),
            "timeout": self.settings.timeout,
            "max_retries": 0,  # tenacity retries; two layers would multiply the attempts
            "default_headers": self._default_headers,
        }

    def _sync_client(self) -> openai.OpenAI:
        if self._sync is None:
            if self._given is not None:
                raise ConfigurationError(
                    "this client was built from an openai.AsyncOpenAI, which serves only async "
                    "calls (aextract, extract_corpus); pass an openai.OpenAI for extract()"
                )
            self._sync = openai.OpenAI(http_client=self._http_client, **self._openai_kwargs())
        return self._sync

    def for_new_event_loop(self) -> LLMClient:
        """A copy that opens its own async connections: those of asyncio belong to one loop, and
        a synchronous caller's chunked article runs in a loop of its own."""
        fresh = copy.copy(self)
        fresh._async = None
        return fresh

    async def aclose(self) -> None:
        """Close the async connections this client opened (not an http client it was given)."""
        if self._async is not None and self._async_http_client is None:
            await self._async.close()
        self._async = None

    def _async_client(self) -> openai.AsyncOpenAI:
        if self._async is None:
            if self._given is not None:
                raise ConfigurationError(
                    "this client was built from an openai.OpenAI, which serves only sync calls "
                    "(extract, extract_article); pass an openai.AsyncOpenAI for aextract and "
                    "extract_corpus"
                )
            self._async = openai.AsyncOpenAI(
                http_client=self._async_http_client, **self._openai_kwargs()
            )
        return self._async

    def _call(
        self, messages: list[dict[str, str]], response_model: type[BaseModel], trace: CallTrace
    ) -> dict[str, Any]:
        """instructor's arguments: the request, the schema, re-asks, and the hooks that trace."""
        return {
            "response_model": _response_schema(response_model),
            "hooks": trace.hooks(),
            "model": self.settings.model,
            "messages": messages,
            **self.plan.parameters(),
            "max_retries": self.settings.max_reasks,
        }

    def structured(
        self,
        messages: list[dict[str, str]],
        response_model: type[ModelT],
        *,
        trace: CallTrace | None = None,
    ) -> tuple[ModelT, CallTrace]:
        """Ask for ``response_model``; re-ask on validation errors, retry transport failures.

        No ``context=`` reaches instructor: given one, it renders every message as a Jinja
        template, which would rewrite an article that prints "{{". Validators that need context
        read a ContextVar (see ``schemas.extraction.active_grounding_check``).
        """
        trace = trace or CallTrace()
        raw_create = self._sync_client().chat.completions.create
        retrying = self.retry.retrying(trace)

        def send(*args: Any, **kwargs: Any) -> Any:
            try:
                response = raw_create(*args, **kwargs)
            except json.JSONDecodeError as exc:
                raise _not_json(exc) from exc
            return checked_response(response, max_answer_chars=self.settings.max_answer_chars)

        def create_with_retries(*args: Any, **kwargs: Any) -> Any:
            response = retrying(send, *args, **self._on_the_wire(kwargs, response_model))
            return _unless_refused(response, trace)

        client = instructor.Instructor(
            client=self._sync_client(),
            create=instructor.patch(create=create_with_retries, mode=self._mode()),
            mode=self._mode(),
        )
        started = time.perf_counter()
        try:
            result = client.create(**self._call(messages, response_model, trace))
        except Exception as exc:
            raise self._translate(exc, trace) from exc
        finally:
            trace.latency_ms = (time.perf_counter() - started) * 1000
        return result, trace

    async def astructured(
        self,
        messages: list[dict[str, str]],
        response_model: type[ModelT],
        *,
        trace: CallTrace | None = None,
    ) -> tuple[ModelT, CallTrace]:
        """``structured`` for asyncio: many articles in flight on one connection pool."""
        trace = trace or CallTrace()
        raw_create = self._async_client().chat.completions.create
        retrying = self.retry.async_retrying(trace)

        async def send(*args: Any, **kwargs: Any) -> Any:
            # openai's create is a plain function returning a coroutine; tenacity must see a
            # coroutine function, or it would "retry" an un-awaited coroutine.
            try:
                response = await raw_create(*args, **kwargs)
            except json.JSONDecodeError as exc:
                raise _not_json(exc) from exc
            return checked_response(response, max_answer_chars=self.settings.max_answer_chars)

        async def create_with_retries(*args: Any, **kwargs: Any) -> Any:
            wire = self._on_the_wire(kwargs, response_model)
            response: Any = await retrying(send, *args, **wire)
            return _unless_refused(response, trace)

        client = instructor.AsyncInstructor(
            client=self._async_client(),
            create=instructor.patch(create=create_with_retries, mode=self._mode()),
            mode=self._mode(),
        )
        started = time.perf_counter()
        try:
            result = await client.create(**self._call(messages, response_model, trace))
        except Exception as exc:
            raise self._translate(exc, trace) from exc
        finally:
            trace.latency_ms = (time.perf_counter() - started) * 1000
        return result, trace

    def _on_the_wire(
        self, kwargs: dict[str, Any], response_model: type[BaseModel]
    ) -> dict[str, Any]:
        """instructor's request as the configured mode sends it, on every attempt.

        instructor's JSON mode sends a bare ``{"type": "json_object"}``; llama-cpp-python takes a
        ``schema`` beside it and compiles it to a grammar, so the answer cannot leave the schema.
        instructor's JSON_SCHEMA mode sends the schema non-strict; OpenAI guarantees the schema
        only with ``strict: true`` and a schema in its strict subset, which the SDK converts to.
        """
        if self.plan.mode is StructuredMode.JSON_SCHEMA:
            return {**kwargs, "response_format": strict_response_format(response_model)}
        if self.plan.mode is StructuredMode.JSON_OBJECT_SCHEMA:
            response_format = {"type": "json_object", "schema": _json_schema(response_model)}
            return {**kwargs, "response_format": response_format}
        return kwargs

    def _mode(self) -> instructor.Mode:
        return _INSTRUCTOR_MODES[self.plan.mode]

    def _translate(self, exc: Exception, trace: CallTrace) -> Exception:
        """One error type per cause, with what was tried; dependencies' errors end here."""
        cause: BaseException = exc
        if isinstance(exc, InstructorRetryException) and exc.__cause__ is not None:
            cause = exc.__cause__
        context: dict[str, Any] = {
            "model": self.settings.model,
            "attempts": len(trace.answers),
            "usage": trace.usage.model_dump(),
            "last_output": trace.answers[-1] if trace.answers else None,
        }
        endpoint = self.settings.base_url or "https://api.openai.com/v1"
        if isinstance(cause, ConfigurationError):
            return cause
        if isinstance(cause, _Refused):
            return ExtractionFailedError(
                f"model {self.settings.model!r} refused to answer: {trace.refusal}", **context
            )
        if isinstance(cause, IncompleteOutputException):
            return OutputTruncatedError(
                f"the answer was cut off at {self.plan.token_param.value}="
                f"{self.settings.max_tokens} (reasoning tokens count too); "
                "raise NEWSEXTRACT_MAX_TOKENS",
                **context,
            )
        if isinstance(cause, _AnswerTooLarge):
            return AnswerTooLargeError(
                f"the answer of {cause.size} characters is over the bound of "
                f"{self.settings.max_answer_chars} (NEWSEXTRACT_MAX_ANSWER_CHARS); refused and "
                "not stored",
                size=cause.size,
                **context,
            )
        if connection_refused(cause):
            return EndpointDownError(
                f"{endpoint} refused the connection: nothing listens there. Start the server, "
                "or check OPENAI_BASE_URL",
                **context,
            )
        if isinstance(cause, openai.APIConnectionError) and not network_fault(cause):
            inner = _causes(cause)[1] if len(_causes(cause)) > 1 else cause
            return LLMError(
                f"the request to {endpoint} failed inside the HTTP client, not on the network "
                f"(not retried): {type(inner).__name__}: {inner}",
                **context,
            )
        if isinstance(cause, openai.AuthenticationError):
            return ConfigurationError(
                f"{endpoint} refused the API key (HTTP 401); check OPENAI_API_KEY",
                setting="OPENAI_API_KEY",
            )
        if is_transient(cause):
            status = getattr(cause, "status_code", None)
            fault = ("the endpoint's fault, not the model's: "
                     if isinstance(cause, MalformedResponse) else "")
            return TransportError(
                f"{endpoint} kept failing ({fault}{_describe(cause)}) after "
                f"{trace.transport_retries + 1} tries; is the server up? "
                "(NEWSEXTRACT_MAX_TRANSPORT_ATTEMPTS sets the bound)",
                status_code=status,
                **context,
            )
        if isinstance(cause, openai.APIStatusError) and (
            hint := refused_parameter_hint(cause.body, self.plan)
        ):
            return LLMError(
                f"{endpoint} refused the request (HTTP {cause.status_code}): {hint}", **context
            )
        if isinstance(cause, openai.APIStatusError):
            return LLMError(
                f"{endpoint} refused the request (HTTP {cause.status_code}): "
                f"{_status_message(cause)}{_mode_hint(cause, self.plan.mode)}",
                **context,
            )
        if isinstance(exc, InstructorRetryException):
            return ExtractionFailedError(
                f"model {self.settings.model!r} gave no valid answer in {exc.n_attempts} "
                f"attempts; last error: {cause}",
                **context,
            )
        return exc


def _unless_refused(response: Any, trace: CallTrace) -> Any:
    """A refusal is an answer, not a malformed one: re-asking would only be refused again."""
    refusal = refusal_text(response)
    if refusal is not None:
        trace.refusal = refusal
        trace.answers.append(refusal)
        if getattr(response, "usage", None) is not None:
            trace.usage = trace.usage.plus(billed_usage(response.usage))
        raise _Refused(refusal)
    return response


@cache
def _json_schema(response_model: type[BaseModel]) -> dict[str, Any]:
    return response_model.model_json_schema()


@cache
def _response_schema(response_model: type[ModelT]) -> type[ModelT]:
    """instructor's wrapper of the model, made once: given a plain model, instructor builds a new
    class and its JSON schema on every call, a few milliseconds each time."""
    return cast(type[ModelT], instructor.openai_schema(response_model))


def _status_message(exc: openai.APIStatusError) -> str:
    body = exc.body
    if isinstance(body, dict):
        error = body.get("error", body)
        if isinstance(error, dict) and "message" in error:
            return str(error["message"])
        return str(error)
    return exc.message


_MODE_WORDS = ("tool", "response_format", "json_schema", "function", "grammar")


def _mode_hint(exc: openai.APIStatusError, mode: StructuredMode) -> str:
    """Point at NEWSEXTRACT_MODE only when the server's complaint is about the request's shape."""
    complaint = _status_message(exc).lower()
    refused = exc.status_code in (400, 422) or refused_request_body(exc)
    if refused and any(word in complaint for word in _MODE_WORDS):
        return (
            f" (mode {mode.value!r}; try another NEWSEXTRACT_MODE: llama.cpp servers "
            "take 'json_object_schema' or 'json', OpenAI-style servers 'tools' or 'json_schema')"
        )
    return ""
