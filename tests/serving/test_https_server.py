"""The real server over HTTPS: verified handshakes, streams beside requests, and connections that
are idle, too many or in the wrong protocol, none of which stops the server."""

from __future__ import annotations

import socket
import ssl
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack

import httpx
import pytest

from tests.serving.conftest import DEADLINE, closed_by_peer, idle_connections, wait_until


def test_a_client_trusting_the_ca_completes_a_verified_handshake_for_localhost_and_127_0_0_1(start_server,
                                                                                                ca_context):
    server = start_server()
    for name in ("localhost", "127.0.0.1"):
        with socket.create_connection(("127.0.0.1", server.port), timeout=DEADLINE) as raw:
            with ca_context.wrap_socket(raw, server_hostname=name) as tls:
                assert tls.version() in ("TLSv1.2", "TLSv1.3")
                assert ("DNS", "localhost") in tls.getpeercert()["subjectAltName"]


def test_a_client_without_the_ca_refuses_the_certificate(start_server):
    server = start_server()
    with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
        httpx.get(server.urls()[0] + "/ping", verify=ssl.create_default_context())


def test_the_app_answers_over_https_and_sees_the_https_scheme(start_server, ca_context):
    server = start_server()
    assert server.urls() == [f"https://127.0.0.1:{server.port}"]
    response = httpx.get(f"https://localhost:{server.port}/ping", verify=ca_context, timeout=DEADLINE)
    assert response.status_code == 200 and response.json() == {"ok": True, "scheme": "https"}
    assert response.headers["server"] == "qrpos"


def test_qrpos_itself_answers_over_https(core, cert_paths, ca_context):
    from pos import create_app, serving

    app = create_app({"TESTING": True, "CORE": core, "RATELIMIT_ENABLED": False})
    server = serving.start(app, "127.0.0.1", 0, tls=cert_paths)
    try:
        with httpx.Client(base_url=server.urls()[0], verify=ca_context, timeout=DEADLINE) as client:
            assert client.get("/api/v1/ping").status_code == 200
            assert client.get("/healthz").json() == {"status": "ok"}
            refused = client.post("/api/v1/sessions", json={"wallet": "nobody", "pin": "0000"})
            assert refused.status_code >= 400 and "error" in refused.json()
    finally:
        server.stop()


def test_event_streams_run_while_other_requests_are_served_and_one_too_many_gets_503(start_server, ca_context,
                                                                                      gate):
    server = start_server(threads=2, streams=2)
    url = server.urls()[0]
    with ExitStack() as stack:
        streams = stack.enter_context(httpx.Client(verify=ca_context, timeout=DEADLINE))
        client = stack.enter_context(httpx.Client(verify=ca_context, timeout=DEADLINE))
        open_streams = [stack.enter_context(streams.stream("GET", url + "/events")) for _ in range(2)]
        lines = [response.iter_lines() for response in open_streams]
        assert [next(it) for it in lines] == ["retry: 1000", "retry: 1000"]
        assert server.slots.open == 2

        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(lambda _: client.get(url + "/ping").status_code, range(24)))
        assert answers == [200] * 24

        refused = client.get(url + "/events")
        assert refused.status_code == 503 and refused.headers["retry-after"] == "5"
        assert refused.json()["error"]["code"] == "TOO_MANY_STREAMS"

        gate.send.set()
        for it in lines:
            assert [next(it), next(it)] == ["", "event: hello"]  # the streams were alive all along
            list(it)  # to the end of the response: its slot is free once the client has read it all
        assert server.slots.open == 0
        with streams.stream("GET", url + "/events") as again:
            assert again.status_code == 200


def test_idle_connections_and_silent_handshakes_hold_no_worker(start_server, ca_context):
    """110 sockets that say nothing, on two workers: a normal request still answers at once (stock
    cheroot makes it wait for the idle ones' timeout, here 60 s, and runs handshakes one by one)."""
    server = start_server(threads=2, streams=0, timeout=60)
    idle = idle_connections(server.port, 110)
    try:
        response = httpx.get(server.urls()[0] + "/ping", verify=ca_context, timeout=5)
        assert response.status_code == 200
    finally:
        for sock in idle:
            sock.close()


def test_a_silent_connection_is_closed_after_the_timeout(start_server):
    server = start_server(timeout=0.3)
    (sock,) = idle_connections(server.port, 1)
    with sock:
        assert closed_by_peer(sock)


def test_a_client_trickling_its_request_head_is_cut_off_and_frees_the_worker(start_server, gate):
    """One worker and a client sending a header byte every 0.1 s (each read well within the socket
    timeout): after 1 s in all the server closes it, and the request waiting behind it is served."""
    server = start_server(tls=False, http_port=None, threads=1, streams=0, timeout=1)
    attacker = socket.create_connection(("127.0.0.1", server.port), timeout=DEADLINE)
    attacker.sendall(b"GET /ping HTTP/1.1\r\nHost: localhost\r\n")

    def trickle():
        while not gate.release.wait(0.1):  # the attacker's pace, not a wait for the server
            try:
                attacker.sendall(b"X")
            except OSError:
                return

    thread = threading.Thread(target=trickle, daemon=True)
    thread.start()
    try:
        wait_until(lambda: server._servers[0].deadlines.pending == 1)  # the one worker is reading it
        assert httpx.get(server.urls()[0] + "/ping", timeout=DEADLINE).status_code == 200
        assert server._servers[0].deadlines.cut == 1
    finally:
        gate.release.set()
        thread.join(DEADLINE)
        attacker.close()


def test_beyond_max_idle_connections_the_least_recently_used_is_closed_for_a_new_one(start_server, ca_context):
    server = start_server(max_idle=3, timeout=60)
    idle = idle_connections(server.port, 3)
    try:
        wait_until(lambda: server._servers[0]._connections._num_connections == 3)
        response = httpx.get(server.urls()[0] + "/ping", verify=ca_context, timeout=5)
        assert response.status_code == 200
        assert closed_by_peer(idle[0])
    finally:
        for sock in idle:
            sock.close()


def test_when_every_worker_is_busy_and_the_queue_is_full_the_next_request_gets_503_at_once(start_server, gate):
    server = start_server(tls=False, http_port=None, threads=1, streams=0, queue=1)
    url = server.urls()[0]
    with ThreadPoolExecutor(2) as pool:
        busy = pool.submit(httpx.get, url + "/slow", timeout=DEADLINE)
        assert gate.entered.wait(DEADLINE)  # the one worker is taken
        queued = pool.submit(httpx.get, url + "/ping", timeout=DEADLINE)
        wait_until(lambda: server._servers[0].requests.qsize == 1)
        shed = httpx.get(url + "/ping", timeout=DEADLINE)
        assert shed.status_code == 503 and shed.headers["retry-after"] == "1"
        assert shed.json()["error"]["code"] == "SERVER_BUSY"
        gate.release.set()
        assert busy.result().status_code == 200 and queued.result().status_code == 200


def test_plain_http_sent_to_the_https_port_gets_a_readable_400(start_server):
    server = start_server()
    with socket.create_connection(("127.0.0.1", server.port), timeout=DEADLINE) as sock:
        sock.sendall(b"GET /ping HTTP/1.1\r\nHost: localhost\r\n\r\n")
        answer = b""
        while chunk := sock.recv(4096):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 400 ") and b"HTTPS only" in answer


def test_the_server_also_serves_plain_http(start_server):
    server = start_server(tls=False, http_port=None)
    assert server.urls()[0].startswith("http://") and server.side_port is None
    assert httpx.get(server.urls()[0] + "/ping", timeout=DEADLINE).json() == {"ok": True, "scheme": "http"}
