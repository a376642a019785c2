"""The webhook's OpenAPI document: Telegram's Update as its body, the answers it gives.

The handler reads the body itself, so a bad one is our 400 and not FastAPI's 422; the document
only describes it.
"""

from __future__ import annotations

import warnings
from typing import Any

from aiogram.types import Update
from fastapi import FastAPI
from pydantic import BaseModel, Field
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue, PydanticJsonSchemaWarning
from pydantic_core import core_schema

from adapters.telegram.edge.http_edge import MAX_BODY_BYTES


class WebhookAnswer(BaseModel):
    """What the webhook answers; Telegram reads only the status code."""

    ok: bool = Field(description="Whether the update was taken")
    error: str | None = Field(None, description="Why it was not")
    duplicate: bool | None = Field(None, description="Taken before: Telegram delivered it again")
    ignored: bool | None = Field(None, description="A kind of update the bot does not handle")


def _answer(description: str) -> dict[str, Any]:
    return {"model": WebhookAnswer, "description": description}


WEBHOOK_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: _answer("Taken, or a duplicate, or a kind the bot ignores"),
    400: _answer("Not a Telegram update (not JSON, too deep, not an Update): not sent again"),
    403: _answer("The secret token header is missing or wrong"),
    413: _answer(f"The body is over {MAX_BODY_BYTES:,} bytes"),
    503: _answer("The answer could not be recorded now: Telegram sends it again"),
}
UPDATE_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Update"}}},
    }
}


def document_update_schema(app: FastAPI) -> None:
    """Add Telegram's Update and the types it holds to the app's OpenAPI components."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        document = build()  # FastAPI keeps it as app.openapi_schema, so this runs once
        schemas = document.setdefault("components", {}).setdefault("schemas", {})
        update = update_schemas()
        if clash := update.keys() & schemas.keys():
            raise RuntimeError(f"Update's schemas would replace the app's own: {clash}")
        schemas.update(update)
        return document

    app.openapi = openapi  # type: ignore[method-assign]


def update_schemas() -> dict[str, Any]:
    """Update and its parts by name, as Telegram sends them and aiogram reads them."""
    with warnings.catch_warnings():
        # aiogram's Default("parse_mode") placeholders have no JSON form; they are left out.
        warnings.simplefilter("ignore", PydanticJsonSchemaWarning)
        update = Update.model_json_schema(
            ref_template="#/components/schemas/{model}", schema_generator=_TelegramJsonSchema
        )
    schemas = {**update.pop("$defs"), "Update": update}
    _require_union_tags(schemas)
    return schemas


class _TelegramJsonSchema(GenerateJsonSchema):
    def datetime_schema(self, schema: core_schema.DatetimeSchema) -> JsonSchemaValue:
        """Telegram sends Unix seconds; aiogram reads up to the end of year 9999."""
        return {"type": "integer", "minimum": 0, "maximum": 253_402_300_799}


def _require_union_tags(schemas: dict[str, Any]) -> None:
    """aiogram defaults a variant's tag (`type`, `source`), but picks the variant by it, so an
    update without it is refused: the tag is required."""
    pending: list[Any] = [schemas]
    while pending:
        node = pending.pop()
        if isinstance(node, list):
            pending.extend(node)
        elif isinstance(node, dict):
            if isinstance(discriminator := node.get("discriminator"), dict):
                tag = discriminator["propertyName"]
                for ref in discriminator["mapping"].values():
                    required = schemas[ref.rsplit("/", 1)[1]].setdefault("required", [])
                    if tag not in required:
                        required.append(tag)
            pending.extend(node.values())
