"""`flask content index` and `flask content check`."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from flask import current_app

from webapp.content import bp, get_content
from webapp.content.search import build_index

bp.cli.short_help = "Content pages: index and checks."


@bp.cli.command("index")
def index_command():
    """Parse every page and rebuild the search index."""
    count = build_index(Path(current_app.config["SEARCH_INDEX_PATH"]), get_content())
    click.echo(f"indexed {count} pages")


@bp.cli.command("check")
def check_command():
    """Fail when a page is stale or a language lacks a page."""
    content = get_content()
    problems = [f"stale: {p.lang}/{p.slug} reviewed {p.reviewed}" for p in
                content.stale(dt.date.today(), current_app.config["CONTENT_MAX_AGE_DAYS"])]
    for lang in current_app.config["LANGUAGES"]:
        for slug in sorted(content.slugs("fr") - content.slugs(lang)):
            problems.append(f"missing in {lang}: {slug}")
    for line in problems:
        click.echo(line, err=True)
    if problems:
        raise SystemExit(1)
    click.echo(f"{len(content.pages)} pages OK")
