"""One call to a provider, tried again while its failure is worth it: after the retry-after
the provider asks for, or a growing pause; an exhausted quota or a refused key fails at once."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from adapters.providers.errors import malformed, provider_error, retry_after_s
from domain.errors import ProviderError

T = TypeVar("T")


def with_retries(
    who: str,
    call: Callable[[], T],
    sdk_errors: tuple[type[Exception], ...],
    retries: int,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """`call()`; an SDK error, an answer that is not JSON, or a ProviderError it raises (an
    answer outside the schema) is tried again up to `retries` times when retryable, else
    raised as ProviderError."""
    for attempt in range(retries + 1):
        try:
            return call()
        except sdk_errors as error:
            failure, wait_s = provider_error(who, error), retry_after_s(error)
        except ProviderError as error:
            failure, wait_s = error, None
        except ValueError:  # the SDK could not read the answer: a body that is not JSON
            failure, wait_s = malformed(who), None
        if not failure.retryable or attempt == retries:
            raise failure from None
        sleep(wait_s or 0.5 * 2**attempt)
    raise AssertionError("unreachable")
