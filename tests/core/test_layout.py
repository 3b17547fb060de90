"""The layout's kept parts (webapp/layout.py) follow the language of each request."""
from __future__ import annotations

import re

import pytest

from webapp.layout import FRAGMENTS


def nav_labels(html: str) -> list[str]:
    nav = html.split('<nav class="main-nav"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r">([^<>]+)</a>", nav)


def test_each_language_gets_its_own_menu_and_footer(client):
    fr = client.get("/").get_data(as_text=True)
    en = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    again = client.get("/").get_data(as_text=True)
    assert nav_labels(fr)[0] == "Locataires" and nav_labels(en)[0] == "Tenants"
    assert nav_labels(again) == nav_labels(fr)
    assert "Numéros gratuits" in fr.split("<footer", 1)[1] and "Numéros gratuits" not in en.split("<footer", 1)[1]
    # The switcher is not kept: it links back to the page being read.
    assert "next=/infos/" in client.get("/infos/").get_data(as_text=True)


def test_the_layout_names_only_its_own_fragments(app):
    with app.test_request_context("/"):
        layout_fragment = app.jinja_env.globals["layout_fragment"]
        assert all(layout_fragment(name) for name in FRAGMENTS)
        with pytest.raises(ValueError):
            layout_fragment("../base")


@pytest.mark.parametrize("path", ["/", "/chat", "/staff/connexion"])
def test_every_page_names_an_icon_the_site_serves(client, path):
    # Without one the browser asks for /favicon.ico: a 404 on every first visit.
    html = client.get(path).get_data(as_text=True)
    icon = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', html)
    assert icon, path
    served = client.get(icon.group(1))
    assert served.status_code == 200 and served.mimetype == "image/svg+xml"
    assert served.get_data(as_text=True).startswith("<svg")
