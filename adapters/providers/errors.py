"""A provider's failure as ProviderError: retryable for a timeout, a rate limit, a 5xx or an
overload, a lost connection, or an answer that broke the schema; not for an exhausted
quota or a refused key, which no retry mends (the next provider should take over at once).
Neither the key nor the request's URL reaches the message."""

from __future__ import annotations

from typing import Any

from domain.errors import ProviderError

NOT_RETRIED = frozenset({"insufficient_quota", "unauthorized", "provider_error"})


def provider_error(who: str, error: Exception) -> ProviderError:
    """`error` from the openai or anthropic SDK (they share the shape of their errors)."""
    status = getattr(error, "status_code", None)
    kind = type(error).__name__
    text = str(_body_code(error) or "") + " " + str(getattr(error, "message", "")).lower()
    if "insufficient_quota" in text or "credit balance" in text:
        code, message = "insufficient_quota", "its account is out of quota"
    elif status in (401, 403):
        code, message = "unauthorized", "it refused the API key"
    elif "Timeout" in kind:
        code, message = "timeout", "it did not answer in time"
    elif "Connection" in kind:
        code, message = "unreachable", "it could not be reached"
    elif status == 429:
        code, message = "rate_limited", "it is rate limiting us"
    elif status is not None and status >= 500:
        code, message = "provider_down", f"it failed ({status})"
    else:
        code, message = "provider_error", f"it refused the request ({status})"
    return ProviderError(code, f"{who}: {message}.", retryable=code not in NOT_RETRIED)


def bad_output(who: str, why: str) -> ProviderError:
    return ProviderError("bad_output", f"{who}: its answer broke the schema ({why}).",
                         retryable=True)  # fmt: skip


def malformed(who: str) -> ProviderError:
    return ProviderError("malformed_answer", f"{who}: its answer was not valid JSON.",
                         retryable=True)  # fmt: skip


def retry_after_s(error: Exception) -> float | None:
    response = getattr(error, "response", None)
    value = response.headers.get("retry-after") if response is not None else None
    try:
        return min(float(value), 30.0) if value else None
    except ValueError:
        return None


def _body_code(error: Exception) -> str | None:
    body: Any = getattr(error, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict):
            return str(inner.get("code") or inner.get("type") or "") or None
    return getattr(error, "code", None)
