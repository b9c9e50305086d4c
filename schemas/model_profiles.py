"""What a model family and an endpoint accept: the shape of ``model_profiles.v<N>.toml``.

Read by ``pipeline.extract.parameters``; a typo in the file fails loudly (``extra="forbid"``).
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class TokenParam(StrEnum):
    """The request field that bounds the answer's length."""

    MAX_TOKENS = "max_tokens"  # llama.cpp, older vLLM, most OpenAI-compatible servers
    MAX_COMPLETION_TOKENS = "max_completion_tokens"  # OpenAI and Azure OpenAI (reasoning included)


class TemperatureSupport(StrEnum):
    ANY = "any"
    DEFAULT_ONLY = "default_only"  # the endpoint answers 400 unsupported_value to any other


class StructuredMode(StrEnum):
    """How the response schema reaches the model (instructor's modes, by their wire shape)."""

    TOOLS = "tools"  # a function tool whose parameters are the schema; OpenAI, vLLM, most servers
    JSON_SCHEMA = "json_schema"  # response_format json_schema, strict (OpenAI structured outputs)
    JSON = "json"  # schema in the system message, response_format json_object
    # json, plus the schema inside response_format: llama-cpp-python compiles it to a grammar, so
    # the answer cannot leave the schema. Servers that ignore "schema" treat it as json.
    JSON_OBJECT_SCHEMA = "json_object_schema"


_FILE = ConfigDict(extra="forbid", frozen=True)


class ModelFamily(BaseModel):
    """Models whose names match ``patterns`` (shell globs, case-insensitive)."""

    model_config = _FILE

    name: str
    patterns: list[str] = Field(min_length=1)
    token_param: TokenParam | None = Field(
        default=None, description="None: whatever the endpoint takes."
    )
    temperature: TemperatureSupport = TemperatureSupport.ANY
    reasoning_effort: bool = Field(description="Whether the model takes reasoning_effort.")
    source: str = Field(description="Where the behaviour is documented or was reported.")


class EndpointKind(BaseModel):
    """Endpoints whose host matches ``hosts`` (shell globs); the last one should match "*"."""

    model_config = _FILE

    name: str
    hosts: list[str] = Field(min_length=1)
    token_param: TokenParam
    mode: StructuredMode
    source: str


class ModelProfiles(BaseModel):
    """The whole table: first matching family and first matching endpoint win."""

    model_config = _FILE

    version: int = Field(ge=1)
    family: list[ModelFamily]
    endpoint: list[EndpointKind] = Field(min_length=1)
