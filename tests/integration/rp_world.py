"""The world a relying party meets, for the Python tests of tests/integration/rp_*_test.py.

Real processes only: cccd-pki makes the service CA (the server's TLS certificate) and the relying-party
CA (the bank's client certificate, CN bank-01); `cccd-server admin` creates the keys and the database and
registers the bank; cccd-test-card issues a virtual card into that database (its chip image holds the
card's private keys and only it uses them); cccd-server serves on 127.0.0.1 at a port it picks and is
stopped by its PID. Nothing personal, no token and no key is printed.
"""
import argparse
import json
import os
import shutil
import signal
import subprocess
import tempfile

RP_ID = "bank-01"
ISSUER = "https://id.cccd.test"
SCOPES = "name date_of_birth age_over_18"
# Demo passphrases for this test only.
ENVIRONMENT = {
    "CCCD_KEY_PASSPHRASE": "rp test key passphrase",
    "CCCD_TLS_KEY_PASSPHRASE": "rp test key passphrase",
    "CCCD_RP_KEY_PASSPHRASE": "rp test key passphrase",
    "CCCD_AUDIT_KEY_PASSPHRASE": "rp test audit passphrase",
    "CCCD_ASSERTION_KEY_PASSPHRASE": "rp test assertion passphrase",
}


def tool_arguments(extra=()):
    """--server, --pki, --test-card (the binaries) and any `extra` options, from the command line."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True)
    parser.add_argument("--pki", required=True)
    parser.add_argument("--test-card", required=True)
    for name in extra:
        parser.add_argument(name, required=True)
    tools, rest = parser.parse_known_args()
    for name in ("server", "pki", "test_card"):
        setattr(tools, name, os.path.abspath(getattr(tools, name)))
    return tools, rest


class World:
    """Set up in a temporary folder by start(), torn down by stop() (the server by its PID)."""

    def __init__(self, tools):
        self.tools = tools
        self.dir = tempfile.mkdtemp(prefix="cccd-rp-")
        self.env = dict(os.environ, **ENVIRONMENT)
        self.server = None
        self.port = None

    def path(self, name):
        return os.path.join(self.dir, name)

    def run(self, *command, stdin=None):
        done = subprocess.run(command, cwd=self.dir, env=self.env, input=stdin, capture_output=True, check=False)
        if done.returncode != 0:
            raise RuntimeError("%s exited %d: %s" % (os.path.basename(command[0]), done.returncode,
                                                     done.stderr.decode(errors="replace").strip()))
        return done.stdout

    def start(self):
        pki, server = self.tools.pki, self.tools.server
        self.run(pki, "ca", "new", "--dir", "service", "--kind", "service")
        self.run(pki, "ca", "new", "--dir", "rp", "--kind", "rp")
        self.run(pki, "tls-server", "new", "--ca-dir", "service", "--key-file", "server.key.pem", "--out", "server.pem")
        self.run(pki, "client", "new", "--ca-dir", "rp", "--role", "rp", "--cn", RP_ID,
                 "--key-file", "bank.key.pem", "--out", "bank.pem")
        config = {
            "listen_address": "127.0.0.1", "listen_port": 0, "threads": 2,
            "tls_certificate": self.path("server.pem"), "tls_key": self.path("server.key.pem"),
            "tls_client_ca": self.path("rp/ca.pem"), "require_client_certificate": True,
            "relying_party_ca": self.path("rp/ca.pem"),
            "database_kind": "sqlcipher", "database_path": self.path("population.db"),
            "database_key_file": self.path("database.key"),
            "audit_signing_key_file": self.path("audit.key"),
            "audit_checkpoint_log": self.path("audit-checkpoints.jsonl"),
            "assertion_key_file": self.path("assertion.key"), "pairwise_secret_file": self.path("pairwise.key"),
            "issuer": ISSUER,
        }
        with open(self.path("server.json"), "w", encoding="utf-8") as f:
            json.dump(config, f)
        self.run(server, "admin", "init", "--config", "server.json")
        self.run(server, "admin", "rp", "add", "--config", "server.json", "--id", RP_ID, "--name", "Ngân hàng thử nghiệm",
                 "--scopes", SCOPES, "--certificate", "bank.pem", "--rate-limit", "600")
        self.run(self.tools.test_card, "issue", "--config", "server.json", "--image", "card.img", "--can-out", "can.txt")
        self._start_server()

    def _start_server(self):
        log = open(self.path("server.log"), "ab")  # pylint: disable=consider-using-with
        self.server = subprocess.Popen([self.tools.server, "serve", "--config", "server.json"], cwd=self.dir,
                                       env=self.env, stdout=subprocess.PIPE, stderr=log)
        log.close()
        line = self.server.stdout.readline().decode(errors="replace").strip()
        prefix = "listening on https://127.0.0.1:"
        if not line.startswith(prefix):
            self.stop()
            raise RuntimeError("cccd-server did not start (see its log)")
        self.port = int(line[len(prefix):])

    @property
    def url(self):
        return "https://127.0.0.1:%d" % self.port

    def terminal_command(self):
        """The terminal with the virtual card on it: challenge JSON on stdin, the presentation on stdout."""
        return [self.tools.test_card, "present", "--image", self.path("card.img"), "--can-file", self.path("can.txt")]

    def stop(self, keep=False):
        if self.server is not None:
            self.server.send_signal(signal.SIGTERM)
            try:
                self.server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.server.kill()
                self.server.wait()
            self.server.stdout.close()
            self.server = None
        if not keep:
            shutil.rmtree(self.dir, ignore_errors=True)
