// rp_check SERVER_URL CA CERTIFICATE KEY: asks the CCCD server for a challenge with the relying party's
// certificate and prints when it expires; then fetches the JWKS and prints how many keys it holds.
// (The key's passphrase, if any, comes from CCCD_RP_KEY_PASSPHRASE.) A card presentation, the
// verification and the assertion check follow the same client: see docs/authentication.md.
#include <iostream>

#include "auth/client/auth_client.hpp"
#include "auth/client/card_presentation.hpp"  // the card side (present_card), for a terminal with a reader

int main(int argc, char** argv) {
    namespace client = cccd::auth::client;
    if (argc != 5) {
        std::cerr << "usage: rp_check SERVER_URL CA CERTIFICATE KEY\n";
        return 2;
    }
    try {
        client::ClientOptions options;
        options.server = client::parse_server_url(argv[1]);
        options.ca_file = argv[2];
        options.certificate_file = argv[3];
        options.key_file = argv[4];
        const std::string relying_party = client::certificate_common_name(options.certificate_file);
        client::AuthClient auth(std::move(options));
        const client::ChallengeOffer offer = auth.request_challenge();
        std::cout << relying_party << ": challenge " << offer.challenge_id << ", expires in "
                  << offer.expires_in.count() << " s\n";
        const cccd::auth::Jwks keys = auth.fetch_jwks();
        std::cout << "JWKS: " << keys.keys.size() << " key(s)\n";
    } catch (const client::RefusedError& e) {
        std::cerr << "refused: " << e.code() << ": " << e.server_message() << "\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << e.what() << "\n";
        return 1;
    }
    return 0;
}
