"""Templates build links through their own route (`app/web/routes_by_name.py`), with the
same addresses as Starlette's `url_for`."""

import re

import pytest
from starlette.routing import Mount, NoMatchFound, Route, Router

from app.main import create_app
from app.web.routes_by_name import RoutesByName, _leaf_routes
from tests.conftest import FIXTURES

SAMPLE_VALUES = {"slug": "a-b-c", "fmt": "bib", "path": "style.css", "position": "3"}


def _named_routes(app):
    for route in _leaf_routes(app.router.routes):
        name = getattr(route, "name", None)
        params = re.findall(r"{(\w+)(?::\w+)?}", getattr(route, "path", None) or "")
        if isinstance(route, Mount):
            params = ["path"]
        if name and all(param in SAMPLE_VALUES for param in params):
            yield name, {param: SAMPLE_VALUES[param] for param in params}


def test_every_named_route_gives_the_routers_own_address(settings):
    app = create_app(settings)
    routes = RoutesByName(app.router)
    checked = 0
    for name, params in _named_routes(app):
        assert routes.url_path_for(name, **params) == app.router.url_path_for(name, **params)
        checked += 1
    assert checked >= 20  # the pages, the API, feeds, exports and the static files


@pytest.mark.parametrize("root_path", ["", "/archive"])
def test_template_links_are_the_requests_own_url_for(settings, root_path):
    # The templates' url_for builds the address as text; it must be what
    # `request.url_for` gives, behind a path prefix too.
    from starlette.requests import Request

    app = create_app(settings)
    url_for = app.state.templates.env.globals["url_for"]
    scope = {
        "type": "http",
        "scheme": "https",
        "server": ("archive.example", 443),
        "headers": [(b"host", b"archive.example")],
        "path": f"{root_path}/",
        "root_path": root_path,
        "query_string": b"",
        "app": app,
        "router": app.router,
    }
    request = Request(scope)
    checked = 0
    for name, params in _named_routes(app):
        expected = str(request.url_for(name, **params))
        assert url_for({"request": request}, name, **params) == expected
        checked += 1
    assert checked >= 20
    assert expected.startswith(f"https://archive.example{root_path}/")


def test_a_name_shared_by_two_routes_takes_the_first_that_fits_the_parameters():
    async def endpoint(request):  # pragma: no cover - never called
        return None

    router = Router(
        [
            Route("/a/{slug}", endpoint, name="page"),
            Route("/b/{slug}/{fmt}", endpoint, name="page"),
        ]
    )
    routes = RoutesByName(router)
    assert routes.url_path_for("page", slug="x") == "/a/x"
    assert routes.url_path_for("page", slug="x", fmt="y") == "/b/x/y"
    with pytest.raises(NoMatchFound):
        routes.url_path_for("page", other="x")
    with pytest.raises(NoMatchFound):
        routes.url_path_for("missing")


def test_article_page_links_never_search_the_whole_router(client, ingest, tmp_path, monkeypatch):
    (tmp_path / "wire.txt").write_text((FIXTURES / "articles" / "wire-report.txt").read_text())
    slug = ingest(tmp_path).slugs[0]
    expected = client.get(f"/articles/{slug}").text

    def searched_every_route(self, name, /, **path_params):
        raise AssertionError(f"url_for({name!r}) searched every route")

    monkeypatch.setattr(Router, "url_path_for", searched_every_route)
    page = client.get(f"/articles/{slug}")
    assert page.status_code == 200
    assert page.text == expected
    assert f'href="http://testserver/articles/{slug}/cite.bib"' in page.text
    assert 'href="http://testserver/static/style.css"' in page.text
