#include "certs/pkcs11_keygen.hpp"

#include <dlfcn.h>

#include <cstring>
#include <memory>
#include <vector>

#include <p11-kit/pkcs11.h>

#include "base/error.hpp"
#include "card/tlv/tlv.hpp"

namespace cccd::certs::detail {

namespace {

// dlopen of the module; the handle is reference counted by the loader, so a module libp11 has loaded
// too stays loaded.
struct ModuleHandle {
    void* handle = nullptr;
    explicit ModuleHandle(const std::string& path) : handle(::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL)) {}
    ~ModuleHandle() {
        if (handle != nullptr) ::dlclose(handle);
    }
    ModuleHandle(const ModuleHandle&) = delete;
    ModuleHandle& operator=(const ModuleHandle&) = delete;
};

// C_Initialize for the time of the generation. If the module is already initialised in this process
// (libp11 holds a key of the same module), it is left initialised: C_Finalize would end libp11's sessions.
struct Initialized {
    CK_FUNCTION_LIST* functions;
    bool finalize = false;
    explicit Initialized(CK_FUNCTION_LIST* f) : functions(f) {
        CK_C_INITIALIZE_ARGS args{};
        args.flags = CKF_OS_LOCKING_OK;
        CK_RV rv = functions->C_Initialize(&args);
        if (rv != CKR_OK && rv != CKR_CRYPTOKI_ALREADY_INITIALIZED)
            throw CryptoError("the PKCS#11 module cannot be initialised: " + pkcs11_error_text(rv));
        finalize = rv == CKR_OK;
    }
    ~Initialized() {
        if (finalize) functions->C_Finalize(nullptr);
    }
    Initialized(const Initialized&) = delete;
    Initialized& operator=(const Initialized&) = delete;
};

struct Session {
    CK_FUNCTION_LIST* functions;
    CK_SESSION_HANDLE handle = CK_INVALID_HANDLE;
    bool logged_in = false;
    Session(CK_FUNCTION_LIST* f, CK_SLOT_ID slot) : functions(f) {
        CK_RV rv = functions->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr, &handle);
        if (rv != CKR_OK) throw CryptoError("cannot open a session on the token: " + pkcs11_error_text(rv));
    }
    ~Session() {
        if (logged_in) functions->C_Logout(handle);
        functions->C_CloseSession(handle);
    }
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;
};

std::string trimmed_label(const CK_UTF8CHAR (&label)[32]) {
    std::string s(reinterpret_cast<const char*>(label), sizeof label);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) s.pop_back();
    return s;
}

CK_SLOT_ID find_slot(CK_FUNCTION_LIST* f, const std::string& token_label) {
    CK_ULONG count = 0;
    CK_RV rv = f->C_GetSlotList(CK_TRUE, nullptr, &count);
    if (rv != CKR_OK) throw CryptoError("cannot list the token slots: " + pkcs11_error_text(rv));
    std::vector<CK_SLOT_ID> slots(count);
    rv = f->C_GetSlotList(CK_TRUE, slots.data(), &count);
    if (rv != CKR_OK) throw CryptoError("cannot list the token slots: " + pkcs11_error_text(rv));
    slots.resize(count);
    for (CK_SLOT_ID slot : slots) {
        CK_TOKEN_INFO info{};
        if (f->C_GetTokenInfo(slot, &info) == CKR_OK && trimmed_label(info.label) == token_label) return slot;
    }
    throw InvalidArgument("no PKCS#11 token labelled '" + token_label + "' (is the module right, is the token initialised?)");
}

bool object_with_label_exists(CK_FUNCTION_LIST* f, CK_SESSION_HANDLE session, const std::string& label) {
    std::string value = label;
    CK_ATTRIBUTE query{CKA_LABEL, value.data(), value.size()};
    if (f->C_FindObjectsInit(session, &query, 1) != CKR_OK) return false;
    CK_OBJECT_HANDLE found = CK_INVALID_HANDLE;
    CK_ULONG count = 0;
    f->C_FindObjects(session, &found, 1, &count);
    f->C_FindObjectsFinal(session);
    return count > 0;
}

}  // namespace

std::string pkcs11_error_text(unsigned long rv) {
    switch (rv) {
        case CKR_PIN_INCORRECT: return "the PIN is wrong (CKR_PIN_INCORRECT)";
        case CKR_PIN_LOCKED: return "the PIN is locked after too many wrong tries (CKR_PIN_LOCKED)";
        case CKR_PIN_EXPIRED: return "the PIN has expired (CKR_PIN_EXPIRED)";
        case CKR_PIN_LEN_RANGE: return "the PIN has the wrong length (CKR_PIN_LEN_RANGE)";
        case CKR_USER_PIN_NOT_INITIALIZED: return "the token's user PIN is not set (CKR_USER_PIN_NOT_INITIALIZED)";
        case CKR_TOKEN_NOT_PRESENT: return "the token is not present (CKR_TOKEN_NOT_PRESENT)";
        case CKR_TOKEN_WRITE_PROTECTED: return "the token is write-protected (CKR_TOKEN_WRITE_PROTECTED)";
        case CKR_MECHANISM_INVALID: return "the token cannot make this kind of key (CKR_MECHANISM_INVALID)";
        case CKR_DOMAIN_PARAMS_INVALID: return "the token does not support this curve (CKR_DOMAIN_PARAMS_INVALID)";
        case CKR_TEMPLATE_INCONSISTENT: return "the token refused the key attributes (CKR_TEMPLATE_INCONSISTENT)";
        case CKR_DEVICE_MEMORY: return "the token is full (CKR_DEVICE_MEMORY)";
        default: {
            char text[64];
            std::snprintf(text, sizeof text, "PKCS#11 error 0x%08lX", rv);
            return text;
        }
    }
}

void generate_key_pair_in_token(const std::string& module_path, const std::string& token_label,
                                const SecretBytes& pin, const std::string& label, ByteView id, const KeySpec& spec) {
    ModuleHandle module(module_path);
    if (module.handle == nullptr) throw InvalidArgument("cannot load the PKCS#11 module " + module_path);
    auto get_function_list = reinterpret_cast<CK_C_GetFunctionList>(::dlsym(module.handle, "C_GetFunctionList"));
    CK_FUNCTION_LIST* f = nullptr;
    if (get_function_list == nullptr || get_function_list(&f) != CKR_OK || f == nullptr)
        throw InvalidArgument(module_path + " is not a PKCS#11 module");
    Initialized initialized(f);
    CK_SLOT_ID slot = find_slot(f, token_label);
    Session session(f, slot);

    if (pin.empty()) throw InvalidArgument("the token's PIN is needed: set CCCD_PKCS11_PIN or pin-source in the URI");
    CK_RV rv = f->C_Login(session.handle, CKU_USER, const_cast<CK_UTF8CHAR*>(pin.data()),
                          static_cast<CK_ULONG>(pin.size() - 1));  // without the closing NUL
    if (rv != CKR_OK && rv != CKR_USER_ALREADY_LOGGED_IN)
        throw CryptoError("the token '" + token_label + "' refused the login: " + pkcs11_error_text(rv));
    session.logged_in = rv == CKR_OK;

    if (object_with_label_exists(f, session.handle, label))
        throw InvalidArgument("the token '" + token_label + "' already holds an object labelled '" + label +
                              "'; choose another object name");

    CK_BBOOL yes = CK_TRUE;
    CK_BBOOL no = CK_FALSE;
    std::string label_value = label;
    Bytes id_value(id.begin(), id.end());
    // ECParameters ::= namedCurve OBJECT IDENTIFIER: the DER OID, as in a certificate.
    Bytes ec_params;
    CK_ULONG modulus_bits = static_cast<CK_ULONG>(spec.rsa_bits);
    CK_BYTE public_exponent[] = {0x01, 0x00, 0x01};

    std::vector<CK_ATTRIBUTE> public_template = {
        {CKA_TOKEN, &yes, sizeof yes},
        {CKA_PRIVATE, &no, sizeof no},
        {CKA_VERIFY, &yes, sizeof yes},
        {CKA_LABEL, label_value.data(), label_value.size()},
        {CKA_ID, id_value.data(), id_value.size()},
    };
    std::vector<CK_ATTRIBUTE> private_template = {
        {CKA_TOKEN, &yes, sizeof yes},
        {CKA_PRIVATE, &yes, sizeof yes},
        {CKA_SENSITIVE, &yes, sizeof yes},
        {CKA_EXTRACTABLE, &no, sizeof no},
        {CKA_SIGN, &yes, sizeof yes},
        {CKA_DECRYPT, &no, sizeof no},
        {CKA_DERIVE, &no, sizeof no},
        {CKA_LABEL, label_value.data(), label_value.size()},
        {CKA_ID, id_value.data(), id_value.size()},
    };
    CK_MECHANISM mechanism{};
    if (spec.type == KeyType::Ec) {
        ec_params = tlv::asn1::encode_oid(curve_oid(spec.curve));
        public_template.push_back({CKA_EC_PARAMS, ec_params.data(), ec_params.size()});
        mechanism.mechanism = CKM_EC_KEY_PAIR_GEN;
    } else {
        public_template.push_back({CKA_MODULUS_BITS, &modulus_bits, sizeof modulus_bits});
        public_template.push_back({CKA_PUBLIC_EXPONENT, public_exponent, sizeof public_exponent});
        mechanism.mechanism = CKM_RSA_PKCS_KEY_PAIR_GEN;
    }
    CK_OBJECT_HANDLE public_key = CK_INVALID_HANDLE;
    CK_OBJECT_HANDLE private_key = CK_INVALID_HANDLE;
    rv = f->C_GenerateKeyPair(session.handle, &mechanism, public_template.data(),
                              static_cast<CK_ULONG>(public_template.size()), private_template.data(),
                              static_cast<CK_ULONG>(private_template.size()), &public_key, &private_key);
    if (rv != CKR_OK)
        throw CryptoError("the token '" + token_label + "' could not generate a " + spec.describe() +
                          " key: " + pkcs11_error_text(rv));
}

}  // namespace cccd::certs::detail
