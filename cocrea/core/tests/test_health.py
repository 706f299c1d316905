def test_health_answers_plain_text(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain"
    assert response.content == b"ok"


def test_health_refuses_writes(client):
    assert client.post("/health/").status_code == 405
