"""examples/relying-party-python/relying_party.py run as a bank runs it, against the real cccd-server and a
virtual card (cccd-test-card is the terminal): it authenticates the card and prints the attributes of the
bank's scopes; it refuses a challenge derived for another party, an assertion from another issuer and a
presentation the server refuses. It uses only the standard library and jwcrypto.

The example prints the citizen's attributes (that is its job); this test checks them without echoing them.

Usage: rp_example_python_test.py --server BIN --pki BIN --test-card BIN --example relying_party.py
"""
import ast
import json
import os
import shlex
import subprocess
import sys
import unittest

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rp_world  # noqa: E402  pylint: disable=wrong-import-position

# A terminal whose card's signature was altered on the way (what a relay or a cloned card would send).
ALTERED_SIGNATURE_TERMINAL = """
import base64, json, subprocess, sys
done = subprocess.run(sys.argv[1:], input=sys.stdin.buffer.read(), capture_output=True, check=True)
body = json.loads(done.stdout)
signature = bytearray(base64.b64decode(body["active_auth_signature"]))
signature[-1] ^= 0x01
body["active_auth_signature"] = base64.b64encode(bytes(signature)).decode()
print(json.dumps(body))
"""


class TheExampleAuthenticatesTheVirtualCard(unittest.TestCase):
    longMessage = False  # failures name what failed; the example's output (personal data) is not echoed

    @classmethod
    def setUpClass(cls):
        cls.world = rp_world.World(TOOLS)
        try:
            cls.world.start()
        except BaseException:
            cls.world.stop()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.world.stop()

    def run_example(self, rp_id=rp_world.RP_ID, issuer=rp_world.ISSUER, terminal=None):
        w = self.world
        terminal = terminal or shlex.join(w.terminal_command())
        return subprocess.run([sys.executable, EXAMPLE, "--server", w.url, "--ca", w.path("service/ca.pem"),
                               "--cert", w.path("bank.pem"), "--key", w.path("bank.key.pem"), "--rp-id", rp_id,
                               "--issuer", issuer, "--terminal", terminal],
                              env=dict(os.environ, CCCD_RP_KEY_PASSPHRASE=rp_world.ENVIRONMENT["CCCD_RP_KEY_PASSPHRASE"]),
                              capture_output=True, text=True, timeout=180, check=False)

    def test_it_authenticates_the_card_and_prints_the_attributes_of_its_scopes(self):
        done = self.run_example()
        self.assertEqual(done.returncode, 0, "the example failed: " + done.stderr)
        lines = done.stdout.splitlines()
        self.assertTrue(lines[0].startswith("Verified: level of assurance high, chip authentication reported"),
                        "the first line does not say verified, loa high, CA reported")
        printed = {line.split(":")[0].strip() for line in lines[1:]}
        self.assertEqual(printed, {"subject (yours only)", "name", "date_of_birth", "age_over_18"},
                         "the printed attributes are not exactly the bank's scopes")
        age = [line for line in lines if line.strip().startswith("age_over_18:")][0]
        self.assertEqual(age.split(":")[1].strip(), "True", "age_over_18 is not true for an adult")

    def test_a_challenge_derived_for_another_party_is_refused_before_the_card_signs(self):
        done = self.run_example(rp_id="bank-02")
        self.assertEqual(done.returncode, 1, "a challenge derived for another party was used")
        self.assertIn("not derived for bank-02", done.stderr, "the refusal does not say why")

    def test_an_assertion_from_another_issuer_is_refused(self):
        done = self.run_example(issuer="https://phish.test")
        self.assertEqual(done.returncode, 1, "an assertion with another iss was accepted")
        self.assertIn("the assertion does not verify", done.stderr, "the refusal does not say why")
        self.assertNotIn("Verified", done.stdout, "it said verified")

    def test_the_servers_refusal_is_passed_on(self):
        script = os.path.join(self.world.dir, "altered_terminal.py")
        with open(script, "w", encoding="utf-8") as f:
            f.write(ALTERED_SIGNATURE_TERMINAL)
        done = self.run_example(terminal=shlex.join([sys.executable, script] + self.world.terminal_command()))
        self.assertEqual(done.returncode, 1, "an altered card signature was accepted")
        self.assertIn("HTTP 422 aa_signature_invalid", done.stderr, "the server's code is not passed on")

    def test_it_imports_only_the_standard_library_and_jwcrypto(self):
        with open(EXAMPLE, encoding="utf-8") as f:
            tree = ast.parse(f.read())
        modules = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                modules.add(node.module.split(".")[0])
        self.assertEqual(modules - set(sys.stdlib_module_names), {"jwcrypto"},
                         "imports beyond the standard library and jwcrypto: %s" % sorted(modules))


if __name__ == "__main__":
    TOOLS, REST = rp_world.tool_arguments(extra=["--example"])
    EXAMPLE = os.path.abspath(TOOLS.example)
    unittest.main(argv=[sys.argv[0]] + REST, verbosity=2)
