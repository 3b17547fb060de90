"""`flask content index` and `flask content check`."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from flask import current_app

from webapp.content import bp, get_content
from webapp.content.placeholders import check_page
from webapp.content.search import build_index
from webapp.directory import directory_snapshot

bp.cli.short_help = "Content pages: index and checks."


@bp.cli.command("index")
def index_command():
    """Parse every page and rebuild the search index."""
    directory, version = directory_snapshot(current_app)
    count = build_index(Path(current_app.config["SEARCH_INDEX_PATH"]), get_content(), directory, version)
    click.echo(f"indexed {count} pages")


def content_problems(content, directory, today: dt.date) -> list[str]:
    """Stale pages, pages missing in a language, and contact details not taken from the directory."""
    problems = [f"stale: {p.lang}/{p.slug} reviewed {p.reviewed}" for p in
                content.stale(today, current_app.config["CONTENT_MAX_AGE_DAYS"])]
    for lang in current_app.config["LANGUAGES"]:
        for slug in sorted(content.slugs("fr") - content.slugs(lang)):
            problems.append(f"missing in {lang}: {slug}")
    for (lang, slug), page in sorted(content.pages.items()):
        problems += [f"{lang}/{slug}: {problem}" for problem in check_page(page, directory)]
    return problems


@bp.cli.command("check")
def check_command():
    """Fail when a page is stale, a language lacks a page, or a page writes contact details by hand."""
    content = get_content()
    directory, _version = directory_snapshot(current_app)
    problems = content_problems(content, directory, dt.date.today())
    for line in problems:
        click.echo(line, err=True)
    if problems:
        raise SystemExit(1)
    click.echo(f"{len(content.pages)} pages OK")
