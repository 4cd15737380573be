"""Served Atom feeds: a stylesheet for people, plain Atom for feed readers."""

import xml.etree.ElementTree as ET


def test_served_feeds_name_a_stylesheet_and_stay_atom(client):
    for accept, media_type in (
        ("application/atom+xml", "application/atom+xml"),
        ("*/*", "application/atom+xml"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "application/xml"),
    ):
        response = client.get("/search.atom", headers={"accept": accept})
        assert response.status_code == 200
        assert response.headers["content-type"].startswith(media_type), accept
        assert response.headers["vary"] == "Accept"
        assert b'<?xml-stylesheet type="text/xsl" href="/static/feed.xsl"?>' in response.content
        assert b'<?xml-stylesheet type="text/css" href="/static/feed.css"?>' in response.content
        feed = ET.fromstring(response.content)
        assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
    for path in ("/static/feed.xsl", "/static/feed.css"):
        assert client.get(path).status_code == 200
