#pragma once
// Passive Authentication (ICAO 9303 Part 11, 5.1): is EF.SOD signed by a Document Signer that a
// trusted CSCA issued, and do the data groups read from the chip hash to what the SOD lists?
// The result is a report of named checks, each PASS, FAIL or NOT_CHECKED with a reason in words.
#include <ctime>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.hpp"
#include "card/pa/trust_store.hpp"

namespace cccd::pa {

enum class Verdict { Pass, Fail, NotChecked };

// "PASS", "FAIL", "NOT_CHECKED".
std::string_view verdict_name(Verdict v) noexcept;

struct Check {
    std::string name;  // "SOD structure", "SOD signature", "DS certificate trusted", "DG1 hash", ...
    Verdict verdict = Verdict::NotChecked;
    std::string reason;
};

// Check names, so callers and tests do not repeat strings.
inline constexpr std::string_view kCheckSodStructure = "SOD structure";
inline constexpr std::string_view kCheckSodSignature = "SOD signature";
inline constexpr std::string_view kCheckDsTrusted = "DS certificate trusted";
inline constexpr std::string_view kCheckDsValidity = "DS certificate validity";
inline constexpr std::string_view kCheckDsNotRevoked = "DS certificate not revoked";
// "DG13 hash" for each data group the SOD lists.
std::string data_group_check_name(int data_group);
// "DG3 in SOD": a file was given for a data group the SOD does not list.
std::string unlisted_data_group_check_name(int data_group);

struct Report {
    std::vector<Check> checks;
    // FAIL when any check failed; PASS otherwise (NOT_CHECKED items such as revocation without a
    // CRL, or a data group that was not read, do not fail the document but stay in the report).
    Verdict overall = Verdict::NotChecked;
    std::string ds_subject;    // empty when no DS certificate was found
    std::string csca_subject;  // the anchor the DS chains to, empty when none

    const Check* find(std::string_view name) const;
    bool passed() const noexcept { return overall == Verdict::Pass; }
};

// Runs every check. `data_groups` maps data-group numbers (1..16) to the files' bytes as read.
// Never throws for bad card data: a malformed SOD is a FAIL of "SOD structure" with the reason.
Report verify(const std::map<int, Bytes>& data_groups, ByteView ef_sod, const TrustStore& trust, std::time_t at);

}  // namespace cccd::pa
