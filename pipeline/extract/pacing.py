"""One pause shared by every request in flight, so that concurrency does not multiply a 429.

The llm layer retries a 429 after the server's Retry-After, but only the request that got it
waits: with eight articles in flight the seven others would keep sending. ``PausingTransport``
sits under the openai client: every request first waits out the shared pause, and a 429 (or a
503 with Retry-After) sets the pause for all of them.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import time
from collections.abc import Awaitable, Callable

import httpx2

logger = logging.getLogger(__name__)


def retry_after_seconds(exc: BaseException | None) -> float | None:
    """The server's Retry-After (seconds or HTTP date; or retry-after-ms), when it sent one."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    if headers is None:
        return None
    if (millis := headers.get("retry-after-ms")) is not None:
        try:
            return max(float(millis) / 1000, 0.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(value) if value else None
        return max(parsed.timestamp() - time.time(), 0.0) if parsed else None


class SharedPause:
    """A moment before which no request may leave; ``clock`` and ``sleep`` replaceable in tests."""

    def __init__(
        self,
        *,
        default_wait: float = 1.0,
        max_wait: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.default_wait = default_wait
        self.max_wait = max_wait
        self.clock = clock
        self.sleep = sleep
        self.until = 0.0
        self.pauses = 0

    def pause(self, seconds: float | None) -> None:
        """Hold every request for ``seconds`` (the default wait when the server gave none)."""
        wait = min(self.default_wait if seconds is None else seconds, self.max_wait)
        until = self.clock() + wait
        if until > self.until:
            self.until = until
            self.pauses += 1
            logger.warning("endpoint asks to slow down: every request waits %.1fs", wait)

    async def wait(self) -> None:
        while (delay := self.until - self.clock()) > 0:
            await self.sleep(delay)


class PausingTransport(httpx2.AsyncBaseTransport):
    """An httpx transport that waits out the shared pause before each request, and sets it."""

    def __init__(self, inner: httpx2.AsyncBaseTransport, pause: SharedPause) -> None:
        self.inner = inner
        self.pause = pause

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        await self.pause.wait()
        response = await self.inner.handle_async_request(request)
        if response.status_code == 429 or (
            response.status_code == 503 and "retry-after" in response.headers
        ):
            status = httpx2.HTTPStatusError("slow down", request=request, response=response)
            self.pause.pause(retry_after_seconds(status))
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


def pausing_http_client(pause: SharedPause) -> httpx2.AsyncClient:
    """openai's default async client (its timeouts, limits, redirects) over a pausing transport."""
    import openai  # here, not at the top: a cached re-run never loads the client

    inner = httpx2.AsyncHTTPTransport(limits=openai.DEFAULT_CONNECTION_LIMITS)
    return openai.DefaultAsyncHttpxClient(transport=PausingTransport(inner, pause))
