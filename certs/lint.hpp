#pragma once
// Checks a certificate against its profile (certs/profiles.hpp), one named rule at a time, so an
// operator sees exactly which requirement of ICAO 9303 Part 12 (or of our TLS profiles) is broken.
#include <ctime>
#include <string>
#include <vector>

#include "certs/profiles.hpp"
#include "crypto/openssl.hpp"

namespace cccd::certs {

enum class LintStatus { Pass, Fail, Warn };

struct LintFinding {
    std::string rule;    // stable name, e.g. "key-usage-values"
    LintStatus status = LintStatus::Pass;
    std::string detail;  // what was found, in words
};

// Every rule of `profile` over `cert`. `issuer` (optional) enables the signature and key identifier
// checks for certificates that are not self-signed; without it they are WARN "not checked".
std::vector<LintFinding> lint_certificate(const X509* cert, Profile profile, const X509* issuer = nullptr);

// True when no finding is FAIL (warnings allowed).
bool lint_passed(const std::vector<LintFinding>& findings);
// "PASS key-usage-values: keyCertSign, cRLSign".
std::string format_finding(const LintFinding& finding);

}  // namespace cccd::certs
