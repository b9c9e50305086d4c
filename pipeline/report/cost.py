"""What a run cost, from the tokens the endpoint billed and prices the user passes.

No price is built in: prices change and differ by provider, contract and batch discount, so the
user gives them (``--price-per-mtok 0.25,2`` in dollars, or any currency, per million tokens).
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.errors import ConfigurationError
from schemas.records import Usage

PRICE_OPTION = "--price-per-mtok"


@dataclass(frozen=True)
class TokenPrices:
    """Prices per million tokens: prompt, completion, and cached prompt (prompt when not given)."""

    prompt: float
    completion: float
    cached_prompt: float | None = None

    @classmethod
    def parse(cls, text: str) -> TokenPrices:
        """'IN,OUT' or 'IN,OUT,CACHED', e.g. '0.25,2' or '0.25,2,0.025'."""
        parts = [part.strip() for part in text.split(",")]
        try:
            values = [float(part) for part in parts]
        except ValueError:
            values = []
        if len(values) not in (2, 3) or any(value < 0 for value in values):
            raise ConfigurationError(
                f"{PRICE_OPTION} takes IN,OUT or IN,OUT,CACHED prices per million tokens "
                f"(e.g. 0.25,2,0.025), not {text!r}",
                setting=PRICE_OPTION,
            )
        return cls(*values)

    def cost(self, usage: Usage) -> float:
        """Cached prompt tokens at the cached price; reasoning tokens are completion tokens
        (OpenAI counts them in ``completion_tokens`` and bills them as output)."""
        cached = min(usage.cached_tokens, usage.prompt_tokens)
        cached_price = self.prompt if self.cached_prompt is None else self.cached_prompt
        return (
            (usage.prompt_tokens - cached) * self.prompt
            + cached * cached_price
            + usage.completion_tokens * self.completion
        ) / 1_000_000


def usage_line(usage: Usage, *, articles: int = 1, prices: TokenPrices | None = None) -> str:
    """'12,345 prompt (8,192 cached) + 1,234 completion (512 reasoning) tokens', per article when
    there are several, and the cost when prices are given."""
    line = (
        f"{usage.prompt_tokens:,} prompt ({usage.cached_tokens:,} cached) + "
        f"{usage.completion_tokens:,} completion ({usage.reasoning_tokens:,} reasoning) tokens"
    )
    if articles > 1:
        line += (
            f"; per article {usage.prompt_tokens / articles:,.0f} prompt + "
            f"{usage.completion_tokens / articles:,.0f} completion"
        )
    if prices is not None:
        cost = prices.cost(usage)
        line += f"; cost {cost:,.4f}"
        if articles > 1:
            line += f" ({cost / articles:,.5f} per article)"
    return line
