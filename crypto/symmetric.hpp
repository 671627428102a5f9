#pragma once
// The block ciphers and MACs of ICAO 9303 secure messaging, and its key derivation function.
// 3DES (two-key, EDE) with the ISO/IEC 9797-1 MAC algorithm 3 "retail MAC" for BAC;
// AES with CMAC for PACE and Chip Authentication.
#include <cstdint>

#include "base/bytes.hpp"

namespace cccd::crypto {

// ISO/IEC 9797-1 padding method 2: 0x80 then zeros up to a multiple of `block`.
Bytes pad_iso9797(ByteView data, std::size_t block);
// Removes method-2 padding; ParseError when it is malformed.
Bytes unpad_iso9797(ByteView data);

// CBC without padding (data must be a multiple of the block size). `iv` defaults to zeros.
Bytes tdes_cbc_encrypt(ByteView key16, ByteView data, ByteView iv = {});
Bytes tdes_cbc_decrypt(ByteView key16, ByteView data, ByteView iv = {});
Bytes aes_cbc_encrypt(ByteView key, ByteView data, ByteView iv = {});
Bytes aes_cbc_decrypt(ByteView key, ByteView data, ByteView iv = {});
// One raw block (ECB), e.g. the SM IV = E(KSenc, SSC) for AES.
Bytes aes_ecb_encrypt_block(ByteView key, ByteView block16);
Bytes tdes_ecb_encrypt_block(ByteView key16, ByteView block8);

// ISO/IEC 9797-1 MAC algorithm 3 with single DES and a final 3DES step, over already padded data
// (multiple of 8 bytes). 8-byte result.
Bytes retail_mac(ByteView key16, ByteView padded_data);
// AES-CMAC (NIST SP 800-38B), the full 16 bytes; ICAO uses the first 8.
Bytes aes_cmac(ByteView key, ByteView data);

enum class KdfCounter : std::uint32_t { Enc = 1, Mac = 2, Password = 3 };
enum class KeyCipher { Tdes, Aes128, Aes192, Aes256 };

// ICAO 9303 Part 11 §9.7.1: KDF(K, c) = H(K || c), SHA-1 for 3DES and AES-128, SHA-256 for AES-192/256.
// 3DES keys are parity adjusted.
SecretBytes kdf(ByteView shared_secret, KdfCounter counter, KeyCipher cipher);

// Sets the DES odd-parity bit of each byte.
Bytes adjust_des_parity(ByteView key);

}  // namespace cccd::crypto
