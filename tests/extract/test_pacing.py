"""The shared pause: one 429 holds every request in flight, not only the one that got it."""

from __future__ import annotations

import asyncio

import httpx2

from pipeline.extract.pacing import PausingTransport, SharedPause


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def paused(clock: FakeClock, **kwargs: float) -> SharedPause:
    return SharedPause(clock=clock, sleep=clock.sleep, **kwargs)


def test_a_429_with_retry_after_makes_the_next_request_wait_that_long() -> None:
    clock = FakeClock()
    pause = paused(clock)
    answers = iter([httpx2.Response(429, headers={"Retry-After": "2"}), httpx2.Response(200)])
    client = httpx2.AsyncClient(
        transport=PausingTransport(httpx2.MockTransport(lambda _: next(answers)), pause))

    async def two_requests() -> list[int]:
        async with client:
            first = await client.get("http://127.0.0.1/v1/x")
            second = await client.get("http://127.0.0.1/v1/y")  # another article's request
        return [first.status_code, second.status_code]

    assert asyncio.run(two_requests()) == [429, 200]
    assert clock.slept == [2.0] and pause.pauses == 1


def test_without_retry_after_the_default_wait_is_used_and_capped() -> None:
    clock = FakeClock()
    pause = paused(clock, default_wait=0.5, max_wait=10.0)
    pause.pause(None)
    assert pause.until == clock.now + 0.5
    pause.pause(3600.0)
    assert pause.until == clock.now + 10.0


def test_a_shorter_pause_does_not_cut_a_longer_one() -> None:
    clock = FakeClock()
    pause = paused(clock)
    pause.pause(5.0)
    pause.pause(1.0)
    assert pause.until == clock.now + 5.0 and pause.pauses == 1


def test_requests_pass_without_waiting_when_nothing_was_refused() -> None:
    clock = FakeClock()
    pause = paused(clock)
    asyncio.run(pause.wait())
    assert clock.slept == []


def test_a_503_without_retry_after_sets_no_pause() -> None:
    clock = FakeClock()
    pause = paused(clock)
    transport = PausingTransport(httpx2.MockTransport(lambda _: httpx2.Response(503)), pause)

    async def one() -> None:
        async with httpx2.AsyncClient(transport=transport) as client:
            await client.get("http://127.0.0.1/")

    asyncio.run(one())
    assert pause.pauses == 0
