#pragma once
// Whole-file reads for tools and trust stores (certificates, master lists, card files, photos).
#include <filesystem>

#include "base/bytes.hpp"

namespace cccd {

// The file's bytes; ParseError ("cannot read PATH") when it cannot be opened or read.
Bytes read_file(const std::filesystem::path& path);

}  // namespace cccd
