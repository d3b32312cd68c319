"""A small OpenID Connect provider for the tests, on a loopback port in a thread: the
authorization code flow with PKCE, RS256 id tokens (pyjwt, a key made at start), a
discovery document, JWKS and userinfo. Its sign-in page asks an e-mail address and
signs in whoever types one: the tests decide who the school's provider says you are."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

CLIENT_ID = "leerregie-test"
CLIENT_SECRET = "test-secret-1234"  # noqa: S105 - the test provider's client secret


class Provider:
    def __init__(self, client_id: str = CLIENT_ID, client_secret: str = CLIENT_SECRET):
        self.client_id, self.client_secret = client_id, client_secret
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = secrets.token_hex(4)
        self.codes: dict[str, dict] = {}
        self.tokens: dict[str, dict] = {}
        # Claims every sign-in adds (a test may set e.g. another audience or issuer).
        self.extra_claims: dict = {}
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                provider.get(self)

            def do_POST(self):
                provider.post(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> Provider:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # --- the endpoints -------------------------------------------------------------

    def get(self, request) -> None:
        url = urlparse(request.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        if url.path == "/.well-known/openid-configuration":
            return self._json(
                request,
                {
                    "issuer": self.issuer,
                    "authorization_endpoint": f"{self.issuer}/authorize",
                    "token_endpoint": f"{self.issuer}/token",
                    "userinfo_endpoint": f"{self.issuer}/userinfo",
                    "jwks_uri": f"{self.issuer}/jwks",
                    "response_types_supported": ["code"],
                    "id_token_signing_alg_values_supported": ["RS256"],
                    "code_challenge_methods_supported": ["S256"],
                },
            )
        if url.path == "/jwks":
            jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
            return self._json(
                request, {"keys": [jwk | {"kid": self.kid, "alg": "RS256", "use": "sig"}]}
            )
        if url.path == "/authorize":
            if query.get("client_id") != self.client_id:
                return self._send(request, 400, "text/plain", b"unknown client")
            hidden = "".join(
                f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
                for k, v in query.items()
            )
            page = (
                "<!doctype html><html lang='nl'><title>Testschool inloggen</title>"
                "<form method='post' action='/authorize'><h1>Testschool</h1>"
                "<label for='email'>E-mailadres</label><input id='email' name='email'>"
                f"{hidden}<button>Inloggen bij de testschool</button></form></html>"
            )
            return self._send(request, 200, "text/html; charset=utf-8", page.encode())
        if url.path == "/userinfo":
            token = request.headers.get("Authorization", "").removeprefix("Bearer ")
            if token not in self.tokens:
                return self._send(request, 401, "text/plain", b"unknown token")
            return self._json(request, self.tokens[token])
        return self._send(request, 404, "text/plain", b"not found")

    def post(self, request) -> None:
        length = int(request.headers.get("Content-Length", 0))
        form = {k: v[0] for k, v in parse_qs(request.rfile.read(length).decode()).items()}
        path = urlparse(request.path).path
        if path == "/authorize":
            return self.redirect(request, self.sign_in(form))
        if path == "/token":
            return self.token(request, form)
        return self._send(request, 404, "text/plain", b"not found")

    def sign_in(self, params: dict) -> str:
        """The provider's answer to a sign-in: the redirect back with a code."""
        code = secrets.token_urlsafe(16)
        self.codes[code] = params
        return f"{params['redirect_uri']}?{urlencode({'code': code, 'state': params['state']})}"

    def token(self, request, form: dict) -> None:
        params = self.codes.pop(form.get("code", ""), None)
        if (
            params is None
            or form.get("client_id") != self.client_id
            or form.get("client_secret") != self.client_secret
            or form.get("redirect_uri") != params["redirect_uri"]
        ):
            return self._json(request, {"error": "invalid_grant"}, status=400)
        if params.get("code_challenge"):
            verifier = form.get("code_verifier", "").encode()
            digest = base64.urlsafe_b64encode(hashlib.sha256(verifier).digest()).rstrip(b"=")
            if digest.decode() != params["code_challenge"]:
                return self._json(request, {"error": "invalid_grant"}, status=400)
        email = params.get("email", "")
        claims = {"sub": hashlib.sha256(email.encode()).hexdigest()[:16], "email": email}
        now = int(time.time())
        id_token = jwt.encode(
            {
                "iss": self.issuer,
                "aud": self.client_id,
                "iat": now,
                "exp": now + 300,
                "nonce": params.get("nonce"),
                **claims,
                **self.extra_claims,
            },
            self.key,
            algorithm="RS256",
            headers={"kid": self.kid},
        )
        access = secrets.token_urlsafe(16)
        self.tokens[access] = claims
        self._json(request, {"access_token": access, "token_type": "Bearer", "id_token": id_token})

    # --- plumbing --------------------------------------------------------------------

    def redirect(self, request, location: str) -> None:
        request.send_response(302)
        request.send_header("Location", location)
        request.send_header("Content-Length", "0")
        request.end_headers()

    def _json(self, request, body: dict, status: int = 200) -> None:
        self._send(request, status, "application/json", json.dumps(body).encode())

    def _send(self, request, status: int, content_type: str, body: bytes) -> None:
        request.send_response(status)
        request.send_header("Content-Type", content_type)
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)
