"""Settings: an endpoint URL that cannot work is refused before the first call, saying why."""

from __future__ import annotations

import pydantic
import pytest

from pipeline.settings import Settings


@pytest.mark.parametrize(
    ("url", "said"),
    [
        pytest.param("http//x", "needs the scheme http:// or https:// (found none)", id="no-colon"),
        pytest.param("ftp://x/v1", "(found 'ftp://')", id="ftp"),
        pytest.param("http://127.0.0.1:70000/v1", "Port out of range", id="port-over-65535"),
        pytest.param(":::", "needs the scheme", id="colons"),
        pytest.param("http://:8080/v1", "has no host name", id="no-host"),
    ],
)
def test_a_malformed_endpoint_is_refused_with_what_is_wrong(url: str, said: str) -> None:
    with pytest.raises(pydantic.ValidationError, match="OPENAI_BASE_URL") as caught:
        Settings(base_url=url)
    assert said in str(caught.value)


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        pytest.param("http://127.0.0.1:8080/v1/", "http://127.0.0.1:8080/v1", id="slash-dropped"),
        pytest.param("https://api.openai.com/v1", "https://api.openai.com/v1", id="openai"),
        pytest.param("http://[::1]:8080/v1", "http://[::1]:8080/v1", id="ipv6-loopback"),
    ],
)
def test_a_well_formed_endpoint_is_kept(url: str, kept: str) -> None:
    assert Settings(base_url=url).base_url == kept


def test_the_answer_bound_reads_its_environment_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSEXTRACT_MAX_ANSWER_CHARS", "12345")
    assert Settings().max_answer_chars == 12345
