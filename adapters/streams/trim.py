"""Streams are trimmed, never past an entry a group still owes: what every group has read
and acknowledged goes; what a group has not read yet, or holds pending, stays.

For each stream the safe bound is the smallest, over the groups reading it, of the group's
oldest pending entry, or (none pending) the entry after the last one it read. A stream that
no group reads yet is left whole: its first workers will want all of it.
"""

from __future__ import annotations

import redis

from adapters.streams.names import entry_key, groups_of, text_of


def _after(entry_id: str) -> str:
    ms, seq = entry_id.split("-")
    return f"{ms}-{int(seq) + 1}"


def safe_bound(client: redis.Redis, stream: str) -> str | None:
    """The smallest entry id some group still needs, or None when nothing may go."""
    groups = groups_of(client, stream)
    if not groups:
        return None
    bounds = []
    for name, group in groups.items():
        if int(group["pending"]):
            oldest = client.xpending(stream, name)["min"]
            bounds.append(text_of(oldest))
        else:
            bounds.append(_after(text_of(group["last-delivered-id"])))
    return min(bounds, key=entry_key)


def trim(client: redis.Redis, stream: str) -> int:
    """Drop what every group has read and acknowledged; how many entries went."""
    bound = safe_bound(client, stream)
    if bound is None or bound == "0-1":
        return 0
    return int(client.xtrim(stream, minid=bound, approximate=False))
