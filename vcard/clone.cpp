#include "vcard/clone.hpp"

#include <algorithm>
#include <vector>

#include "base/error.hpp"
#include "card/lds/ef_com.hpp"
#include "card/lds/lds_file.hpp"

namespace cccd::vcard {

ChipContents clone_without_keys(const ChipContents& victim) {
    if (victim.life_cycle != perso::LifeCycle::Locked) throw InvalidArgument("only an issued card can be cloned");
    const std::uint16_t com_fid = lds::file_info(lds::LdsFile::Com).fid;
    const auto com = victim.files.find(com_fid);
    if (com == victim.files.end()) throw InvalidArgument("the card to clone has no EF.COM");

    ChipContents clone;
    clone.life_cycle = perso::LifeCycle::Locked;
    clone.chip_serial = victim.chip_serial;
    clone.can = victim.can;
    clone.mrz_information = victim.mrz_information;
    clone.pace_parameter_id = victim.pace_parameter_id;
    clone.extended_length = victim.extended_length;
    const std::uint16_t dg14 = lds::file_info(lds::LdsFile::Dg14).fid;
    const std::uint16_t dg15 = lds::file_info(lds::LdsFile::Dg15).fid;
    for (const auto& [fid, content] : victim.files) {
        if (fid != dg14 && fid != dg15) clone.files[fid] = content;
    }
    lds::EfCom listed = lds::decode_ef_com(com->second);
    std::vector<lds::LdsFile> kept = listed.listed_files();
    std::erase_if(kept, [](lds::LdsFile f) { return f == lds::LdsFile::Dg14 || f == lds::LdsFile::Dg15; });
    clone.files[com_fid] = lds::encode(lds::make_ef_com(kept, listed.lds_version, listed.unicode_version));
    return clone;
}

}  // namespace cccd::vcard
