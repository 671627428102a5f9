#pragma once
// The state of one CA on disk (`cccd-pki --dir D`):
//
//   D/ca.pem          the CA's current certificate (CSCA, service CA or RP CA)
//   D/ca.profile      "csca", "service-ca" or "rp-ca"
//   D/ca.key          where its private key is: a pkcs11: URI (no PIN) or a key file path
//   D/private/        encrypted key files made by the tool (mode 0700)
//   D/serial          the next serial number (decimal)
//   D/crlnumber       the next CRL number (decimal)
//   D/index.tsv       one line per issued certificate: status, serial, profile, notAfter, revoked at, reason, subject
//   D/issued/N.pem    every certificate issued, by serial (decimal)
//   D/history/        earlier CA certificates and link certificates after a rollover
//   D/crl.pem, D/crl.der   the latest CRL
//   D/.lock           held (flock) while a command changes the directory
#include <cstdint>
#include <ctime>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "certs/profiles.hpp"
#include "crypto/openssl.hpp"

namespace cccd::certs {

struct IndexEntry {
    bool revoked = false;
    std::uint64_t serial = 0;
    std::string profile;
    std::string not_after;   // ISO 8601
    std::string revoked_at;  // ISO 8601, empty when valid
    std::string reason;      // empty when valid or unspecified
    std::string subject;
};

class PkiDirectory {
public:
    // Creates the layout (InvalidArgument when D already holds a CA) or opens an existing one
    // (InvalidArgument when D holds none). Both take the directory's lock until destruction.
    static PkiDirectory create(const std::filesystem::path& dir);
    static PkiDirectory open(const std::filesystem::path& dir);

    PkiDirectory(PkiDirectory&& other) noexcept;
    PkiDirectory& operator=(PkiDirectory&&) = delete;
    PkiDirectory(const PkiDirectory&) = delete;
    ~PkiDirectory();

    const std::filesystem::path& path() const noexcept { return dir_; }
    std::filesystem::path ca_certificate_path() const { return dir_ / "ca.pem"; }
    std::filesystem::path private_dir() const { return dir_ / "private"; }

    // The CA: certificate, profile and key location.
    crypto::X509Ptr ca_certificate() const;
    Profile ca_profile() const;
    std::string ca_key_spec() const;  // a file path is resolved against D when relative
    void set_ca(const X509* cert, Profile profile, const std::string& key_spec);
    // Moves the current CA certificate to history/ca-<serial>.pem (before a rollover).
    void archive_ca_certificate();
    void save_history(const std::string& name, const X509* cert);

    // Takes the next serial and advances the counter (starts at 1).
    std::uint64_t take_serial();
    std::uint64_t take_crl_number();

    // Writes issued/<serial>.pem and appends to the index.
    void record_issued(const X509* cert, Profile profile);
    std::vector<IndexEntry> index() const;
    // Marks a certificate revoked; InvalidArgument if unknown or already revoked.
    void revoke(std::uint64_t serial, std::time_t when, const std::string& reason);
    void write_crl(ByteView crl_der);

private:
    PkiDirectory(std::filesystem::path dir, int lock_fd) : dir_(std::move(dir)), lock_fd_(lock_fd) {}
    std::uint64_t take_counter(const char* name);
    void write_index(const std::vector<IndexEntry>& entries) const;

    std::filesystem::path dir_;
    int lock_fd_ = -1;
};

// Writes `text` to `path` atomically (temporary file + rename), mode 0644.
void write_text_file(const std::filesystem::path& path, const std::string& text);

}  // namespace cccd::certs
