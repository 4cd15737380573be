"""Links built by their own route: the `url_for` that templates use.

Starlette's `url_for` asks every route in turn and raises and catches `NoMatchFound`
for each one that is not the named route. An article page builds about twenty links, and
those searches were 40 % of its template time (py-spy, 1,200 article pages at 100,000
articles). Here each name leads straight to its routes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from jinja2 import pass_context
from starlette.datastructures import URLPath
from starlette.routing import BaseRoute, NoMatchFound, Router


class RoutesByName:
    """A router's named routes by name, in the router's order."""

    def __init__(self, router: Router) -> None:
        self._router = router
        self._routes: dict[str, list[BaseRoute]] = {}
        for route in _leaf_routes(router.routes):
            name = getattr(route, "name", None)
            if name:
                self._routes.setdefault(name, []).append(route)

    def url_path_for(self, name: str, /, **path_params: Any) -> URLPath:
        """What `router.url_path_for` gives: the first route of that name that takes
        these parameters."""
        for route in self._routes.get(name, ()):
            try:
                return route.url_path_for(name, **path_params)
            except NoMatchFound:
                continue
        # Names the index does not hold ("mount:route", routes added later): ask them all.
        return self._router.url_path_for(name, **path_params)


def _leaf_routes(routes) -> Iterator[BaseRoute]:
    for route in routes:
        # FastAPI keeps an included router as one entry and resolves its routes (with the
        # router's prefix) on demand; the router's url_path_for asks these the same way.
        nested = getattr(route, "effective_route_contexts", None)
        if callable(nested):
            yield from nested()
        else:
            yield route


def _base(request) -> str:
    """The request's base URL without its final slash, worked out once per request."""
    base = request.scope.get("archive.base")
    if base is None:
        base = request.scope["archive.base"] = str(request.base_url).rstrip("/")
    return base


def install_url_for(env, router: Router) -> None:
    """Give templates a `url_for` that answers as `request.url_for` does (an absolute URL
    on the request's own base), through `RoutesByName`."""
    routes = RoutesByName(router)

    @pass_context
    def url_for(context: dict[str, Any], name: str, /, **path_params: Any) -> str:
        path = routes.url_path_for(name, **path_params)
        if path.protocol or path.host:  # not one of this app's own routes: as Starlette
            return str(path.make_absolute_url(context["request"].base_url))
        # `make_absolute_url` on the request's base, as text: building a URL object for
        # each of a page's twenty links was about a twentieth of an article page's
        # server time in a py-spy profile.
        return _base(context["request"]) + path

    env.globals["url_for"] = url_for
