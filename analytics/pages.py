"""The dashboards without Grafana: a page per dashboard whose panels run the very SQL of
the Grafana panels (analytics.dashboards) on the same windows, drawn as PNG charts and
HTML tables, with a time range and the dashboard's variables as pickers, refreshed every
30 seconds. `speech-coach analytics serve` runs it beside the dataflow, in the process that
owns the chDB folder.

A picked value is used only if the variable offers it (a value read from our own store, or
one of the dashboard's own): a request can choose among values, never write SQL.
"""

from __future__ import annotations

import html
import io
import math
import re
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response

from analytics.dashboards import DASHBOARDS, POPULATION, RANGES, Dashboard, filled
from analytics.store import AnalyticsStore

DEFAULT_RANGE = "7d"
REFRESH_S = 30

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 1.5rem; background: #fafafa; color: #222 }
h1 { margin: 0 0 .3rem } p.about { margin: 0 0 1rem; color: #555 }
form { display: flex; gap: 1rem; margin-bottom: 1rem; flex-wrap: wrap }
.panels { display: grid; grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); gap: 1rem }
figure { margin: 0; background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: .6rem }
figure.wide { grid-column: 1 / -1 } figcaption { font-weight: 600; margin-bottom: .4rem }
img { width: 100% } table { border-collapse: collapse; width: 100% }
td, th { border-bottom: 1px solid #eee; padding: .25rem .5rem; text-align: left }
.stat { font-size: 2.2rem; font-weight: 600 } .empty { color: #888 }
"""


def _options(store: AnalyticsStore, variable: Mapping[str, Any]) -> list[str]:
    if variable["type"] == "query":
        return [str(row["value"]) for row in store.rows(variable["query"])]
    return [option["value"] for option in variable["options"]]


def _chosen(
    store: AnalyticsStore, dashboard: Dashboard, asked: Mapping[str, str]
) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Each variable's value (the one asked for if offered, else the first offered), and
    what each offers."""
    values, offered = {}, {}
    for variable in dashboard.variables:
        name = variable["name"]
        offered[name] = _options(store, variable)
        wanted = asked.get(name)
        if wanted in offered[name]:
            values[name] = wanted
        elif variable["type"] == "custom":
            values[name] = variable["current"]["value"]
        else:
            values[name] = offered[name][0] if offered[name] else ""
    return values, offered


def _span(asked: str | None) -> tuple[str, int, int]:
    chosen = asked if asked in RANGES else DEFAULT_RANGE
    end = int(time.time())
    return chosen, end - RANGES[chosen], end


def _rows(store: AnalyticsStore, sql: str, start: int, end: int,
          values: Mapping[str, str]) -> list[dict[str, Any]]:  # fmt: skip
    return store.rows(filled(sql, start, end, values))


def charts(store: AnalyticsStore, folder: Path, dashboard: Dashboard = POPULATION,
           span: str = DEFAULT_RANGE) -> list[Path]:  # fmt: skip
    """The dashboard's charts over the last `span`, as PNG files in `folder` (its variables
    at their defaults): the files written."""
    _, start, end = _span(span)
    values, _ = _chosen(store, dashboard, {})
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for panel in dashboard.to_json()["panels"]:
        if panel["type"] not in ("timeseries", "barchart"):
            continue
        rows = _rows(store, panel["targets"][0]["rawSql"], start, end, values)
        slug = re.sub(r"[^a-z0-9]+", "-", panel["title"].lower()).strip("-")
        path = folder / f"{dashboard.uid}-{panel['id']}-{slug}.png"
        path.write_bytes(_png(panel, rows))
        written.append(path)
    return written


def _png(panel: Mapping[str, Any], rows: Sequence[Mapping[str, Any]]) -> bytes:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8.0, 3.6), dpi=100)
    ax = fig.subplots()
    if not rows:
        ax.text(0.5, 0.5, "No answers in this range yet", ha="center", va="center", fontsize=14)
        ax.set_axis_off()
    elif panel["type"] == "barchart":
        names = list(rows[0])
        ax.bar([str(r[names[0]]) for r in rows], [float(r[names[1]] or 0) for r in rows])
        ax.set_xlabel(names[0])
        ax.set_ylabel(names[1])
    else:
        _lines(ax, rows)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()


def _lines(ax: Any, rows: Sequence[Mapping[str, Any]]) -> None:
    """One line per figure, or per figure and label (a mode, a level) when rows carry one."""
    columns = list(rows[0])
    label = next((c for c in columns[1:] if isinstance(rows[0][c], str)), None)
    figures = [c for c in columns[1:] if c != label]
    series: dict[str, tuple[list[datetime], list[float]]] = {}
    for row in rows:
        at = datetime.fromisoformat(str(row["time"]))
        for figure in figures:
            name = f"{row[label]} {figure}" if label and len(figures) > 1 else (
                str(row[label]) if label else figure)  # fmt: skip
            xs, ys = series.setdefault(name, ([], []))
            xs.append(at)
            ys.append(math.nan if row[figure] is None else float(row[figure]))
    for name, (xs, ys) in series.items():
        ax.plot(xs, ys, label=name, linewidth=1.8)
    ax.legend(fontsize=8, loc="upper left")
    ax.tick_params(axis="x", labelrotation=20, labelsize=8)


def _table(rows: Sequence[Mapping[str, Any]]) -> str:
    if not rows:
        return '<p class="empty">No answers in this range yet.</p>'
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in rows[0])
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(_cell(v))}</td>" for v in row.values()) + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _cell(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def _stat(rows: Sequence[Mapping[str, Any]]) -> str:
    if not rows or rows[0].get("behind_s") is None:
        return '<p class="empty">No windows yet.</p>'
    row = rows[0]
    return f'<div class="stat">{int(row["behind_s"])} s</div><div>{html.escape(str(row["newest"]))}</div>'  # noqa: E501


def pages_app(store: AnalyticsStore, dashboards: Sequence[Dashboard] = DASHBOARDS,
              started: Callable[[], bool] = lambda: True) -> FastAPI:  # fmt: skip
    """The pages over `store` (`started` says whether the dataflow beside it is running)."""
    app = FastAPI(title="Speech Coach analytics", docs_url=None, redoc_url=None)
    by_uid = {d.uid: d for d in dashboards}

    def dashboard_of(uid: str) -> Dashboard:
        if uid not in by_uid:
            raise HTTPException(404, f"No dashboard {uid!r}: see / for the list.")
        return by_uid[uid]

    @app.get("/", response_class=HTMLResponse)
    def index() -> str:
        links = "".join(
            f'<li><a href="/d/{d.uid}">{html.escape(d.title)}</a> — {html.escape(d.description)}'
            "</li>"
            for d in dashboards
        )
        return (f"<!doctype html><html><head><meta charset='utf-8'><title>Speech Coach "
                f"analytics</title><style>{_STYLE}</style></head><body><h1>Speech Coach "
                f"analytics</h1><ul>{links}</ul></body></html>")  # fmt: skip

    @app.get("/healthz")
    def healthz() -> dict[str, bool]:
        return {"ok": True, "dataflow": started()}

    @app.get("/d/{uid}", response_class=HTMLResponse)
    def page(uid: str, request: Request, range: str | None = Query(None)) -> str:
        dashboard = dashboard_of(uid)
        chosen, start, end = _span(range)
        values, offered = _chosen(store, dashboard, request.query_params)
        query = urlencode({"range": chosen, **values})
        pickers = [_select("range", "Time range", list(RANGES), chosen)]
        pickers += [
            _select(v["name"], v["label"], offered[v["name"]], values[v["name"]])
            for v in dashboard.variables
        ]
        figures = []
        for panel in dashboard.to_json()["panels"]:
            title = html.escape(panel["title"])
            wide = ' class="wide"' if panel["gridPos"]["w"] == 24 else ""
            if panel["type"] in ("timeseries", "barchart"):
                content = (f'<img src="/d/{uid}/panel/{panel["id"]}.png?{html.escape(query)}" '
                           f'alt="{title}">')  # fmt: skip
            else:
                rows = _rows(store, panel["targets"][0]["rawSql"], start, end, values)
                content = _table(rows) if panel["type"] == "table" else _stat(rows)
            figures.append(f'<figure data-kind="{panel["type"]}"{wide}><figcaption>{title}'
                           f"</figcaption>{content}</figure>")  # fmt: skip
        return (
            f"<!doctype html><html><head><meta charset='utf-8'><title>"
            f"{html.escape(dashboard.title)}</title><meta http-equiv='refresh' "
            f"content='{REFRESH_S}'><style>{_STYLE}</style></head><body>"
            f"<p><a href='/'>All dashboards</a></p><h1>{html.escape(dashboard.title)}</h1>"
            f"<p class='about'>{html.escape(dashboard.description)}</p>"
            f"<form method='get' id='pickers'>{''.join(pickers)}"
            "<noscript><button>Show</button></noscript></form>"
            f"<div class='panels'>{''.join(figures)}</div></body></html>"
        )

    @app.get("/d/{uid}/panel/{number}.png")
    def panel_png(uid: str, number: int, request: Request,
                  range: str | None = Query(None)) -> Response:  # fmt: skip
        dashboard = dashboard_of(uid)
        panels = {p["id"]: p for p in dashboard.to_json()["panels"]}
        if number not in panels:
            raise HTTPException(404, f"Dashboard {uid!r} has no panel {number}.")
        _, start, end = _span(range)
        values, _ = _chosen(store, dashboard, request.query_params)
        panel = panels[number]
        rows = _rows(store, panel["targets"][0]["rawSql"], start, end, values)
        return Response(_png(panel, rows), media_type="image/png",
                        headers={"Cache-Control": "no-store"})  # fmt: skip

    return app


def _select(name: str, label: str, options: Sequence[str], chosen: str) -> str:
    items = "".join(
        f'<option value="{html.escape(o)}"{" selected" if o == chosen else ""}>'
        f"{html.escape(o)}</option>"
        for o in options
    )
    return (f'<label>{html.escape(label)} <select name="{html.escape(name)}" '
            f'onchange="this.form.submit()">{items}</select></label>')  # fmt: skip
