#include "certs/pki_directory.hpp"

#include <cerrno>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "base/error.hpp"
#include "base/file.hpp"
#include "card/pa/certificate.hpp"

namespace cccd::certs {

namespace fs = std::filesystem;

namespace {

int take_lock(const fs::path& dir) {
    int fd = ::open((dir / ".lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) throw InvalidArgument("cannot open " + (dir / ".lock").string());
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        ::close(fd);
        throw InvalidArgument(dir.string() + " is in use by another cccd-pki command");
    }
    return fd;
}

std::string read_text(const fs::path& path) {
    Bytes b = read_file(path);
    std::string s(b.begin(), b.end());
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
    return s;
}

std::vector<std::string> split_tabs(const std::string& line) {
    std::vector<std::string> out;
    std::string field;
    std::istringstream in(line);
    while (std::getline(in, field, '\t')) out.push_back(field);
    return out;
}

std::string no_tabs(std::string s) {
    for (char& c : s)
        if (c == '\t' || c == '\n') c = ' ';
    return s;
}

std::string iso_time(std::time_t t) {
    std::tm tm{};
    gmtime_r(&t, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

}  // namespace

void write_text_file(const fs::path& path, const std::string& text) {
    fs::path temporary = path;
    temporary += ".tmp";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out << text;
        out.flush();
        if (!out) throw InvalidArgument("cannot write " + temporary.string());
    }
    fs::rename(temporary, path);
}

PkiDirectory PkiDirectory::create(const fs::path& dir) {
    fs::create_directories(dir);
    int fd = take_lock(dir);
    PkiDirectory d(dir, fd);
    if (fs::exists(dir / "ca.pem")) throw InvalidArgument(dir.string() + " already holds a CA (ca.pem)");
    fs::create_directories(dir / "private");
    fs::permissions(dir / "private", fs::perms::owner_all, fs::perm_options::replace);
    fs::create_directories(dir / "issued");
    fs::create_directories(dir / "history");
    if (!fs::exists(dir / "serial")) write_text_file(dir / "serial", "1\n");
    if (!fs::exists(dir / "crlnumber")) write_text_file(dir / "crlnumber", "1\n");
    if (!fs::exists(dir / "index.tsv")) write_text_file(dir / "index.tsv", "");
    return d;
}

PkiDirectory PkiDirectory::open(const fs::path& dir) {
    if (!fs::exists(dir / "ca.pem"))
        throw InvalidArgument(dir.string() + " holds no CA (no ca.pem); create one first (cccd-pki csca new / ca new)");
    return PkiDirectory(dir, take_lock(dir));
}

PkiDirectory::PkiDirectory(PkiDirectory&& other) noexcept : dir_(std::move(other.dir_)), lock_fd_(other.lock_fd_) {
    other.lock_fd_ = -1;
}

PkiDirectory::~PkiDirectory() {
    if (lock_fd_ >= 0) ::close(lock_fd_);  // releases the flock
}

crypto::X509Ptr PkiDirectory::ca_certificate() const { return read_certificate_file(ca_certificate_path()); }

Profile PkiDirectory::ca_profile() const {
    auto name = read_text(dir_ / "ca.profile");
    auto profile = profile_from_name(name);
    if (!profile) throw ParseError((dir_ / "ca.profile").string() + ": unknown profile '" + name + "'");
    return *profile;
}

std::string PkiDirectory::ca_key_spec() const {
    auto spec = read_text(dir_ / "ca.key");
    if (spec.rfind("pkcs11:", 0) == 0 || fs::path(spec).is_absolute()) return spec;
    return (dir_ / spec).string();
}

void PkiDirectory::set_ca(const X509* cert, Profile profile, const std::string& key_spec) {
    write_text_file(dir_ / "ca.pem", certificate_to_pem(cert));
    write_text_file(dir_ / "ca.profile", std::string(profile_name(profile)) + "\n");
    std::string stored = key_spec;
    // A key file inside D is stored relative, so the directory can move.
    std::error_code ec;
    auto relative = fs::relative(fs::absolute(key_spec, ec), fs::absolute(dir_), ec);
    if (key_spec.rfind("pkcs11:", 0) != 0 && !ec && !relative.empty() && relative.native().rfind("..", 0) != 0)
        stored = relative.string();
    write_text_file(dir_ / "ca.key", stored + "\n");
}

void PkiDirectory::archive_ca_certificate() {
    auto cert = ca_certificate();
    save_history("ca-" + pa::serial_hex(cert.get()) + ".pem", cert.get());
}

void PkiDirectory::save_history(const std::string& name, const X509* cert) {
    fs::create_directories(dir_ / "history");
    write_text_file(dir_ / "history" / name, certificate_to_pem(cert));
}

std::uint64_t PkiDirectory::take_counter(const char* name) {
    auto text = read_text(dir_ / name);
    std::uint64_t value = 0;
    try {
        value = std::stoull(text);
    } catch (const std::exception&) {
        throw ParseError((dir_ / name).string() + " does not hold a number");
    }
    if (value == 0) throw ParseError((dir_ / name).string() + " holds 0; counters start at 1");
    write_text_file(dir_ / name, std::to_string(value + 1) + "\n");
    return value;
}

std::uint64_t PkiDirectory::take_serial() { return take_counter("serial"); }
std::uint64_t PkiDirectory::take_crl_number() { return take_counter("crlnumber"); }

void PkiDirectory::record_issued(const X509* cert, Profile profile) {
    std::uint64_t serial = 0;
    if (ASN1_INTEGER_get_uint64(&serial, X509_get0_serialNumber(cert)) != 1)
        throw InvalidArgument("the certificate's serial number does not fit the index");
    write_text_file(dir_ / "issued" / (std::to_string(serial) + ".pem"), certificate_to_pem(cert));
    IndexEntry e;
    e.serial = serial;
    e.profile = std::string(profile_name(profile));
    e.not_after = pa::time_to_string(X509_get0_notAfter(cert));
    e.subject = pa::subject_of(cert);
    auto entries = index();
    entries.push_back(e);
    write_index(entries);
}

std::vector<IndexEntry> PkiDirectory::index() const {
    std::vector<IndexEntry> out;
    std::ifstream in(dir_ / "index.tsv");
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        auto f = split_tabs(line);
        if (f.size() != 7) throw ParseError((dir_ / "index.tsv").string() + ": malformed line");
        IndexEntry e;
        e.revoked = f[0] == "R";
        e.serial = std::stoull(f[1]);
        e.profile = f[2];
        e.not_after = f[3];
        e.revoked_at = f[4] == "-" ? "" : f[4];
        e.reason = f[5] == "-" ? "" : f[5];
        e.subject = f[6];
        out.push_back(e);
    }
    return out;
}

void PkiDirectory::write_index(const std::vector<IndexEntry>& entries) const {
    std::string text;
    for (const auto& e : entries) {
        text += std::string(e.revoked ? "R" : "V") + "\t" + std::to_string(e.serial) + "\t" + e.profile + "\t" + e.not_after +
                "\t" + (e.revoked_at.empty() ? "-" : e.revoked_at) + "\t" + (e.reason.empty() ? "-" : e.reason) + "\t" +
                no_tabs(e.subject) + "\n";
    }
    write_text_file(dir_ / "index.tsv", text);
}

void PkiDirectory::revoke(std::uint64_t serial, std::time_t when, const std::string& reason) {
    if (!reason.empty()) (void)crl_reason_code(reason);  // validates the name
    auto entries = index();
    for (auto& e : entries) {
        if (e.serial != serial) continue;
        if (e.revoked) throw InvalidArgument("certificate " + std::to_string(serial) + " is already revoked");
        e.revoked = true;
        e.revoked_at = iso_time(when);
        e.reason = reason;
        write_index(entries);
        return;
    }
    throw InvalidArgument("this CA issued no certificate with serial " + std::to_string(serial));
}

void PkiDirectory::write_crl(ByteView crl_der) {
    std::string der(crl_der.begin(), crl_der.end());
    write_text_file(dir_ / "crl.der", der);
    write_text_file(dir_ / "crl.pem", crl_der_to_pem(crl_der));
}

}  // namespace cccd::certs
