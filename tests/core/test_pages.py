import re

import pytest


@pytest.mark.django_db
def test_every_asset_of_the_layout_is_served_locally(client):
    """Bootstrap, HTMX and our CSS come from this server (government networks are often closed: no CDN)."""
    html = client.get("/dang-nhap/").content.decode()
    assets = re.findall(r'(?:href|src)="([^"]+\.(?:css|js))"', html)
    assert len(assets) >= 4
    for url in assets:
        assert url.startswith("/static/"), url
        response = client.get(url)
        assert response.status_code == 200, url
        b"".join(response.streaming_content if response.streaming else [response.content])
