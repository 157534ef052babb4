"""The public lookup's limit: a burst of `per_minute`, then one more each `60 / per_minute` seconds."""

from services.gateway.adapters.rate_limit import RateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_client_gets_its_burst_then_waits_while_others_go_on() -> None:
    clock = Clock()
    limiter = RateLimiter(per_minute=3, clock=clock)
    assert [limiter.allow("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.allow("a") == 20.0  # one token every 20 s
    assert limiter.allow("b") == 0.0
    clock.now += 20
    assert limiter.allow("a") == 0.0
    assert limiter.allow("a") > 0


def test_memory_stays_bounded_by_forgetting_refilled_clients() -> None:
    clock = Clock()
    limiter = RateLimiter(per_minute=60, clock=clock, max_clients=10)
    for n in range(10):
        limiter.allow(f"client-{n}")
    clock.now += 120
    limiter.allow("newcomer")
    assert list(limiter._buckets) == ["newcomer"]
