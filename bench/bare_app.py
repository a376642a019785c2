"""The baseline for bench/webhook.py: a FastAPI endpoint that only answers 200."""

from fastapi import FastAPI, Request

app = FastAPI()


@app.post("/telegram/webhook")
async def webhook(request: Request) -> dict[str, bool]:
    await request.body()
    return {"ok": True}
