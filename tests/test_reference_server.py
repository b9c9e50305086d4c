"""The reference annotations ground where they should and fail where they were planted to; the
reference server replays them over the real openai client in every request shape.
"""

from __future__ import annotations

import hashlib
import json
import math
import shutil
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import instructor
import openai
import pytest
from pydantic import ValidationError

from pipeline.extract.article import Extractor
from pipeline.extract.assemble import assemble
from pipeline.extract.grounding import GroundingIndex, locate
from pipeline.extract.versions import CODEBOOK_NAME, response_model
from pipeline.settings import Settings, StructuredMode
from schemas.extraction import ArticleExtraction
from schemas.records import MatchKind, RejectedKind
from tests.reference_annotation import PlantedEffect, PlantedKind, ReferenceAnnotation
from tests.reference_server import (
    FAULTS_HEADER,
    MODEL,
    SEEDS_DIR,
    AnnotationError,
    ReferenceService,
    in_requested_schema,
    load_references,
    main,
    make_server,
    serve_in_thread,
)

REFERENCES = {ref.name: ref for ref in load_references()}
SEED_NAMES = sorted(path.name for path in SEEDS_DIR.glob("*.txt"))
KIRBY_ARTICLE = "001_3303a44a3e524015.txt"  # the one article with a planted invalid first answer
# Tests that talk to the server open loopback sockets, which --block-network refuses otherwise.
loopback = pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
# The annotations answer the newest prompt: claims with events (a v1 request gets them without).
ANSWERED_IN = response_model(2)


def without_events(answer: dict[str, Any]) -> dict[str, Any]:
    """The answer as the server sends it to a request whose schema has no events (prompt v1)."""
    return in_requested_schema(answer, {})

TOOL = {"type": "function", "function": {"name": "ArticleExtraction", "parameters": {}}}


def by_article(**values: Any) -> list[Any]:
    return [pytest.param(name, **values, id=name[:3]) for name in SEED_NAMES]


def grounded_strings(answer: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """Every string of an answer that must be copied from the article, with where it stands."""
    for i, actor in enumerate(answer["actors"]):
        yield f"actors[{i}].name", actor["name"]
        yield from ((f"actors[{i}].aliases", alias) for alias in actor["aliases"])
        if actor.get("title"):
            yield f"actors[{i}].title", actor["title"]
    yield from ((f"quotes[{i}].text", q["text"]) for i, q in enumerate(answer["quotes"]))
    yield from ((f"claims[{i}].evidence", c["evidence"]) for i, c in enumerate(answer["claims"]))


def all_strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from all_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from all_strings(item)


def planted_params() -> list[Any]:
    return [
        pytest.param(name, item.kind, item.text, id=f"{name[:3]}-{item.kind.value}-{i}")
        for name, ref in REFERENCES.items()
        for i, item in enumerate(ref.annotation.planted)
    ]


# --- the annotation files --------------------------------------------------------------------


def test_every_seed_has_an_annotation_and_every_annotation_a_seed() -> None:
    assert sorted(REFERENCES) == SEED_NAMES


@pytest.mark.parametrize("name", by_article())
def test_annotation_hash_is_the_sha256_of_its_seed(name: str) -> None:
    data = (SEEDS_DIR / name).read_bytes()
    assert REFERENCES[name].annotation.sha256 == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("name", by_article())
def test_final_answer_validates_as_an_article_extraction(name: str) -> None:
    ANSWERED_IN.model_validate(REFERENCES[name].annotation.answers[-1])


@pytest.mark.parametrize("name", by_article())
def test_only_a_planted_invalid_first_answer_fails_validation(name: str) -> None:
    annotation = REFERENCES[name].annotation
    planted = [p for p in annotation.planted if p.kind is PlantedKind.INVALID_FIRST_ANSWER]
    answers = annotation.answers
    if planted:
        with pytest.raises(ValidationError, match=f"speaker {planted[0].text!r} is not among"):
            ANSWERED_IN.model_validate(answers[0])
        answers = answers[1:]
    for answer in answers:
        ANSWERED_IN.model_validate(answer)


def test_only_the_kirby_article_needs_a_second_answer() -> None:
    counts = {name: len(ref.annotation.answers) for name, ref in REFERENCES.items()}
    assert counts == {name: 2 if name == KIRBY_ARTICLE else 1 for name in SEED_NAMES}


@pytest.mark.parametrize("name", by_article())
def test_every_unplanted_copied_string_is_found_in_the_article(name: str) -> None:
    ref = REFERENCES[name]
    planted = {item.text for item in ref.annotation.planted}
    index = GroundingIndex(ref.text)
    missing = [
        f"answers[{n}].{where}: {text!r}"
        for n, answer in enumerate(ref.annotation.answers)
        for where, text in grounded_strings(answer)
        if text not in planted and index.locate(text) is None
    ]
    assert missing == []


@pytest.mark.parametrize(("name", "kind", "text"), planted_params())
def test_planted_item_grounds_only_as_its_kind_says(
    name: str, kind: PlantedKind, text: str
) -> None:
    span = locate(REFERENCES[name].text, text)
    if kind.effect is PlantedEffect.NOT_IN_ARTICLE:
        assert span is None
    elif kind.effect is PlantedEffect.GROUNDS_NORMALIZED:
        assert span is not None
        assert span.match is MatchKind.NORMALIZED  # else it plants nothing
    else:
        assert span is not None  # a validation failure, not an invention


@pytest.mark.parametrize(("name", "kind", "text"), planted_params())
def test_planted_text_stands_in_an_answer_as_written(
    name: str, kind: PlantedKind, text: str
) -> None:
    answers = REFERENCES[name].annotation.answers
    assert any(text in all_strings(answer) for answer in answers)


def test_the_planted_set_covers_what_the_pipeline_must_handle() -> None:
    kinds = Counter(p.kind for ref in REFERENCES.values() for p in ref.annotation.planted)
    assert set(kinds) == set(PlantedKind)
    joined = [p.text for p in REFERENCES["002_3978ef90c4778512.txt"].annotation.planted
              if p.kind is PlantedKind.JOINED_LINE_BREAK]
    assert any("strengthen" in text for text in joined)
    assert any("propping" in text for text in joined)


_REJECTED_AS = {
    PlantedKind.INVENTED_QUOTE: RejectedKind.QUOTE,
    PlantedKind.INVENTED_ACTOR: RejectedKind.ACTOR,
    PlantedKind.INVENTED_ALIAS: RejectedKind.ALIAS,
    PlantedKind.INVENTED_TITLE: RejectedKind.TITLE,
    PlantedKind.ALTERED_EVIDENCE: RejectedKind.CLAIM,
}


@pytest.mark.parametrize("name", by_article())
def test_assembling_the_final_answer_rejects_exactly_the_planted_inventions(name: str) -> None:
    ref = REFERENCES[name]
    final = ref.annotation.answers[-1]
    invented_actors = {p.text for p in ref.annotation.planted
                       if p.kind is PlantedKind.INVENTED_ACTOR}
    # An invented actor is rejected whole: its title and aliases are not rejected again.
    covered = {text for actor in final["actors"] if actor["name"] in invented_actors
               for text in [actor["title"], *actor["aliases"]]}
    strings = set(all_strings(final)) - covered
    expected = Counter(_REJECTED_AS[p.kind] for p in ref.annotation.planted
                       if p.kind in _REJECTED_AS and p.text in strings)
    assembled = assemble(ANSWERED_IN.model_validate(final), GroundingIndex(ref.text),
                         article_id=name[:3], codebook=CODEBOOK_NAME)
    assert Counter(r.kind for r in assembled.rejected) == expected


def _claims_about(name: str, *words: str) -> list[str]:
    final = REFERENCES[name].annotation.answers[-1]
    return [c["statement"] for c in final["claims"]
            if all(word.casefold() in c["statement"].casefold() for word in words)]


@pytest.mark.parametrize("name", [
    "000_e9e0939858eebc6d.txt", KIRBY_ARTICLE, "002_3978ef90c4778512.txt",
    "004_c9f4686ea8b9e3fa.txt",
])
def test_iran_supplying_drones_to_russia_is_a_claim_for_reconciliation(name: str) -> None:
    assert _claims_about(name, "Iran", "drones", "Russia")


@pytest.mark.parametrize(("name", "supply"), [
    pytest.param("000_e9e0939858eebc6d.txt", "military assistance", id="000"),
    pytest.param("002_3978ef90c4778512.txt", "munitions", id="002"),
    pytest.param("003_ecadb2b4344d6cd7.txt", "arms", id="003"),
    pytest.param("004_c9f4686ea8b9e3fa.txt", "artillery shells", id="004"),
])
def test_north_korea_supplying_russia_is_a_claim_for_reconciliation(name: str, supply: str) -> None:
    assert _claims_about(name, "North Korea", supply, "Russia")


def test_annotation_that_no_longer_matches_its_seed_stops_the_server(tmp_path: Path) -> None:
    shutil.copytree(SEEDS_DIR, tmp_path / "seeds")
    seed = tmp_path / "seeds" / KIRBY_ARTICLE
    seed.write_text(seed.read_text(encoding="utf-8") + " Edited.", encoding="utf-8")
    with pytest.raises(AnnotationError, match="sha256 does not match"):
        load_references(seeds_dir=tmp_path / "seeds")


def test_attempts_past_the_last_answer_repeat_it() -> None:
    annotation: ReferenceAnnotation = REFERENCES[KIRBY_ARTICLE].annotation
    first, second = annotation.answers
    assert [annotation.answer_for_attempt(k) for k in (1, 2, 3, 7)] == [first, second, second,
                                                                         second]


# --- the server --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with serve_in_thread() as url:
        yield url


@pytest.fixture
def client(base_url: str) -> Iterator[openai.OpenAI]:
    with openai.OpenAI(base_url=base_url, api_key="test", max_retries=0) as client:
        yield client


def user_message(name: str, *, around: tuple[str, str] = ("Article:\n", "")) -> dict[str, str]:
    return {"role": "user", "content": around[0] + REFERENCES[name].text + around[1]}


def ask(client: openai.OpenAI, messages: list[dict[str, Any]], **kwargs: Any) -> Any:
    return client.chat.completions.create(model=MODEL, messages=messages, **kwargs)  # type: ignore[arg-type]


def error_code(exc: openai.APIStatusError) -> str:
    assert isinstance(exc.body, dict)
    return str(exc.body["code"])


@loopback
def test_a_tools_request_gets_a_call_of_the_requested_function(client: openai.OpenAI) -> None:
    name = "000_e9e0939858eebc6d.txt"
    completion = ask(client, [user_message(name)], tools=[TOOL],
                     tool_choice={"type": "function", "function": {"name": "ArticleExtraction"}})
    choice = completion.choices[0]
    (call,) = choice.message.tool_calls
    assert choice.finish_reason == "tool_calls"
    assert choice.message.content is None
    assert call.function.name == "ArticleExtraction"
    expected = without_events(REFERENCES[name].annotation.answers[0])
    assert json.loads(call.function.arguments) == expected
    assert completion.model == MODEL
    assert completion.object == "chat.completion"
    assert completion.id.startswith("chatcmpl-")


@loopback
@pytest.mark.parametrize("response_format", [
    pytest.param({"type": "json_schema", "json_schema": {"name": "ArticleExtraction",
                                                         "schema": {}}}, id="json_schema"),
    pytest.param({"type": "json_object"}, id="json_object"),
    pytest.param(None, id="plain"),
])
def test_json_requests_get_the_answer_as_content(
    client: openai.OpenAI, response_format: dict[str, Any] | None
) -> None:
    name = "003_ecadb2b4344d6cd7.txt"
    extra = {"response_format": response_format} if response_format else {}
    choice = ask(client, [user_message(name)], **extra).choices[0]
    assert choice.finish_reason == "stop"
    assert not choice.message.tool_calls
    expected = without_events(REFERENCES[name].annotation.answers[0])
    assert json.loads(choice.message.content) == expected


@loopback
def test_usage_is_estimated_at_four_characters_a_token(client: openai.OpenAI) -> None:
    messages = [user_message("004_c9f4686ea8b9e3fa.txt")]
    completion = ask(client, messages)
    usage = completion.usage
    assert usage.prompt_tokens == math.ceil(len(messages[0]["content"]) / 4)
    assert usage.completion_tokens == math.ceil(len(completion.choices[0].message.content) / 4)
    assert usage.total_tokens == usage.prompt_tokens + usage.completion_tokens


@loopback
def test_the_same_request_gets_the_same_answer(client: openai.OpenAI) -> None:
    messages = [user_message("002_3978ef90c4778512.txt")]
    first, second = ask(client, messages), ask(client, messages)
    assert first.choices[0].message.content == second.choices[0].message.content
    assert first.id == second.id


@loopback
@pytest.mark.parametrize(("assistant_messages", "answer_index"), [
    pytest.param(0, 0, id="first-attempt"),
    pytest.param(1, 1, id="first-reask"),
    pytest.param(3, 1, id="past-the-last-answer"),
])
def test_each_assistant_message_moves_to_the_next_answer(
    client: openai.OpenAI, assistant_messages: int, answer_index: int
) -> None:
    messages: list[dict[str, Any]] = [user_message(KIRBY_ARTICLE)]
    for _ in range(assistant_messages):
        messages += [{"role": "assistant", "content": "{}"},
                     {"role": "user", "content": "Correct your JSON ONLY RESPONSE"}]
    content = ask(client, messages).choices[0].message.content
    expected = without_events(REFERENCES[KIRBY_ARTICLE].annotation.answers[answer_index])
    assert json.loads(content) == expected


@loopback
@pytest.mark.parametrize("mode", [
    pytest.param(instructor.Mode.TOOLS, id="tools"),
    pytest.param(instructor.Mode.JSON_SCHEMA, id="json_schema"),
    pytest.param(instructor.Mode.JSON, id="json"),
])
def test_instructor_reasks_the_invalid_first_answer_and_gets_the_fix(
    client: openai.OpenAI, mode: instructor.Mode
) -> None:
    patched = instructor.from_openai(client, mode=mode)
    responses: list[Any] = []
    patched.on("completion:response", responses.append)
    extraction = patched.chat.completions.create(
        model=MODEL, response_model=ArticleExtraction, messages=[user_message(KIRBY_ARTICLE)],
        max_retries=2,
    )
    kirby = next(actor for actor in extraction.actors if actor.name == "John Kirby")
    assert kirby.aliases == ["Kirby"]
    assert len(responses) == 2


@loopback
@pytest.mark.parametrize("mode", [
    pytest.param(StructuredMode.TOOLS, id="tools"),
    pytest.param(StructuredMode.JSON_SCHEMA, id="json_schema"),
    pytest.param(StructuredMode.JSON, id="json"),
])
def test_the_pipeline_reasks_twice_then_rejects_the_invented_quote(
    base_url: str, mode: StructuredMode
) -> None:
    settings = Settings(base_url=base_url, api_key="test", model=MODEL, mode=mode,
                        prompt_version=1, max_reasks=2)
    result = Extractor.from_settings(settings).extract(REFERENCES[KIRBY_ARTICLE].text,
                                                       article_id="001")
    # Speaker error, then the ungrounded quote goes back once, then the same answer is kept.
    assert len(result.call.answers) == 3
    assert [r.kind for r in result.rejected] == [RejectedKind.QUOTE]
    assert {q.speaker for q in result.quotes} == {"John Kirby", "United States"}


@loopback
def test_an_article_with_text_around_it_is_recognised(client: openai.OpenAI) -> None:
    name = "002_3978ef90c4778512.txt"
    message = user_message(name, around=("Article id: x\n\n<article>\n",
                                         "\n\n[copy 17]\n</article>"))
    content = ask(client, [message]).choices[0].message.content
    expected = without_events(REFERENCES[name].annotation.answers[0])
    assert json.loads(content) == expected


@loopback
def test_an_unannotated_article_is_refused_naming_the_annotated_ones(
    client: openai.OpenAI
) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        ask(client, [{"role": "user", "content": "Officials met in Vienna on Monday."}])
    assert error_code(caught.value) == "no_annotation"
    assert all(name in caught.value.message for name in SEED_NAMES)


@loopback
def test_another_model_is_refused_with_404_model_not_found(client: openai.OpenAI) -> None:
    with pytest.raises(openai.NotFoundError) as caught:
        client.chat.completions.create(model="gpt-4o-mini",
                                       messages=[user_message(KIRBY_ARTICLE)])  # type: ignore[list-item]
    assert error_code(caught.value) == "model_not_found"
    assert isinstance(caught.value.body, dict)
    assert caught.value.body["type"] == "invalid_request_error"


@loopback
def test_the_model_list_names_only_the_reference_annotations(client: openai.OpenAI) -> None:
    assert [model.id for model in client.models.list()] == [MODEL]
    assert client.models.retrieve(MODEL).id == MODEL
    with pytest.raises(openai.NotFoundError) as caught:
        client.models.retrieve("gpt-4o-mini")
    assert error_code(caught.value) == "model_not_found"


@loopback
def test_an_unknown_path_gets_an_openai_style_404(client: openai.OpenAI) -> None:
    with pytest.raises(openai.NotFoundError) as caught:
        client.embeddings.create(model=MODEL, input="x")
    assert error_code(caught.value) == "unknown_url"


@loopback
def test_listed_faults_come_first_then_the_answer(client: openai.OpenAI) -> None:
    messages = [user_message("000_e9e0939858eebc6d.txt", around=("faults test\n", ""))]
    faults = {FAULTS_HEADER: "429,503"}
    with pytest.raises(openai.RateLimitError) as rate_limited:
        ask(client, messages, extra_headers=faults)
    assert rate_limited.value.response.headers["retry-after"] == "1"
    assert error_code(rate_limited.value) == "rate_limit_exceeded"
    with pytest.raises(openai.InternalServerError) as unavailable:
        ask(client, messages, extra_headers=faults)
    assert unavailable.value.status_code == 503
    assert error_code(unavailable.value) == "injected_fault"
    assert ask(client, messages, extra_headers=faults).choices[0].message.content


@loopback
def test_faults_are_counted_per_request_body(client: openai.OpenAI) -> None:
    faults = {FAULTS_HEADER: "500"}
    for copy in range(2):
        messages = [user_message("004_c9f4686ea8b9e3fa.txt", around=("", f"\n[copy {copy}]"))]
        with pytest.raises(openai.InternalServerError):
            ask(client, messages, extra_headers=faults)
        assert ask(client, messages, extra_headers=faults).choices[0].message.content


@loopback
def test_a_malformed_faults_header_is_refused(client: openai.OpenAI) -> None:
    with pytest.raises(openai.BadRequestError) as caught:
        ask(client, [user_message(KIRBY_ARTICLE)], extra_headers={FAULTS_HEADER: "200,soon"})
    assert error_code(caught.value) == "invalid_fault_header"


@loopback
def test_latency_delays_each_answer_at_least_that_long() -> None:
    with serve_in_thread(latency_ms=150) as url, \
            openai.OpenAI(base_url=url, api_key="test", max_retries=0) as client:
        started = time.perf_counter()
        ask(client, [user_message("003_ecadb2b4344d6cd7.txt")])
        assert time.perf_counter() - started >= 0.150


@loopback
def test_concurrent_requests_are_in_flight_together() -> None:
    server = make_server(latency_ms=300)
    service: ReferenceService = server.service
    in_flight = 0
    peak = 0
    lock = threading.Lock()
    complete = service.complete

    def counting_complete(body: bytes, **kwargs: Any) -> Any:
        nonlocal in_flight, peak
        with lock:
            in_flight += 1
            peak = max(peak, in_flight)
        try:
            return complete(body, **kwargs)
        finally:
            with lock:
                in_flight -= 1

    service.complete = counting_complete  # type: ignore[method-assign]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        with openai.OpenAI(base_url=server.base_url, api_key="test", max_retries=0) as client:
            workers = [threading.Thread(target=ask, args=(client, [user_message(name)]))
                       for name in SEED_NAMES]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
    assert peak >= 2


@loopback
def test_each_request_is_logged_with_article_and_attempt_but_never_the_key(
    base_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "sk-do-not-log-this-0123456789"
    with caplog.at_level("INFO", logger="tests.reference_server"), \
            openai.OpenAI(base_url=base_url, api_key=secret, default_query={"key": secret},
                          max_retries=0) as client:
        ask(client, [user_message(KIRBY_ARTICLE)])
    (line,) = [r.getMessage() for r in caplog.records if r.name == "tests.reference_server"]
    assert line.startswith("POST /v1/chat/completions ")
    assert f"article={KIRBY_ARTICLE} attempt=1 status=200 ms=" in line
    assert secret not in caplog.text


def test_help_explains_that_tokens_are_estimated(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "--latency-ms" in help_text
    assert "ceil(characters / 4)" in help_text


def _claims_of_request(schema_of: type[ArticleExtraction], name: str) -> list[dict[str, Any]]:
    request = {"tools": [{"type": "function", "function": {
        "name": "x", "parameters": schema_of.model_json_schema()}}]}
    answer = REFERENCES[name].annotation.answers[-1]
    return list(in_requested_schema(answer, request)["claims"])  # type: ignore[arg-type]


def test_a_prompt_v1_request_gets_claims_without_events_and_v2_with_them() -> None:
    name = "000_e9e0939858eebc6d.txt"
    v1, v2 = _claims_of_request(response_model(1), name), _claims_of_request(ANSWERED_IN, name)
    assert v1 and all("event" not in claim for claim in v1)
    assert all("event" in claim for claim in v2)
    ArticleExtraction.model_validate({**REFERENCES[name].annotation.answers[-1], "claims": v1})


@loopback
def test_a_long_static_prefix_seen_before_is_reported_cached_in_steps_of_128() -> None:
    system = {"role": "system", "content": "Rules. " * 800}  # 5,600 characters: 1,400 tokens
    with serve_in_thread() as url, openai.OpenAI(base_url=url, api_key="t", max_retries=0) as c:
        first = ask(c, [system, user_message("000_e9e0939858eebc6d.txt")])
        second = ask(c, [system, user_message("004_c9f4686ea8b9e3fa.txt")])
        short = [{"role": "system", "content": "Short."}, user_message("003_ecadb2b4344d6cd7.txt")]
        ask(c, short)
        short_again = ask(c, short)
    assert first.usage.prompt_tokens_details.cached_tokens == 0  # never seen before
    assert second.usage.prompt_tokens_details.cached_tokens == 1400 // 128 * 128
    assert short_again.usage.prompt_tokens_details.cached_tokens == 0  # under 1024 tokens
    assert second.usage.completion_tokens_details.reasoning_tokens == 0


@loopback
@pytest.mark.parametrize(("fault", "param", "code"), [
    pytest.param("unsupported_parameter:max_tokens", "max_tokens", "unsupported_parameter",
                 id="max_tokens"),
    pytest.param("unsupported_value:temperature", "temperature", "unsupported_value",
                 id="temperature"),
])
def test_a_refused_parameter_fault_is_openais_400_with_param_and_code(
    client: openai.OpenAI, fault: str, param: str, code: str
) -> None:
    messages = [user_message("002_3978ef90c4778512.txt", around=(f"{fault}\n", ""))]
    with pytest.raises(openai.BadRequestError) as caught:
        ask(client, messages, extra_headers={FAULTS_HEADER: fault})
    assert isinstance(caught.value.body, dict)
    assert (caught.value.body["param"], caught.value.body["code"]) == (param, code)
    assert f"'{param}'" in caught.value.body["message"]
    assert ask(client, messages, extra_headers={FAULTS_HEADER: fault}).choices[0].message.content
