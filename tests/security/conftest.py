"""One real webhook server per module, with scripted audio and speech at the ports."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.e2e.telegram_harness import BotUnderTest, scripted_bot


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BotUnderTest]:
    with scripted_bot(tmp_path_factory.mktemp("security")) as running:
        yield running
