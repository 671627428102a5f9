#include "base/file.hpp"

#include <fstream>
#include <iterator>

#include "base/error.hpp"

namespace cccd {

Bytes read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ParseError("cannot read " + path.string());
    Bytes data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) throw ParseError("error while reading " + path.string());
    return data;
}

}  // namespace cccd
