"""The HTTP edge: Telegram's webhook (FastAPI), reading an update safely, the OpenAPI document."""
