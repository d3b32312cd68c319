"""Text goes out compressed (pages, CSS, JavaScript); photos and zips do not."""

import gzip

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from classroom import actions
from tests.images import jpeg_bytes


@pytest.mark.parametrize("url", ["/static/css/app.css", "/static/js/dashboard.js", "/klas/"])
def test_text_is_compressed(db, client, url):
    response = client.get(url, headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    body = b"".join(response.streaming_content) if response.streaming else response.content
    plain = gzip.decompress(body)
    assert len(body) < len(plain) / 2


def test_a_page_is_compressed_for_a_pupil(world, client):
    client.force_login(world.pupil.user)
    response = client.get("/leerling/doelenboekje/", headers={"accept-encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert "Ik kan breuken vergelijken." in gzip.decompress(response.content).decode()


def test_photos_are_not_compressed_again(world, client):
    actions.set_pupil_photo(world.pupil, SimpleUploadedFile("p.jpg", jpeg_bytes()))
    client.force_login(world.teacher)
    response = client.get(
        f"/leerkracht/leerling/{world.pupil.pk}/foto", headers={"accept-encoding": "gzip"}
    )
    assert response.status_code == 200
    assert "Content-Encoding" not in response
