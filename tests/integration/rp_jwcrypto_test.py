"""An assertion the real cccd-server issued for a virtual card, verified by a standard JOSE library outside
this code base: python3-jwcrypto (Debian), EdDSA JWS, the key taken from the served /.well-known/jwks.json by
the JWS header's kid. A tampered assertion, one forged with another key under the server's kid, an unknown
kid and a kid naming another key of the set are refused by jwcrypto.

Usage: rp_jwcrypto_test.py --server BIN --pki BIN --test-card BIN   (run by ctest: integration.rp_jwcrypto)
"""
import base64
import hashlib
import http.client
import json
import os
import ssl
import subprocess
import sys
import time
import unittest

import jsonschema
import yaml
from jwcrypto import jwk, jws, jwt
from jwcrypto.common import JWException

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rp_world  # noqa: E402  pylint: disable=wrong-import-position

OPENAPI = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docs", "openapi.yaml")


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def obtain_assertion(world):
    """Challenge, the virtual card's presentation, verification, JWKS, and the presentation replayed: over
    HTTPS with the bank's certificate. What was sent and answered, by name."""
    context = ssl.create_default_context(cafile=world.path("service/ca.pem"))
    context.load_cert_chain(world.path("bank.pem"), world.path("bank.key.pem"),
                            password=rp_world.ENVIRONMENT["CCCD_RP_KEY_PASSPHRASE"])
    connection = http.client.HTTPSConnection("127.0.0.1", world.port, context=context, timeout=30)

    def call(method, path, body=None):
        connection.request(method, path, body=body, headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        return response.status, response.read()

    status, body = call("POST", "/api/v1/auth/challenges")
    assert status == 201, "challenge: HTTP %d" % status
    challenge = json.loads(body)
    nonce = base64.b64decode(challenge["nonce"])
    derived = hashlib.sha256(b"CCCD-AA-v1\x00" + rp_world.RP_ID.encode() + b"\x00" + nonce).digest()[:8]
    assert bytes.fromhex(challenge["aa_challenge"]) == derived, "the AA challenge is not derived for this relying party"
    presentation = subprocess.run(world.terminal_command(), input=json.dumps(challenge).encode(), capture_output=True,
                                  check=False, timeout=120)
    assert presentation.returncode == 0, "the terminal failed: " + presentation.stderr.decode(errors="replace")
    status, body = call("POST", "/api/v1/auth/verifications", presentation.stdout)
    assert status == 200, "verification: HTTP %d %s" % (status, json.loads(body).get("error", {}).get("code"))
    verification = json.loads(body)
    status, jwks = call("GET", "/.well-known/jwks.json")
    assert status == 200, "JWKS: HTTP %d" % status
    replay_status, replay = call("POST", "/api/v1/auth/verifications", presentation.stdout)
    connection.close()
    return {"challenge": challenge, "presentation": json.loads(presentation.stdout), "verification": verification,
            "jwks": json.loads(jwks), "replay_status": replay_status, "replay": json.loads(replay)}


class JwcryptoVerifiesTheServersAssertion(unittest.TestCase):
    longMessage = False  # a failure names what failed, never a claim's value or the token

    @classmethod
    def setUpClass(cls):
        cls.world = rp_world.World(TOOLS)
        try:
            cls.world.start()
            cls.exchange = obtain_assertion(cls.world)
        except BaseException:
            cls.world.stop()
            raise
        cls.challenge_id = cls.exchange["challenge"]["challenge_id"]
        cls.assertion = cls.exchange["verification"]["assertion"]
        cls.jwks_json = json.dumps(cls.exchange["jwks"])
        cls.jwks = jwk.JWKSet.from_json(cls.jwks_json)

    @classmethod
    def tearDownClass(cls):
        cls.world.stop()

    def verify(self, token, jwks=None):
        """What a relying party does with jwcrypto: the key named by the header's kid, EdDSA only."""
        jwks = jwks or self.jwks
        parsed = jws.JWS()
        parsed.deserialize(token)
        header = parsed.jose_header
        key = jwks.get_key(header["kid"])
        if key is None:
            raise LookupError("no key with this kid in the JWKS")
        parsed.verify(key, alg="EdDSA")
        return header, json.loads(parsed.payload)

    def test_the_assertion_verifies_with_the_key_its_kid_names(self):
        header, claims = self.verify(self.assertion)
        self.assertEqual(header["alg"], "EdDSA", "alg is not EdDSA")
        self.assertEqual(header["typ"], "JWT", "typ is not JWT")
        key = self.jwks.get_key(header["kid"]).export_public(as_dict=True)
        self.assertEqual((key["kty"], key["crv"], key.get("alg"), key.get("use")), ("OKP", "Ed25519", "EdDSA", "sig"),
                         "the served key is not an Ed25519 signing key")
        self.assertEqual(claims["iss"], rp_world.ISSUER, "iss")
        self.assertEqual(claims["aud"], rp_world.RP_ID, "aud is not the relying party")
        self.assertEqual(claims["challenge_id"], self.challenge_id, "challenge_id is not the challenge redeemed")
        now = time.time()
        self.assertTrue(claims["iat"] <= now + 60 and claims["exp"] > now, "iat is in the future or exp has passed")
        self.assertEqual(claims["exp"] - claims["iat"], 300, "the assertion does not live 300 s")
        self.assertEqual(claims["loa"], "high", "loa")
        self.assertEqual(len(claims["sub"]), 43, "sub is not a pairwise subject (43 base64url characters)")
        self.assertEqual(set(claims), {"iss", "sub", "aud", "iat", "exp", "jti", "challenge_id", "loa", "ca",
                                       "name", "date_of_birth", "age_over_18"},
                         "the claims are not exactly the standard ones and the party's scopes")

    def test_jwcrypto_jwt_checks_the_claims_too(self):
        token = jwt.JWT(jwt=self.assertion, key=self.jwks, algs=["EdDSA"],
                        check_claims={"iss": rp_world.ISSUER, "aud": rp_world.RP_ID, "exp": None,
                                      "challenge_id": self.challenge_id})
        self.assertEqual(json.loads(token.claims)["aud"], rp_world.RP_ID, "aud")
        with self.assertRaises(JWException, msg="another party's audience was accepted"):
            jwt.JWT(jwt=self.assertion, key=self.jwks, algs=["EdDSA"], check_claims={"aud": "another-bank"})
        with self.assertRaises(JWException, msg="another issuer was accepted"):
            jwt.JWT(jwt=self.assertion, key=self.jwks, algs=["EdDSA"], check_claims={"iss": "https://phish.test"})
        with self.assertRaises(JWException, msg="an expired assertion was accepted"):
            jwt.JWT(jwt=self.assertion, key=self.jwks, algs=["EdDSA"], check_claims={"exp": int(time.time()) + 3600})

    def test_changed_claims_are_refused(self):
        header, payload, signature = self.assertion.split(".")
        claims = json.loads(b64url_decode(payload))
        claims["aud"] = "another-bank"
        tampered = ".".join([header, b64url(json.dumps(claims, separators=(",", ":")).encode()), signature])
        with self.assertRaises(JWException, msg="an assertion with a changed audience verified"):
            self.verify(tampered)

    def test_a_changed_signature_is_refused(self):
        header, payload, signature = self.assertion.split(".")
        raw = bytearray(b64url_decode(signature))
        raw[10] ^= 0x01
        with self.assertRaises(JWException, msg="an assertion with a flipped signature bit verified"):
            self.verify(".".join([header, payload, b64url(bytes(raw))]))

    def test_an_assertion_forged_with_another_key_under_the_servers_kid_is_refused(self):
        _, payload, _ = self.assertion.split(".")
        header = json.loads(b64url_decode(self.assertion.split(".")[0]))
        forger = jwk.JWK.generate(kty="OKP", crv="Ed25519")
        forged = jws.JWS(b64url_decode(payload))
        forged.add_signature(forger, alg="EdDSA", protected=json.dumps(header))
        token = forged.serialize(compact=True)
        self.assertEqual(json.loads(b64url_decode(token.split(".")[0]))["kid"], header["kid"], "the forgery's kid")
        with self.assertRaises(JWException, msg="an assertion signed by another key under the server's kid verified"):
            self.verify(token)

    def test_an_unknown_kid_is_refused(self):
        _, payload, signature = self.assertion.split(".")
        header = json.loads(b64url_decode(self.assertion.split(".")[0]))
        header["kid"] = "00" * 8
        token = ".".join([b64url(json.dumps(header).encode()), payload, signature])
        with self.assertRaises(LookupError, msg="a kid the JWKS does not hold found a key"):
            self.verify(token)
        with self.assertRaises(JWException, msg="jwcrypto's JWT accepted a kid the JWKS does not hold"):
            jwt.JWT(jwt=token, key=self.jwks, algs=["EdDSA"])

    def test_a_kid_naming_another_key_of_the_set_is_refused(self):
        other = jwk.JWK.generate(kty="OKP", crv="Ed25519", kid="1111111111111111", use="sig", alg="EdDSA")
        keys = jwk.JWKSet.from_json(self.jwks_json)
        keys.add(other)
        _, payload, signature = self.assertion.split(".")
        header = json.loads(b64url_decode(self.assertion.split(".")[0]))
        header["kid"] = "1111111111111111"
        token = ".".join([b64url(json.dumps(header).encode()), payload, signature])
        with self.assertRaises(JWException, msg="the server's signature verified under another key's kid"):
            self.verify(token, keys)
        with self.assertRaises(JWException, msg="jwcrypto's JWT accepted the signature under another key's kid"):
            jwt.JWT(jwt=token, key=keys, algs=["EdDSA"])

    def test_alg_none_and_hmac_are_refused(self):
        _, payload, _ = self.assertion.split(".")
        header = json.loads(b64url_decode(self.assertion.split(".")[0]))
        for alg in ("none", "HS256"):
            header["alg"] = alg
            token = ".".join([b64url(json.dumps(header).encode()), payload, ""])
            with self.assertRaises(JWException, msg="alg %s was accepted" % alg):
                self.verify(token)

    def test_the_messages_match_the_openapi_document(self):
        """What the server answered and the terminal sent, against docs/openapi.yaml's schemas (jsonschema)."""
        with open(OPENAPI, encoding="utf-8") as f:
            document = yaml.safe_load(f)

        def check(value, schema_name):
            validator = jsonschema.Draft4Validator({"$ref": "#/components/schemas/" + schema_name},
                                                   resolver=jsonschema.RefResolver("", document))
            errors = ["%s: %s" % ("/".join(str(p) for p in e.absolute_path), e.validator)
                      for e in validator.iter_errors(value)]
            self.assertEqual(errors, [], "the %s does not match its schema (field: keyword): %s" % (schema_name, errors))

        check(self.exchange["challenge"], "Challenge")
        check(self.exchange["presentation"], "VerificationRequest")
        check(self.exchange["verification"], "Verification")
        self.assertEqual(self.exchange["replay_status"], 422, "a replayed presentation was not refused with 422")
        check(self.exchange["replay"], "Error")
        self.assertEqual(self.exchange["replay"]["error"]["code"], "challenge_unknown", "a replay is not challenge_unknown")


if __name__ == "__main__":
    TOOLS, REST = rp_world.tool_arguments()
    unittest.main(argv=[sys.argv[0]] + REST, verbosity=2)
