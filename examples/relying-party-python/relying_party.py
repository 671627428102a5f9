#!/usr/bin/env python3
"""A relying party (a bank) authenticates a citizen's chip ID card with the CCCD server.

    1. Mutual TLS: the bank's client certificate is how the server knows it (as RP_ID).
    2. POST /api/v1/auth/challenges       -> challenge_id, nonce, aa_challenge
    3. Check that aa_challenge is derived for us; hand it to the terminal, where the citizen's card signs it.
    4. POST /api/v1/auth/verifications    -> the assertion: a JWS (EdDSA) signed by the server
    5. GET  /.well-known/jwks.json; check the assertion: signature by kid, iss, aud, exp, challenge_id
    6. Use the attributes the assertion gives (what the bank's scopes allow, nothing more).

Only the Python standard library and jwcrypto (Debian: apt-get install python3-jwcrypto).
The protocol: docs/authentication.md; the API: docs/openapi.yaml.
"""
import argparse
import base64
import hashlib
import http.client
import json
import os
import shlex
import ssl
import subprocess
import sys
import urllib.parse

from jwcrypto import jwk, jwt
from jwcrypto.common import JWException


class Refused(Exception):
    """The server refused, or what it answered does not check out: do not log the citizen in."""


def connect(server_url, ca_file, cert_file, key_file):
    """One HTTPS connection (TLS 1.3) with our client certificate; the server's certificate checked against ca_file."""
    url = urllib.parse.urlsplit(server_url)
    context = ssl.create_default_context(cafile=ca_file)
    context.minimum_version = ssl.TLSVersion.TLSv1_3
    # An encrypted key's passphrase comes from the environment, never from the command line.
    context.load_cert_chain(cert_file, key_file, password=os.environ.get("CCCD_RP_KEY_PASSPHRASE"))
    return http.client.HTTPSConnection(url.hostname, url.port or 443, context=context, timeout=30)


def call(connection, method, path, body=None, expected=200):
    """One request; the JSON answer, or Refused with the server's error code and words."""
    connection.request(method, path, body=body, headers={"Content-Type": "application/json"})
    response = connection.getresponse()
    answer = json.loads(response.read() or b"{}")
    if response.status != expected:
        error = answer.get("error", {})
        raise Refused("%s %s: HTTP %d %s: %s" % (method, path, response.status, error.get("code"), error.get("message")))
    return answer


def derive_aa_challenge(nonce, rp_id):
    """What the card signs: the first 8 bytes of SHA-256("CCCD-AA-v1" 00 rp_id 00 nonce). Binding our id in
    means a card's signature made for another party (or a phishing site) is worthless here."""
    return hashlib.sha256(b"CCCD-AA-v1\x00" + rp_id.encode("ascii") + b"\x00" + nonce).digest()[:8]


def present_to_terminal(terminal_command, challenge):
    """Hands the challenge to the terminal the citizen taps the card on; returns the card's presentation
    (the body of POST /api/v1/auth/verifications, forwarded as the terminal made it). Here the terminal
    is a program: the challenge as JSON on its stdin, the presentation on its stdout. Put your terminal's
    own API here."""
    request = {"challenge_id": challenge["challenge_id"], "aa_challenge": challenge["aa_challenge"]}
    done = subprocess.run(shlex.split(terminal_command), input=json.dumps(request).encode(), capture_output=True,
                          timeout=120, check=False)
    if done.returncode != 0:
        raise Refused("the terminal could not read the card: " + done.stderr.decode(errors="replace").strip())
    return done.stdout


def check_assertion(assertion, jwks, issuer, rp_id, challenge_id):
    """The claims of the assertion, once jwcrypto has checked it with the server's key named by its kid:
    EdDSA only, issued by `issuer`, for us (aud), not expired, and for the challenge we asked for."""
    try:
        token = jwt.JWT(jwt=assertion, key=jwks, algs=["EdDSA"],
                        check_claims={"iss": issuer, "aud": rp_id, "exp": None, "iat": None, "challenge_id": challenge_id})
    except JWException as e:
        raise Refused("the assertion does not verify: %s" % e) from e
    return json.loads(token.header)["kid"], json.loads(token.claims)


def kid_of(assertion):
    """The kid of the JWS header (which key signed it). None when there is none: such a token is refused."""
    header = assertion.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4))).get("kid")


def authenticate(args):
    connection = connect(args.server, args.ca, args.cert, args.key)

    challenge = call(connection, "POST", "/api/v1/auth/challenges", expected=201)
    nonce = base64.b64decode(challenge["nonce"])
    if bytes.fromhex(challenge["aa_challenge"]) != derive_aa_challenge(nonce, args.rp_id):
        raise Refused("the challenge is not derived for %s: is that the id the server knows us by?" % args.rp_id)

    presentation = present_to_terminal(args.terminal, challenge)
    verification = call(connection, "POST", "/api/v1/auth/verifications", body=presentation)

    # The server's public keys, looked up by the assertion's kid. (Cache them if you like, and fetch them
    # again when a kid is unknown: the server rotates its key.)
    jwks = jwk.JWKSet.from_json(json.dumps(call(connection, "GET", "/.well-known/jwks.json")))
    kid = kid_of(verification["assertion"])
    if kid is None or jwks.get_key(kid) is None:
        raise Refused("the assertion names no key the server publishes")
    kid, claims = check_assertion(verification["assertion"], jwks, args.issuer, args.rp_id, challenge["challenge_id"])
    connection.close()

    print("Verified: level of assurance %s, chip authentication %s, signed by key %s."
          % (claims["loa"], "reported" if claims["ca"] else "not reported", kid))
    print("  subject (yours only): %s" % claims["sub"])
    standard = {"iss", "sub", "aud", "iat", "exp", "jti", "challenge_id", "loa", "ca"}
    for name, value in claims.items():
        if name not in standard:
            print("  %s: %s" % (name, "<JPEG, %d base64 characters>" % len(value) if name == "photo" else value))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--server", required=True, help="the CCCD server, e.g. https://id.cccd.gov.vn:8443")
    parser.add_argument("--ca", required=True, help="PEM: the CA the server's certificate chains to")
    parser.add_argument("--cert", required=True, help="PEM: our client certificate (from the relying-party CA)")
    parser.add_argument("--key", required=True, help="PEM: its key (passphrase in CCCD_RP_KEY_PASSPHRASE)")
    parser.add_argument("--rp-id", required=True, help="our relying-party id, as the server registered us")
    parser.add_argument("--issuer", required=True, help="the server's issuer (the iss of its assertions)")
    parser.add_argument("--terminal", required=True, help="the terminal's command: challenge on stdin, presentation out")
    args = parser.parse_args()
    try:
        authenticate(args)
    except Refused as e:
        print("Not authenticated: %s" % e, file=sys.stderr)
        return 1
    except (OSError, ssl.SSLError, http.client.HTTPException, ValueError, KeyError) as e:
        print("Cannot authenticate now: %s: %s" % (type(e).__name__, e), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
