"""The front door every update comes through, by webhook or by long polling alike.

Who may use the bot (adapters.telegram.intake.admission), each update handled once (Telegram
sends one again when it saw no 200), and a voice answer recorded before anything else
happens to it. The webhook calls `take` before its 200, then hands the rest of the update
to the dispatcher; under long polling the same `take` runs as the dispatcher's first outer
middleware. Either way an accepted answer is the workers' from then on.
"""

from __future__ import annotations

from typing import Any, Final, Literal

from aiogram.types import TelegramObject, Update
from aiogram.types.update import UpdateTypeLookupError

from adapters.telegram.intake.admission import Admission, NextHandler
from adapters.telegram.intake.answers import Accepted, Refused, audio_of
from adapters.telegram.intake.dedupe import RecentUpdates
from adapters.telegram.intake.recording import AnswerRecorder
from adapters.telegram.intake.shared_limits import SharedRecentUpdates

IGNORED: Final = "ignored"  # not a kind of update we handle, or from a chat not admitted
DUPLICATE: Final = "duplicate"  # handled before
Taken = Literal["ignored", "duplicate"] | Accepted | Refused | None  # None: not an answer
HANDLED_KINDS = ("message", "callback_query")


class FrontDoor:
    def __init__(
        self,
        admission: Admission,
        updates: RecentUpdates | SharedRecentUpdates,
        recorder: AnswerRecorder | None,
    ) -> None:
        self.admission, self.updates, self.recorder = admission, updates, recorder

    async def take(self, update: Update) -> Taken:
        """What became of `update` at the door. Raises if its voice answer could not be
        recorded (the update is then not taken for a duplicate when it comes again)."""
        # Before the dedupe window: a flood from strangers must not push our learners' out.
        if not _handled_kind(update) or not self.admission.admits(update):
            return IGNORED
        if not await self.updates.first_time(update.update_id):
            return DUPLICATE
        answer = update.message if update.message and audio_of(update.message) else None
        if answer is None or self.recorder is None:
            return None
        try:
            return await self.recorder.accept(answer)
        except Exception:
            await self.updates.forget(update.update_id)
            raise

    async def close(self) -> None:
        await self.updates.close()

    async def __call__(
        self, handler: NextHandler, event: TelegramObject, data: dict[str, Any]
    ) -> Any:
        """As the dispatcher's first outer middleware: an update the webhook has taken
        (`accepted` in its data) goes on; one from long polling is taken here first."""
        if "accepted" in data or not isinstance(event, Update):
            return await handler(event, data)
        taken = await self.take(event)
        if taken in (IGNORED, DUPLICATE) or isinstance(taken, Accepted):
            return None
        data["accepted"] = taken
        return await handler(event, data)


def _handled_kind(update: Update) -> bool:
    try:
        return update.event_type in HANDLED_KINDS
    except UpdateTypeLookupError:
        return False
