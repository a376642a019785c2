"""The running webhook against its own OpenAPI document: schemathesis sends what the document
allows, and what it refuses, with Telegram's secret; every answer is one the document lists,
none is a 5xx, a valid update is taken and a broken one refused."""

from __future__ import annotations

from typing import Any

import httpx
import schemathesis

from adapters.settings import Settings
from adapters.telegram.edge.webhook import SECRET_HEADER, create_app
from tests.e2e.telegram_harness import SECRET, BotUnderTest

# Loaded at import, before any server runs: schemathesis.pytest.from_fixture would load it from
# the running one, but 4.32.5 sets `request.node._nodeid`, which pytest 9 no longer has.
DOCUMENT = create_app(Settings()).openapi()
WEBHOOK = "/telegram/webhook"


def cut_update(document: dict[str, Any], depth: int) -> dict[str, Any]:
    """The document with the webhook's body schema inlined `depth` types deep and anything
    deeper allowed: looser than Update, so a body that breaks it breaks Update too."""
    schemas = document["components"]["schemas"]

    def cut(node: Any, depth: int) -> Any:
        if isinstance(node, list):
            return [cut(item, depth) for item in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            return cut(schemas[node["$ref"].rsplit("/", 1)[1]], depth - 1) if depth else {}
        # Loosened variants may all match, which oneOf forbids; a discriminator names uncut ones.
        return {("anyOf" if k == "oneOf" else k): cut(v, depth) for k, v in node.items()
                if k != "discriminator"}  # fmt: skip

    body = {"content": {"application/json": {"schema": cut(schemas["Update"], depth)}}}
    webhook = {**document["paths"][WEBHOOK]["post"], "requestBody": {"required": True, **body}}
    return {**document, "paths": {**document["paths"], WEBHOOK: {"post": webhook}}}


valid = schemathesis.openapi.from_dict(DOCUMENT)
valid.config.generation.update(max_examples=100, modes=["positive"])
# Not the coverage phase: it walks every property of the 200-odd types an Update holds, and
# had not finished in 2 minutes here.
valid.config.phases.update(phases=["examples", "fuzzing"])

# Negative data from the whole Update took a minute an example here (6 in 6 minutes:
# schemathesis hashes and walks the full schema), so broken bodies come from Update cut one type
# deep: its fields and those of Message, CallbackQuery and the rest, not of the types inside.
broken = schemathesis.openapi.from_dict(cut_update(DOCUMENT, depth=1)).include(path=WEBHOOK)
broken.config.generation.update(max_examples=100, modes=["negative"])
broken.config.phases.update(phases=["fuzzing"])


def test_the_fuzzed_document_is_the_one_served(bot: BotUnderTest):
    assert httpx.get(f"{bot.url}/openapi.json").json() == DOCUMENT


@valid.parametrize()
def test_valid_requests_are_answered_as_documented_and_never_with_a_5xx(
    bot: BotUnderTest, case: schemathesis.Case
):
    case.call_and_validate(base_url=bot.url, headers={SECRET_HEADER: SECRET})


@broken.parametrize()
def test_broken_updates_are_refused_as_documented_and_never_with_a_5xx(
    bot: BotUnderTest, case: schemathesis.Case
):
    case.call_and_validate(base_url=bot.url, headers={SECRET_HEADER: SECRET})
