"""What goes into a request besides the messages: the token bound, temperature, reasoning effort,
the structured-output mode, each as the endpoint and model accept them.

Decided once per client from ``model_profiles.v1.toml`` (model-name patterns, endpoint hosts) and
explicit settings, which always win. OpenAI's current models refuse ``max_tokens`` and any
temperature but the default with HTTP 400; sending what they take spares the user that first
failure. When an endpoint still refuses a parameter, ``refused_parameter_hint`` says which one and
which setting changes it.
"""

from __future__ import annotations

import fnmatch
import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pydantic

from pipeline.datafiles import FIX_BY_NEW_VERSION, load_toml_model
from pipeline.errors import ConfigurationError
from pipeline.settings import Settings
from schemas.model_profiles import (
    EndpointKind,
    ModelFamily,
    ModelProfiles,
    StructuredMode,
    TemperatureSupport,
    TokenParam,
)

logger = logging.getLogger(__name__)

PROFILES_FILE = Path(__file__).with_name("model_profiles.v1.toml")
OPENAI_HOST = "api.openai.com"


@cache
def load_profiles(path: Path = PROFILES_FILE) -> ModelProfiles:
    """The table of model families and endpoints; a malformed file names itself, each problem
    and the setting that chose it."""
    fix = (FIX_BY_NEW_VERSION if path == PROFILES_FILE else
           "fix it, or unset NEWSEXTRACT_MODEL_PROFILES to use the installed table")
    return load_toml_model(path, ModelProfiles, error=_profiles_error, fix=fix)


def _profiles_error(message: str, *, path: Path | None = None) -> ConfigurationError:
    return ConfigurationError(f"{path}: not a valid model profiles file: {message}",
                              setting="NEWSEXTRACT_MODEL_PROFILES")


def endpoint_host(base_url: str | None) -> str:
    """The host requests go to; OpenAI's when no base URL is set (the openai client's default)."""
    return (urlparse(base_url).hostname or "").lower() if base_url else OPENAI_HOST


def family_of(model: str, profiles: ModelProfiles) -> ModelFamily | None:
    name = model.lower().rsplit("/", 1)[-1]  # "openai/gpt-5-mini" on OpenRouter is gpt-5-mini
    for family in profiles.family:
        if any(fnmatch.fnmatchcase(name, pattern.lower()) for pattern in family.patterns):
            return family
    return None


def endpoint_of(base_url: str | None, profiles: ModelProfiles) -> EndpointKind:
    host = endpoint_host(base_url)
    for endpoint in profiles.endpoint:
        if any(fnmatch.fnmatchcase(host, pattern.lower()) for pattern in endpoint.hosts):
            return endpoint
    return profiles.endpoint[-1]


@dataclass(frozen=True)
class RequestPlan:
    """The parameters one client sends with every request, and why."""

    model: str
    mode: StructuredMode
    token_param: TokenParam
    max_tokens: int
    temperature: float | None
    reasoning_effort: str | None
    family: str | None
    endpoint: str
    dropped: tuple[str, ...] = ()  # settings not sent because the model refuses them

    def parameters(self) -> dict[str, Any]:
        """The request fields: the token bound always, the others only when they are sent."""
        sent: dict[str, Any] = {self.token_param.value: self.max_tokens}
        if self.temperature is not None:
            sent["temperature"] = self.temperature
        if self.reasoning_effort is not None:
            sent["reasoning_effort"] = self.reasoning_effort
        return sent


def resolved_mode(settings: Settings) -> StructuredMode:
    """NEWSEXTRACT_MODE when set, else the endpoint's."""
    return settings.mode or endpoint_of(settings.base_url, _profiles(settings)).mode


def plan_request(settings: Settings) -> RequestPlan:
    """Explicit settings first, then the model's family, then the endpoint."""
    profiles = _profiles(settings)
    family = family_of(settings.model, profiles)
    endpoint = endpoint_of(settings.base_url, profiles)
    token_param = settings.token_param or (family and family.token_param) or endpoint.token_param
    dropped: list[str] = []
    temperature = settings.temperature
    if temperature is not None and family and family.temperature is TemperatureSupport.DEFAULT_ONLY:
        dropped.append(f"temperature={temperature:g}")
        temperature = None
    effort = settings.reasoning_effort.value if settings.reasoning_effort else None
    if effort is not None and family and not family.reasoning_effort:
        dropped.append(f"reasoning_effort={effort}")
        effort = None
    if dropped:
        logger.warning(
            "not sending %s: %s models (%s) refuse it", ", ".join(dropped), family and family.name,
            settings.model,
        )
    return RequestPlan(
        model=settings.model,
        mode=settings.mode or endpoint.mode,
        token_param=token_param,
        max_tokens=settings.max_tokens,
        temperature=temperature,
        reasoning_effort=effort,
        family=family.name if family else None,
        endpoint=endpoint.name,
        dropped=tuple(dropped),
    )


def _profiles(settings: Settings) -> ModelProfiles:
    return load_profiles(settings.model_profiles or PROFILES_FILE)


_REFUSED_CODES = frozenset({"unsupported_parameter", "unsupported_value"})
_FIXES = {
    "max_tokens": "set NEWSEXTRACT_TOKEN_PARAM=max_completion_tokens",
    "max_completion_tokens": "set NEWSEXTRACT_TOKEN_PARAM=max_tokens",
    "temperature": "unset NEWSEXTRACT_TEMPERATURE (the model takes only its default)",
    "reasoning_effort": "unset NEWSEXTRACT_REASONING_EFFORT, or give a value the model takes",
}


def refused_parameter_hint(body: object, plan: RequestPlan) -> str | None:
    """One line for OpenAI's 400 ``{"error": {"code": "unsupported_parameter", "param": ...}}``:
    which parameter, and the setting that changes it. None for any other error body."""
    error = body.get("error", body) if isinstance(body, dict) else None
    if not isinstance(error, dict) or error.get("code") not in _REFUSED_CODES:
        return None
    param = str(error.get("param") or "?")
    fix = _FIXES.get(param, "change or unset the setting that sends it")
    return (
        f"model {plan.model!r} refused parameter {param!r} ({error['code']}): {fix}; "
        f"the server said: {error.get('message', '')}"
    )


@cache
def strict_response_format(response_model: type[pydantic.BaseModel]) -> dict[str, Any]:
    """response_format for OpenAI's structured outputs, strict, through the openai SDK's own
    conversion (every property required, no additional properties, $refs with siblings inlined)."""
    from openai.lib._pydantic import to_strict_json_schema

    return {
        "type": "json_schema",
        "json_schema": {
            "name": response_model.__name__,
            "schema": to_strict_json_schema(response_model),
            "strict": True,
        },
    }
