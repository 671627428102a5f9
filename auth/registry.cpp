#include "auth/registry.hpp"

#include <mutex>

#include "auth/challenge.hpp"
#include "base/error.hpp"

namespace cccd::auth {

const std::set<std::string, std::less<>>& known_scopes() {
    static const std::set<std::string, std::less<>> scopes{"name",  "date_of_birth", "sex",         "personal_id",
                                                           "address", "photo",       "nationality", "age_over_18"};
    return scopes;
}

void validate(const RelyingParty& party) {
    check_relying_party_id(party.id);
    if (party.name.empty() || party.name.size() > 200) throw InvalidArgument("a relying party name is 1 to 200 bytes");
    for (const auto& scope : party.scopes) {
        if (!known_scopes().contains(scope)) throw InvalidArgument("unknown scope \"" + scope + "\"");
    }
    if (party.rate_limit_per_minute == 0) throw InvalidArgument("a relying party's rate limit must be positive");
}

std::set<std::string, std::less<>> parse_scopes(std::string_view space_separated) {
    std::set<std::string, std::less<>> scopes;
    std::string_view rest = space_separated;
    while (!rest.empty()) {
        const auto space = rest.find(' ');
        if (const std::string_view scope = rest.substr(0, space); !scope.empty()) scopes.emplace(scope);
        rest = space == std::string_view::npos ? std::string_view{} : rest.substr(space + 1);
    }
    return scopes;
}

std::string scopes_text(const std::set<std::string, std::less<>>& scopes) {
    std::string text;
    for (const auto& scope : scopes) text += (text.empty() ? "" : " ") + scope;
    return text;
}

void InMemoryRelyingPartyDirectory::put(RelyingParty party) {
    validate(party);
    std::string id = party.id;
    std::unique_lock lock(mutex_);
    parties_.insert_or_assign(std::move(id), std::move(party));
}

std::optional<RelyingParty> InMemoryRelyingPartyDirectory::find(std::string_view id) const {
    std::shared_lock lock(mutex_);
    auto it = parties_.find(id);
    if (it == parties_.end()) return std::nullopt;
    return it->second;
}

}  // namespace cccd::auth
