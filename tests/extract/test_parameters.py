"""Requests that today's hosted models accept: token field, temperature, reasoning effort, strict
structured outputs, the caller's own client, and a static prefix that prompt caches can reuse.

Most tests put an in-memory transport under the real openai client, so the bodies asserted on are
the bytes openai and instructor send. The ``vcr`` tests replay the reference server (hand-made
answers, not a model), spoken to as a reasoning model would be; its 400 ``unsupported_parameter``
is the server imitating OpenAI's documented answer through its fault header.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import httpx2
import openai
import pytest
from openai.lib._pydantic import to_strict_json_schema

from pipeline.errors import ConfigurationError, ExtractionFailedError, LLMError
from pipeline.extract.article import Extractor, extract_article
from pipeline.extract.llm import LLMClient, RetryPolicy
from pipeline.extract.parameters import load_profiles, plan_request
from pipeline.settings import Settings, StructuredMode
from schemas.extraction import ArticleExtraction
from tests.conftest import REFERENCE_MODEL, SEEDS, recorded_profiles, settings_for
from tests.extract.test_llm import ARTICLE, Script, completion, ok

REFERENCE = next(p for p in recorded_profiles() if p.name == REFERENCE_MODEL)
OPENAI = "https://api.openai.com/v1"


def sent_body(model: str, base_url: str | None, **settings: Any) -> dict[str, Any]:
    """The first request body for one article, through the real openai client."""
    config = Settings(model=model, base_url=base_url, api_key="k", prompt_version=1, **settings)
    script = Script(ok(mode=plan_request(config).mode))  # answered in the mode's shape
    client = LLMClient(config, http_client=httpx2.Client(transport=httpx2.MockTransport(script)))
    Extractor.from_settings(config, client=client).extract(ARTICLE, article_id="a")
    return script.requests[0]


@pytest.mark.parametrize(
    ("model", "base_url", "settings", "expected", "absent"),
    [
        pytest.param("gpt-5-mini", None, {"temperature": 0.0, "reasoning_effort": "low"},
                     {"max_completion_tokens": 4096, "reasoning_effort": "low"},
                     {"max_tokens", "temperature"}, id="gpt-5-mini-openai"),
        pytest.param("o3-mini", OPENAI, {"temperature": 0.2},
                     {"max_completion_tokens": 4096}, {"max_tokens", "temperature"}, id="o3-mini"),
        pytest.param("openai/gpt-5.1", "https://openrouter.ai/api/v1", {},
                     {"max_completion_tokens": 4096}, {"max_tokens", "temperature"},
                     id="gpt-5-behind-a-router"),
        pytest.param("gpt-4o-mini", OPENAI, {"temperature": 0.0, "reasoning_effort": "low"},
                     {"max_completion_tokens": 4096, "temperature": 0.0},
                     {"max_tokens", "reasoning_effort"}, id="classic-openai"),
        pytest.param("llama-3.1-8b", "http://127.0.0.1:8080/v1", {"temperature": 0.0},
                     {"max_tokens": 4096, "temperature": 0.0}, {"max_completion_tokens"},
                     id="llama.cpp"),
        pytest.param("Qwen/Qwen3-8B", "http://vllm.internal:8000/v1", {},
                     {"max_tokens": 4096}, {"temperature", "max_completion_tokens"},
                     id="vllm-temperature-unset"),
        pytest.param("gpt-5-mini", "https://my-resource.openai.azure.com/openai/v1", {},
                     {"max_completion_tokens": 4096}, {"max_tokens", "temperature"}, id="azure"),
        pytest.param("my-model", "http://127.0.0.1:8080/v1",
                     {"token_param": "max_completion_tokens", "reasoning_effort": "high"},
                     {"max_completion_tokens": 4096, "reasoning_effort": "high"}, {"max_tokens"},
                     id="explicit-override"),
    ],
)
def test_each_model_and_endpoint_gets_the_parameters_it_accepts(
    model: str, base_url: str | None, settings: dict[str, Any], expected: dict[str, Any],
    absent: set[str],
) -> None:
    body = sent_body(model, base_url, **settings)
    assert {name: body.get(name) for name in expected} == expected
    assert absent.isdisjoint(body)


def test_the_token_field_can_be_forced_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    monkeypatch.setenv("NEWSEXTRACT_TOKEN_PARAM", "max_tokens")
    monkeypatch.setenv("NEWSEXTRACT_MODEL", "gpt-5-mini")
    plan = plan_request(Settings(api_key="k"))
    assert plan.parameters() == {"max_tokens": 4096}
    assert (plan.family, plan.endpoint) == ("gpt-5", "openai")
    assert plan.mode is StructuredMode.JSON_SCHEMA


@pytest.mark.parametrize(
    ("base_url", "mode"),
    [
        pytest.param(None, StructuredMode.JSON_SCHEMA, id="openai"),
        pytest.param("https://x.openai.azure.com/openai/v1", StructuredMode.JSON_SCHEMA,
                     id="azure"),
        pytest.param("http://127.0.0.1:8080/v1", StructuredMode.TOOLS, id="local-server"),
        pytest.param("https://api.groq.com/openai/v1", StructuredMode.TOOLS, id="other-provider"),
    ],
)
def test_the_default_mode_is_the_endpoints(base_url: str | None, mode: StructuredMode) -> None:
    assert plan_request(Settings(base_url=base_url, api_key="k")).mode is mode


def test_a_malformed_profiles_file_fails_naming_itself(tmp_path: Path) -> None:
    table = tmp_path / "profiles.toml"
    table.write_text('version = 1\nfamily = []\n[[endpoint]]\nname = "x"\nhosts = ["*"]\n'
                     'token_param = "max_tokens"\nmode = "tools"\nsource = "s"\ncolour = "red"\n')
    expected = r"(?s)profiles\.toml: .*endpoint\.0\.colour: Extra inputs.*'red'"
    with pytest.raises(ConfigurationError, match=expected) as raised:
        load_profiles(table)
    assert "unset NEWSEXTRACT_MODEL_PROFILES" in str(raised.value)
    assert raised.value.setting == "NEWSEXTRACT_MODEL_PROFILES"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("version = [", "not valid TOML"), (None, "cannot read the file")],
    ids=["not-toml", "missing"],
)
def test_a_profiles_file_that_cannot_be_read_names_itself_and_the_setting(
    tmp_path: Path, text: str | None, expected: str
) -> None:
    table = tmp_path / "profiles.toml"
    if text is not None:
        table.write_text(text)
    with pytest.raises(ConfigurationError, match=f"profiles\\.toml: .*{expected}") as raised:
        load_profiles(table)
    assert raised.value.setting == "NEWSEXTRACT_MODEL_PROFILES"


def _walk_objects(schema: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(schema, dict):
        if schema.get("type") == "object":
            found.append(schema)
        for value in schema.values():
            found += _walk_objects(value)
    elif isinstance(schema, list):
        for value in schema:
            found += _walk_objects(value)
    return found


def test_json_schema_mode_sends_the_sdks_strict_schema_with_strict_true() -> None:
    strict = to_strict_json_schema(ArticleExtraction)  # raises on what strict mode cannot take
    objects = _walk_objects(strict)
    assert len(objects) == 4  # the extraction, an actor, a quote, a claim
    for obj in objects:  # OpenAI's strict subset: every property required, nothing else allowed
        assert obj["additionalProperties"] is False
        assert obj["required"] == list(obj["properties"])
    body = sent_body("gpt-5-mini", None)
    assert "tools" not in body
    assert body["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "ArticleExtraction", "schema": strict, "strict": True},
    }


def test_a_refusal_is_reported_as_such_and_not_reasked() -> None:
    refused = completion({}, mode=StructuredMode.JSON_SCHEMA)
    refused["choices"][0]["message"] = {"role": "assistant", "content": None,
                                        "refusal": "I can't help with that."}
    script = Script(httpx2.Response(200, json=refused))
    config = Settings(model="gpt-5-mini", base_url=OPENAI, api_key="k", prompt_version=1)
    client = LLMClient(config, http_client=httpx2.Client(transport=httpx2.MockTransport(script)))
    with pytest.raises(ExtractionFailedError, match="refused to answer: I can't help with that"):
        Extractor.from_settings(config, client=client).extract(ARTICLE)
    assert len(script.requests) == 1


def test_an_unsupported_parameter_400_is_one_line_naming_the_setting_and_is_not_retried() -> None:
    body = {"error": {"message": "Unsupported parameter: 'max_tokens' is not supported with this "
                      "model. Use 'max_completion_tokens' instead.", "type":
                      "invalid_request_error", "param": "max_tokens",
                      "code": "unsupported_parameter"}}
    script = Script(httpx2.Response(400, json=body))
    config = Settings(model="gpt-5-mini", base_url=OPENAI, api_key="k", prompt_version=1,
                      token_param="max_tokens")
    client = LLMClient(config, http_client=httpx2.Client(transport=httpx2.MockTransport(script)))
    with pytest.raises(LLMError) as caught:
        Extractor.from_settings(config, client=client).extract(ARTICLE)
    message = str(caught.value)
    assert len(script.requests) == 1
    assert "\n" not in message
    assert "'max_tokens' (unsupported_parameter)" in message
    assert "NEWSEXTRACT_TOKEN_PARAM=max_completion_tokens" in message


def test_the_static_part_of_the_request_is_first_and_byte_identical_across_articles() -> None:
    other = ARTICLE.replace("Vienna", "Geneva").replace("Monday", "Tuesday")
    script = Script(ok(mode=StructuredMode.JSON_SCHEMA))
    config = Settings(model="gpt-5-mini", base_url=OPENAI, api_key="k", prompt_version=1)
    client = LLMClient(config, http_client=httpx2.Client(transport=httpx2.MockTransport(script)))
    extractor = Extractor.from_settings(config, client=client)
    extractor.extract(ARTICLE, article_id="first")
    extractor.extract(other, article_id="second")
    first, second = script.requests
    assert [m["role"] for m in first["messages"]] == ["system", "user"]
    assert first["messages"][0] == second["messages"][0]  # the system prompt
    assert json.dumps(first["response_format"]) == json.dumps(second["response_format"])
    assert first["messages"][1] != second["messages"][1]  # only the article's message varies
    static = {k: v for k, v in first.items() if k != "messages"}
    assert static == {k: v for k, v in second.items() if k != "messages"}


def test_a_callers_own_client_is_used_as_it_is_with_our_retries() -> None:
    seen: list[httpx2.Request] = []
    answers = [httpx2.Response(503, json={"error": {"message": "busy"}}), ok()]

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        return answers.pop(0)

    theirs = openai.OpenAI(
        base_url="https://llm-gateway.newsroom.example/v1",
        api_key="their-key",
        default_headers={"X-Desk": "investigations"},
        http_client=httpx2.Client(transport=httpx2.MockTransport(handler)),
        max_retries=7,
    )
    sleeps: list[float] = []
    extractor = Extractor.from_client(theirs, model="gpt-5-mini", settings=Settings(
        prompt_version=1, max_transport_attempts=3, mode="tools"))
    extractor.client.retry = RetryPolicy(max_attempts=3, initial_wait=0.01, sleep=sleeps.append)
    result = extractor.extract(ARTICLE, article_id="a")
    assert len(seen) == 2 and len(sleeps) == 1  # one retry of ours, none of theirs
    for request in seen:
        assert str(request.url) == "https://llm-gateway.newsroom.example/v1/chat/completions"
        assert request.headers["X-Desk"] == "investigations"
        assert request.headers["Authorization"] == "Bearer their-key"
    body = json.loads(seen[0].content)
    assert body["model"] == "gpt-5-mini" and "max_completion_tokens" in body
    assert [q.text for q in result.quotes] == ["We will not back down,"]  # grounded as ever
    assert result.call.transport_retries == 1


def test_an_azure_client_reaches_its_deployment_with_its_key_and_the_azure_defaults() -> None:
    script = Script(ok(mode=StructuredMode.JSON_SCHEMA))
    seen: list[httpx2.Request] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        return script(request)

    azure = openai.AzureOpenAI(
        azure_endpoint="https://newsroom.openai.azure.com", api_key="azure-key",
        api_version="2024-10-21", azure_deployment="extract-gpt5",
        http_client=httpx2.Client(transport=httpx2.MockTransport(handler)),
    )
    extractor = Extractor.from_client(azure, model="gpt-5-mini",
                                      settings=Settings(prompt_version=1))
    extractor.extract(ARTICLE, article_id="a")
    [request] = seen
    assert request.url.host == "newsroom.openai.azure.com"
    assert request.url.path == "/openai/deployments/extract-gpt5/chat/completions"
    assert request.url.params["api-version"] == "2024-10-21"
    assert request.headers["api-key"] == "azure-key"
    body = script.requests[0]
    assert body["response_format"]["json_schema"]["strict"] is True  # Azure's default mode
    assert "max_completion_tokens" in body and "temperature" not in body


def test_a_sync_client_asked_for_async_work_says_what_to_pass() -> None:
    extractor = Extractor.from_client(openai.OpenAI(base_url="http://127.0.0.1:9/v1",
                                                    api_key="k"), model="m")
    with pytest.raises(ConfigurationError, match="AsyncOpenAI"):
        import asyncio

        asyncio.run(extractor.aextract(ARTICLE))


def test_extract_article_takes_a_client_argument() -> None:
    script = Script(ok())
    theirs = openai.OpenAI(base_url="http://gateway.example/v1", api_key="k",
                           http_client=httpx2.Client(transport=httpx2.MockTransport(script)))
    result = extract_article(ARTICLE, article_id="a", client=theirs,
                             settings=Settings(model="llama-3", prompt_version=1))
    assert script.requests[0]["model"] == "llama-3" and "max_tokens" in script.requests[0]
    assert result.call.mode == "tools"


def seed(article_id: str) -> str:
    return (SEEDS / f"{article_id}.txt").read_bytes().decode("utf-8")


@pytest.mark.vcr
def test_a_reasoning_model_profile_sends_max_completion_tokens_and_no_temperature(
    vcr: Any,
) -> None:
    settings = settings_for(REFERENCE, mode="json_schema", token_param="max_completion_tokens",
                            reasoning_effort="low", max_tokens=8000)
    result = extract_article(seed("000_e9e0939858eebc6d"), article_id="000", settings=settings)
    assert result.quotes
    sent = json.loads(vcr.requests[0].body)
    assert sent["max_completion_tokens"] == 8000 and sent["reasoning_effort"] == "low"
    assert "max_tokens" not in sent and "temperature" not in sent
    assert sent["response_format"]["json_schema"]["strict"] is True


@pytest.mark.vcr
def test_a_classic_profile_sends_max_tokens_and_its_temperature(vcr: Any) -> None:
    settings = settings_for(REFERENCE, temperature=0.0)
    extract_article(seed("004_c9f4686ea8b9e3fa"), article_id="004", settings=settings)
    sent = json.loads(vcr.requests[0].body)
    assert (sent["max_tokens"], sent["temperature"]) == (4096, 0.0)
    assert "max_completion_tokens" not in sent and "reasoning_effort" not in sent


@pytest.mark.vcr
def test_a_recorded_unsupported_parameter_400_gives_one_line_and_no_retry(vcr: Any) -> None:
    settings = settings_for(REFERENCE, token_param="max_tokens")
    faults = f"unsupported_parameter:max_tokens;scope={uuid.uuid4().hex}"
    client = LLMClient(settings, default_headers={"X-Reference-Faults": faults})
    with pytest.raises(LLMError) as caught:
        Extractor.from_settings(settings, client=client).extract(
            seed("003_ecadb2b4344d6cd7"), article_id="003")
    assert len(vcr.requests) == 1 and vcr.play_count in (0, 1)
    message = str(caught.value)
    assert "\n" not in message and "HTTP 400" in message
    assert "refused parameter 'max_tokens' (unsupported_parameter)" in message
    assert "set NEWSEXTRACT_TOKEN_PARAM=max_completion_tokens" in message
