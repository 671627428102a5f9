#include "certs/keys.hpp"

#include <cerrno>
#include <memory>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include "base/environment.hpp"
#include "base/error.hpp"
#include "base/file.hpp"

namespace cccd::certs {

namespace {

using crypto::check;

constexpr std::size_t kMinimumPassphraseLength = 12;
// PBKDF2-HMAC-SHA256 iterations for new key files: OWASP's figure for that PRF (2023). About 0.2 s
// per key opened, paid once at start-up; files written with fewer iterations still open.
constexpr int kPbkdf2Iterations = 600'000;

struct Pkcs8InfoFree {
    void operator()(PKCS8_PRIV_KEY_INFO* p) const noexcept { PKCS8_PRIV_KEY_INFO_free(p); }
};
struct AlgorithmFree {
    void operator()(X509_ALGOR* p) const noexcept { X509_ALGOR_free(p); }
};
struct X509SigFree {
    void operator()(X509_SIG* p) const noexcept { X509_SIG_free(p); }
};
using Pkcs8InfoPtr = std::unique_ptr<PKCS8_PRIV_KEY_INFO, Pkcs8InfoFree>;
using AlgorithmPtr = std::unique_ptr<X509_ALGOR, AlgorithmFree>;
using X509SigPtr = std::unique_ptr<X509_SIG, X509SigFree>;

// The curve's NID, or NID_undef.
int curve_nid(const std::string& curve) {
    int nid = OBJ_sn2nid(curve.c_str());
    if (nid == NID_undef) nid = OBJ_ln2nid(curve.c_str());
    if (nid == NID_undef) nid = EC_curve_nist2nid(curve.c_str());
    return nid;
}

}  // namespace

std::string KeySpec::describe() const {
    return type == KeyType::Ec ? "ECDSA " + curve : "RSA " + std::to_string(rsa_bits);
}

KeySpec make_key_spec(const std::string& key_type, const std::string& curve, int rsa_bits) {
    KeySpec spec;
    if (key_type == "ec") {
        spec.type = KeyType::Ec;
        spec.curve = curve;
        (void)curve_oid(curve);  // rejects unknown curves now rather than at generation
    } else if (key_type == "rsa") {
        spec.type = KeyType::Rsa;
        if (rsa_bits < 2048 || rsa_bits > 8192 || rsa_bits % 8 != 0)
            throw InvalidArgument("RSA keys must have 2048 to 8192 bits (a multiple of 8), not " + std::to_string(rsa_bits));
        spec.rsa_bits = rsa_bits;
    } else {
        throw InvalidArgument("key type must be 'ec' or 'rsa', not '" + key_type + "'");
    }
    return spec;
}

std::string curve_oid(const std::string& curve) {
    int nid = curve_nid(curve);
    if (nid == NID_undef) throw InvalidArgument("unknown elliptic curve '" + curve + "'");
    const ASN1_OBJECT* obj = OBJ_nid2obj(nid);
    char text[128] = {};
    if (obj == nullptr || OBJ_obj2txt(text, sizeof text, obj, 1) <= 0)
        throw InvalidArgument("elliptic curve '" + curve + "' has no OID");
    return text;
}

crypto::PKeyPtr generate_key(const KeySpec& spec) {
    if (spec.type == KeyType::Rsa) {
        crypto::PKeyPtr key(EVP_RSA_gen(static_cast<unsigned int>(spec.rsa_bits)));
        check(key != nullptr, "RSA key generation");
        return key;
    }
    crypto::PKeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
    check(ctx != nullptr && EVP_PKEY_keygen_init(ctx.get()) == 1, "EC key generation setup");
    std::string group = OBJ_nid2sn(curve_nid(spec.curve));
    std::string encoding = "named_curve";
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group.data(), 0),
        OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_EC_ENCODING, encoding.data(), 0),
        OSSL_PARAM_construct_end(),
    };
    if (EVP_PKEY_CTX_set_params(ctx.get(), params) != 1) crypto::throw_openssl_error("EC curve " + spec.curve);
    EVP_PKEY* raw = nullptr;
    check(EVP_PKEY_generate(ctx.get(), &raw) == 1, "EC key generation");
    return crypto::PKeyPtr(raw);
}

SecretBytes secret_from_environment(const char* value_variable, const char* file_variable) {
    auto secret = cccd::secret_from_environment(value_variable, file_variable);
    if (!secret) return {};
    Bytes terminated;
    terminated.reserve(secret->size() + 1);  // no reallocation: no unwiped copy left behind
    terminated.assign(secret->view().begin(), secret->view().end());
    terminated.push_back(0);  // for C APIs; not counted by callers that use c_str()
    return SecretBytes(std::move(terminated));
}

void write_encrypted_key_file(const std::filesystem::path& path, EVP_PKEY* key, const SecretBytes& passphrase) {
    if (passphrase.empty() || passphrase.size() - 1 < kMinimumPassphraseLength)
        throw InvalidArgument("the key file passphrase must have at least " + std::to_string(kMinimumPassphraseLength) +
                              " characters");
    // PEM_write_bio_PKCS8PrivateKey has no way to set the iteration count (it writes OpenSSL's default
    // of 2,048), so the PBES2 parameters are made here and the key encrypted with them.
    Pkcs8InfoPtr info(EVP_PKEY2PKCS8(key));
    check(info != nullptr, "encoding the private key");
    AlgorithmPtr pbes2(PKCS5_pbe2_set_iv_ex(EVP_aes_256_cbc(), kPbkdf2Iterations, nullptr, 0, nullptr,
                                            NID_hmacWithSHA256, nullptr));
    check(pbes2 != nullptr, "PBES2 parameters");
    // The passphrase without the NUL that c_str() relies on.
    X509SigPtr encrypted(PKCS8_set0_pbe_ex(c_str(passphrase), static_cast<int>(passphrase.size() - 1), info.get(),
                                           pbes2.get(), nullptr, nullptr));
    check(encrypted != nullptr, "encrypting the private key");
    (void)pbes2.release();  // owned by `encrypted` from here on
    crypto::BioPtr bio(BIO_new(BIO_s_mem()));
    check(bio != nullptr, "BIO_new");
    check(PEM_write_bio_PKCS8(bio.get(), encrypted.get()) == 1, "encrypting the private key");
    char* data = nullptr;
    long len = BIO_get_mem_data(bio.get(), &data);
    check(len > 0 && data != nullptr, "encrypting the private key");

    // O_EXCL: an existing key is never overwritten; 0600: only the owner reads the file.
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, S_IRUSR | S_IWUSR);
    if (fd < 0)
        throw InvalidArgument("cannot create key file " + path.string() +
                              (errno == EEXIST ? ": it already exists" : ""));
    auto size = static_cast<std::size_t>(len);
    bool ok = ::write(fd, data, size) == static_cast<ssize_t>(size);
    ok = ::close(fd) == 0 && ok;
    if (!ok) {
        std::filesystem::remove(path);
        throw InvalidArgument("cannot write key file " + path.string());
    }
}

crypto::PKeyPtr read_encrypted_key_file(const std::filesystem::path& path, const SecretBytes& passphrase) {
    Bytes pem = read_file(path);
    std::string_view text(reinterpret_cast<const char*>(pem.data()), pem.size());
    if (text.find("-----BEGIN ENCRYPTED PRIVATE KEY-----") == std::string_view::npos) {
        bool plain = text.find("PRIVATE KEY-----") != std::string_view::npos;
        secure_wipe(pem);
        throw CryptoError("key file " + path.string() +
                          (plain ? " is not encrypted; keys must be stored as encrypted PKCS#8 (AES-256)"
                                 : " holds no encrypted PKCS#8 private key"));
    }
    if (passphrase.empty()) {
        secure_wipe(pem);
        throw CryptoError("key file " + path.string() +
                          " is encrypted: set CCCD_KEY_PASSPHRASE or CCCD_KEY_PASSPHRASE_FILE");
    }
    crypto::BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    check(bio != nullptr, "BIO_new_mem_buf");
    crypto::PKeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, const_cast<char*>(c_str(passphrase))));
    secure_wipe(pem);
    if (key == nullptr) {
        crypto::clear_openssl_errors();
        throw CryptoError("cannot decrypt key file " + path.string() + ": wrong passphrase");
    }
    return key;
}

crypto::PKeyPtr public_key_of(EVP_PKEY* key) {
    unsigned char* der = nullptr;
    int len = i2d_PUBKEY(key, &der);
    check(len > 0 && der != nullptr, "encoding the public key");
    const unsigned char* p = der;
    crypto::PKeyPtr pub(d2i_PUBKEY(nullptr, &p, len));
    OPENSSL_free(der);
    check(pub != nullptr, "decoding the public key");
    return pub;
}

bool same_public_key(EVP_PKEY* a, EVP_PKEY* b) {
    auto pa = public_key_of(a);
    auto pb = public_key_of(b);
    return EVP_PKEY_eq(pa.get(), pb.get()) == 1;
}

}  // namespace cccd::certs
