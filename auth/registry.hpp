#pragma once
// What the verification pipeline asks the outside world: the card registry (cards by MRZ document
// number, citizens by ID number) and the directory of relying parties. Interfaces, so the pipeline
// runs over the server's storage (server/api/auth_api.hpp) and over anything else in tests.
#include <map>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "identity/register.hpp"

namespace cccd::auth {

class CardRegistry {
public:
    virtual ~CardRegistry() = default;
    // Every card whose MRZ carries this document number (a citizen's renewals share it).
    virtual std::vector<identity::Card> cards_by_document_number(std::string_view document_number) = 0;
    virtual std::optional<identity::Citizen> citizen(std::string_view personal_id) = 0;
};


// ---- relying parties ----

// The attributes an assertion can carry; a relying party's scopes are a subset.
//   name, date_of_birth, sex, personal_id, address, photo, nationality, age_over_18
const std::set<std::string, std::less<>>& known_scopes();

struct RelyingParty {
    std::string id;                          // is_valid_relying_party_id
    std::string name;                        // for people (consent screens, the audit viewer)
    std::set<std::string, std::less<>> scopes;  // each one of known_scopes()
    unsigned rate_limit_per_minute = 60;     // enforced by the server's front, not here
    bool active = true;                      // an inactive party is treated as unknown
    friend bool operator==(const RelyingParty&, const RelyingParty&) = default;
};

// InvalidArgument naming what is wrong (id, unknown scope).
void validate(const RelyingParty& party);

// Scopes as stored ("name date_of_birth"): split on spaces (several spaces count as one), and back,
// sorted. Neither checks the names (validate does).
std::set<std::string, std::less<>> parse_scopes(std::string_view space_separated);
std::string scopes_text(const std::set<std::string, std::less<>>& scopes);

class RelyingPartyDirectory {
public:
    virtual ~RelyingPartyDirectory() = default;
    virtual std::optional<RelyingParty> find(std::string_view id) const = 0;
};

// Thread-safe: put may run while others find.
class InMemoryRelyingPartyDirectory final : public RelyingPartyDirectory {
public:
    // Validates and inserts or replaces.
    void put(RelyingParty party);
    std::optional<RelyingParty> find(std::string_view id) const override;

private:
    mutable std::shared_mutex mutex_;
    std::map<std::string, RelyingParty, std::less<>> parties_;
};

}  // namespace cccd::auth
