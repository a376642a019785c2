"""A ClickHouse server's HTTP interface in front of chDB, for the tests of the analytics'
server store (clickhouse-connect, CLICKHOUSE_URL).

No ClickHouse server installs here (Debian's is from 2018 and clickhouse-connect fails on
it), but chDB is the same engine in-process: this speaks ClickHouse's HTTP protocol (the
query in the URL or the body, the data of an INSERT in the body, lz4 or gzip as the client
compresses it, {name:Type} parameters as `param_name`, errors as status 500 with
X-ClickHouse-Exception-Code) and runs each statement on one chDB session, so the real
client drives the real engine over the wire.
"""

from __future__ import annotations

import gzip
import re
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

_INSERT_FORMAT = re.compile(r"^\s*INSERT\s.*\bFORMAT\s+(\w+)\s*$", re.IGNORECASE | re.DOTALL)


class ClickHouseOverChdb:
    def __init__(self, folder: Path) -> None:
        from chdb import session

        self.session = session.Session(str(folder))
        self.lock = threading.Lock()
        self.statements: list[str] = []
        self._spool = Path(tempfile.mkdtemp(prefix="ch-http-"))

    def run(self, sql: str, params: dict[str, str], data: bytes | None) -> bytes:
        with self.lock:
            self.statements.append(sql)
            if data is not None:
                sql = self._insert_from(sql, data)
            fmt = "TabSeparated"
            result = self.session.query(sql, fmt, params=params)
            return bytes(result.bytes())

    def _insert_from(self, sql: str, data: bytes) -> str:
        """`INSERT INTO t (a, b) FORMAT Native` and its data: as an INSERT ... SELECT from
        the data in a file (chDB takes no data beside a statement)."""
        matched = _INSERT_FORMAT.match(sql)
        if matched is None:
            raise ValueError("data was sent with a statement that is not INSERT ... FORMAT")
        path = self._spool / "insert.bin"
        path.write_bytes(data)
        head = sql[: matched.start(1)].rstrip()
        head = re.sub(r"\s+FORMAT$", "", head, flags=re.IGNORECASE)
        return f"{head} SELECT * FROM file('{path}', {matched.group(1)})"  # noqa: S608 - a test's own client

    def close(self) -> None:
        self.session.close()


_BODY_INSERT = re.compile(rb"^(\s*INSERT\b.*?\bFORMAT\s+\w+)[ \t]*\r?\n", re.IGNORECASE | re.DOTALL)


def _split(body: bytes) -> tuple[str, bytes | None]:
    """A body that is a statement, or an INSERT ... FORMAT statement with its data after
    the line it ends."""
    matched = _BODY_INSERT.match(body)
    if matched is None:
        return body.decode(), None
    return matched.group(1).decode(), body[matched.end() :]


def _decoded(body: bytes, encoding: str | None) -> bytes:
    if not encoding or encoding == "identity":
        return body
    if encoding == "gzip":
        return gzip.decompress(body)
    if encoding == "lz4":
        import lz4.frame

        return bytes(lz4.frame.decompress(body))
    if encoding == "zstd":
        import zstandard

        return bytes(zstandard.ZstdDecompressor().decompressobj().decompress(body))
    raise ValueError(f"unsupported Content-Encoding {encoding}")


def _handler(engine: ClickHouseOverChdb) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            self._answer(b"")

        def do_POST(self) -> None:
            if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                self._answer(self._chunked())
            else:
                self._answer(self.rfile.read(int(self.headers.get("Content-Length") or 0)))

        def _chunked(self) -> bytes:
            """The body as the client streams an INSERT's blocks: chunks, each its size in
            hex on a line of its own, to one of size 0."""
            body = bytearray()
            while size := int(self.rfile.readline().split(b";")[0].strip(), 16):
                body += self.rfile.read(size)
                self.rfile.readline()
            while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                pass  # trailers
            return bytes(body)

        def _answer(self, body: bytes) -> None:
            url = urlsplit(self.path)
            if url.path == "/ping":
                return self._send(200, b"Ok.\n")
            query = {k: v[-1] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
            try:
                body = _decoded(body, self.headers.get("Content-Encoding"))
                sql, data = (query["query"], body or None) if "query" in query else _split(body)
                params = {k[6:]: v for k, v in query.items() if k.startswith("param_")}
                result = engine.run(sql, params, data)
            except Exception as failed:  # noqa: BLE001 - told to the client, as ClickHouse does
                code = re.search(r"Code: (\d+)", str(failed))
                return self._send(500, f"Code: {code.group(1) if code else 1000}. "
                                  f"DB::Exception: {failed}\n".encode(),
                                  {"X-ClickHouse-Exception-Code": code.group(1) if code
                                   else "1000"})  # fmt: skip
            return self._send(200, result, {"X-ClickHouse-Summary": "{}"})

        def _send(self, status: int, payload: bytes, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    return Handler


@contextmanager
def clickhouse_http(folder: Path) -> Iterator[tuple[str, ClickHouseOverChdb]]:
    """A server on a free loopback port: its URL (for CLICKHOUSE_URL) and its engine."""
    engine = ClickHouseOverChdb(folder)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(engine))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", engine
    finally:
        server.shutdown()
        server.server_close()
        engine.close()
