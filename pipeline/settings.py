"""Configuration, built once from arguments and the environment, then passed down explicitly."""

from __future__ import annotations

import ipaddress
from enum import StrEnum
from pathlib import Path
from urllib.parse import urlparse

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from pipeline.errors import ConfigurationError
from schemas.model_profiles import StructuredMode, TokenParam

__all__ = ["ReasoningEffort", "Settings", "StructuredMode", "TokenParam"]

DEFAULT_MODEL = "gpt-5-mini"


class ReasoningEffort(StrEnum):
    """How long a reasoning model thinks before it answers (OpenAI's values; others vary)."""

    NONE = "none"
    MINIMAL = "minimal"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    XHIGH = "xhigh"


def endpoint_problem(url: str) -> str | None:
    """What is wrong with an endpoint URL, or None: scheme http(s), a host, a port in range."""
    try:
        parts = urlparse(url.strip())
        port = parts.port  # raises for a port that is not a number or over 65535
    except ValueError as exc:
        return f"is not a valid URL ({exc})"
    if parts.scheme not in ("http", "https"):
        found = f"'{parts.scheme}://'" if parts.scheme else "none"
        return f"needs the scheme http:// or https:// (found {found})"
    if not parts.hostname:
        return "has no host name"
    if port == 0:
        return "has port 0"
    return None


class Settings(BaseSettings):
    """Everything that decides which model answers and how; printable, the key stays secret."""

    model_config = SettingsConfigDict(
        env_prefix="NEWSEXTRACT_", extra="forbid", populate_by_name=True, frozen=True
    )

    base_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("OPENAI_BASE_URL"),
        description="OpenAI-compatible endpoint, e.g. http://127.0.0.1:8080/v1; OpenAI when unset.",
    )
    api_key: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("OPENAI_API_KEY"),
        description="Key for the endpoint; not needed for a server on this machine.",
    )
    model: str = Field(default=DEFAULT_MODEL, description="Model name sent with every request.")
    mode: StructuredMode | None = Field(
        default=None,
        description="None: the endpoint's (json_schema for OpenAI and Azure, tools elsewhere).",
    )
    prompt_version: int | None = Field(default=None, ge=1, description="None: the newest.")
    prompts_dir: Path | None = Field(default=None, description="None: the installed prompts.")
    temperature: float | None = Field(
        default=None, ge=0.0, le=2.0,
        description="None: not sent. Never sent to models that take only the default.",
    )
    max_tokens: int = Field(
        default=4096, ge=256,
        description="Bound on the answer, sent as token_param (reasoning tokens count too).",
    )
    token_param: TokenParam | None = Field(
        default=None, description="None: from model_profiles (the model, then the endpoint)."
    )
    reasoning_effort: ReasoningEffort | None = Field(
        default=None, description="Sent to reasoning models when set; None: the model's default."
    )
    model_profiles: Path | None = Field(
        default=None, description="A table of model families to use instead of the installed one."
    )
    max_reasks: int = Field(default=2, ge=0, description="Re-asks after a validation failure.")
    max_transport_attempts: int = Field(
        default=5, ge=1, description="Tries per request on 429/5xx/timeouts."
    )
    retry_initial_wait: float = Field(
        default=1.0, ge=0.0, description="Seconds before the first retry."
    )
    retry_max_wait: float = Field(
        default=60.0, ge=0.0, description="Cap on one wait, Retry-After included."
    )
    timeout: float = Field(default=180.0, gt=0.0, description="Seconds per HTTP request.")
    # Long enough for an article's every retry and re-ask; a run renews its claims every
    # quarter of it, so only a run that stopped renewing (hung, or dead on another machine)
    # loses its articles to another run.
    claim_lease: float = Field(
        default=600.0, gt=0.0,
        description="Seconds another run's claim on an article is honoured without renewal.",
    )
    # A guard against absurd inputs only: long documents are sent in chunks of chunk_chars.
    max_article_chars: int = Field(
        default=5_000_000, ge=1000, description="Longer inputs are refused, not truncated."
    )
    # An answer lists every quote and claim with its words copied: dense news (a briefing)
    # answers with about twice its length, so 8,000 characters fit a 4,096-token answer.
    chunk_chars: int = Field(
        default=8_000, ge=500,
        description="Longer articles are sent in chunks of at most this many characters.",
    )
    chunk_overlap_chars: int = Field(
        default=600, ge=0,
        description="Characters consecutive chunks share, so a quote cut by one stands in both.",
    )
    # Every quote and evidence copied from a 100,000-character article, with names and
    # statements, fits well below this; what is longer is a model repeating itself.
    max_answer_chars: int = Field(
        default=500_000, ge=1000,
        description="Longer answers are refused and not stored (NEWSEXTRACT_MAX_ANSWER_CHARS).",
    )

    @field_validator("base_url")
    @classmethod
    def _check_endpoint(cls, value: str | None) -> str | None:
        """Refused here, before any call, rather than as a connection error per article."""
        if not value:
            return None
        problem = endpoint_problem(value)
        if problem is not None:
            raise ValueError(f"OPENAI_BASE_URL {value!r} {problem}; "
                             "expected e.g. http://127.0.0.1:8080/v1")
        return value.rstrip("/")

    def is_local_endpoint(self) -> bool:
        """Loopback servers (llama.cpp, the reference server) need no key."""
        host = urlparse(self.base_url or "").hostname
        if host is None:
            return False
        if host == "localhost":
            return True
        try:
            return ipaddress.ip_address(host).is_loopback
        except ValueError:
            return False

    def api_key_value(self) -> str:
        """The key to send; a clear error when a remote endpoint has none."""
        if self.api_key is not None and self.api_key.get_secret_value():
            return self.api_key.get_secret_value()
        if self.is_local_endpoint():
            return "no-key-needed-for-local-server"
        endpoint = self.base_url or "https://api.openai.com/v1"
        raise ConfigurationError(
            f"No API key for {endpoint}: set OPENAI_API_KEY (or pass api_key=...)",
            setting="OPENAI_API_KEY",
        )
