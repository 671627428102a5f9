// Backups that restore: taking one (online), verifying one on a working copy, restoring one into an
// empty data directory (backup.hpp has the diagram).
#include "server/admin/backup.hpp"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <functional>
#include <vector>

#include "base/clock.hpp"
#include "base/error.hpp"
#include "server/admin/configured_storage.hpp"

namespace cccd::server::admin {

namespace fs = std::filesystem;

namespace {

bool path_exists(const fs::path& path) {
    std::error_code ignored;
    return fs::exists(path, ignored);
}

void remove_with_side_files(const fs::path& path) {
    std::error_code ignored;
    for (const char* suffix : {"", "-journal", "-wal", "-shm"}) fs::remove(fs::path(path.string() + suffix), ignored);
}

fs::path directory_of(const fs::path& file) { return file.parent_path().empty() ? fs::path(".") : file.parent_path(); }

class Descriptor {
public:
    explicit Descriptor(int fd) : fd_(fd) {}
    ~Descriptor() {
        if (fd_ >= 0) ::close(fd_);
    }
    Descriptor(const Descriptor&) = delete;
    Descriptor& operator=(const Descriptor&) = delete;
    int get() const noexcept { return fd_; }

private:
    int fd_;
};

void fsync_directory(const fs::path& directory) {
    const Descriptor fd(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0 || ::fsync(fd.get()) != 0) throw StorageError("cannot flush the directory " + directory.string() + " to disk");
}

std::string error_text(int error) { return std::strerror(error); }

// A new private file in `directory` (mkstemp: O_EXCL, mode 0600) named after `name`, open for writing.
struct NewFile {
    fs::path path;
    int fd = -1;
};
NewFile create_private_file(const fs::path& directory, const std::string& name) {
    std::string pattern = (directory / ("." + name + "-XXXXXX")).string();
    const int fd = ::mkstemp(pattern.data());
    if (fd < 0) throw StorageError("cannot create a file in " + directory.string() + " (" + error_text(errno) + ")");
    return {pattern, fd};
}

// Copies the backup byte for byte into `to` (open as `out`), flushed to disk.
void copy_backup(const fs::path& from, const fs::path& to, const Descriptor& out) {
    const Descriptor in(::open(from.c_str(), O_RDONLY | O_CLOEXEC));
    if (in.get() < 0) throw ParseError("cannot read the backup " + from.string() + " (" + error_text(errno) + ")");
    struct stat info {};
    if (::fstat(in.get(), &info) != 0 || !S_ISREG(info.st_mode))
        throw ParseError("the backup " + from.string() + " is not a file");
    std::vector<char> buffer(1 << 20);
    for (;;) {
        const ssize_t got = ::read(in.get(), buffer.data(), buffer.size());
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) throw ParseError("cannot read the backup " + from.string() + " (" + error_text(errno) + ")");
        if (got == 0) break;
        for (ssize_t written = 0; written < got;) {
            const ssize_t put = ::write(out.get(), buffer.data() + written, static_cast<std::size_t>(got - written));
            if (put < 0 && errno == EINTR) continue;
            if (put < 0)
                throw StorageError("cannot write the working copy " + to.string() + " (" + error_text(errno) +
                                   "): it needs as much free space as the backup");
            written += put;
        }
    }
    if (::fsync(out.get()) != 0) throw StorageError("cannot flush the working copy " + to.string() + " to disk");
}

// The checks on a working copy, in order; the first failure ends them. `then` runs on the opened
// store when every check passed (restore appends its audit entry there).
BackupVerification check_working_copy(const fs::path& backup, const fs::path& copy, const SecretBytes& key,
                                      const BackupExpectations& expected,
                                      const std::function<void(Storage&, const BackupVerification&)>& then = {}) {
    BackupVerification v;
    try {
        v.file = check_sqlcipher_file(copy, key);
    } catch (const WrongKeyError&) {  // named after the backup, not the working copy
        throw WrongKeyError("the database key does not open the backup " + backup.string() +
                            ": a wrong key (a backup made before `keys rekey-database` needs the key of its time: "
                            "--key-file), a file that is not a CCCD backup, or a damaged first page");
    }
    if (!v.file.ok) {
        v.problem = v.file.problem;
        return v;
    }
    const std::uint32_t latest = Storage::latest_schema_version();
    if (v.file.contents.schema_version > latest) {
        v.problem = "the backup has schema version " + std::to_string(v.file.contents.schema_version) +
                    ", newer than this release knows (" + std::to_string(latest) +
                    "): verify and restore it with the release that made it";
        return v;
    }
    auto storage = open_storage({StorageKind::SqlCipher, copy.string(), key, 1});  // migrates an older copy
    v.schema_version = storage->schema_version();

    // What was published after the backup was taken is not in it; what was published up to its last
    // entry must be.
    const AuditExpectations audit =
        expectations_up_to(expected.audit, v.file.contents.audit_entries, v.published_later, v.anchors_later);
    v.audit = verify_audit(*storage, expected.trusted_keys, audit);
    v.audit_checked = true;
    if (!v.audit.ok) {
        v.problem = "the audit chain does not verify: " + v.audit.problem;
        return v;
    }
    v.ok = true;
    if (then) then(*storage, v);
    return v;
}

}  // namespace

std::uint64_t restored_backup_end(Storage& restored) {
    const auto last = restored.read([](Transaction& t) { return t.last_audit(); });
    if (!last) return 0;
    return last->action == "database.restore" ? last->sequence - 1 : last->sequence;
}

AuditExpectations expectations_up_to(const AuditExpectations& expected, std::uint64_t last_entry,
                                     std::uint64_t& published_later, std::uint64_t& anchors_later) {
    AuditExpectations kept = expected;
    kept.published.clear();
    kept.anchors.clear();
    kept.copy = true;
    published_later = 0;
    anchors_later = 0;
    for (const auto& checkpoint : expected.published) {
        if (checkpoint.sequence <= last_entry) kept.published.push_back(checkpoint);
        else ++published_later;
    }
    for (const auto& anchor : expected.anchors) {
        if (anchor.sequence <= last_entry) kept.anchors.push_back(anchor);
        else ++anchors_later;
    }
    return kept;
}

void require_sqlcipher_backend(const http::ServerConfig& config, std::string_view command) {
    if (config.database_kind == "sqlcipher") return;
    if (config.database_kind == "postgresql" || config.database_kind == "postgres")
        throw InvalidArgument("admin " + std::string(command) +
                              " is for the embedded SQLCipher database; this configuration uses PostgreSQL, whose "
                              "backups are the cluster's: pg_basebackup with WAL archiving, or pg_dump, then "
                              "`cccd-server admin audit verify` on the restored database (docs/backup-restore.md)");
    throw InvalidArgument("database_kind must be sqlcipher or postgresql, not \"" + config.database_kind + "\"");
}

SqlCipherBackupReport take_backup(const http::ServerConfig& config, const fs::path& destination,
                                  const SqlCipherBackupOptions& options) {
    require_sqlcipher_backend(config, "backup");
    return backup_sqlcipher(config.database_path, configured_database_key(config), destination, options);
}

BackupVerification verify_backup(const fs::path& backup, const SecretBytes& key, const BackupExpectations& expected,
                                 const fs::path& scratch_directory) {
    std::string pattern = (scratch_directory / "cccd-backup-verify-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr)  // mode 0700
        throw StorageError("cannot create a working directory in " + scratch_directory.string() + " (" +
                           error_text(errno) + ")");
    const fs::path work = pattern;
    struct RemoveAll {
        fs::path path;
        ~RemoveAll() {
            std::error_code ignored;
            fs::remove_all(path, ignored);
        }
    } remove_work{work};
    const NewFile copy = create_private_file(work, "backup.db");
    copy_backup(backup, copy.path, Descriptor(copy.fd));
    return check_working_copy(backup, copy.path, key, expected);
}

RestoreReport restore_backup(const fs::path& backup, const SecretBytes& key, const fs::path& database_path,
                             const BackupExpectations& expected, std::string_view actor) {
    if (database_path.empty()) throw AdminRefusal("no database_path to restore to");
    const fs::path directory = directory_of(database_path);
    bool created_directory = false;
    std::error_code error;
    if (fs::exists(directory, error)) {
        if (!fs::is_directory(directory, error))
            throw AdminRefusal("the data directory " + directory.string() + " is not a directory");
        std::vector<std::string> names;
        for (const auto& entry : fs::directory_iterator(directory)) names.push_back(entry.path().filename().string());
        if (!names.empty()) {
            std::sort(names.begin(), names.end());
            std::string listed = names.front();
            if (names.size() > 1) listed += " and " + std::to_string(names.size() - 1) + " more";
            throw AdminRefusal("the data directory " + directory.string() + " is not empty (it holds " + listed +
                               "): a restore goes only into an empty directory, so that it can never overwrite a "
                               "database. Stop cccd-server, move the directory aside (mv " + directory.string() + " " +
                               directory.string() + ".old), make it again empty (mkdir -m 0700 " + directory.string() +
                               ", owned by the service user), then restore");
        }
    } else {
        fs::create_directories(directory);
        fs::permissions(directory, fs::perms::owner_all, fs::perm_options::replace);
        created_directory = true;
    }

    RestoreReport report;
    report.database = database_path;
    NewFile created;
    try {
        created = create_private_file(directory, database_path.filename().string() + ".restore");
    } catch (...) {
        if (created_directory) fs::remove(directory, error);
        throw;
    }
    const fs::path copy = created.path;
    auto undo = [&] {
        remove_with_side_files(copy);
        std::error_code ignored;
        if (created_directory) fs::remove(directory, ignored);
    };
    try {
        copy_backup(backup, copy, Descriptor(created.fd));
        report.verification = check_working_copy(backup, copy, key, expected, [&](Storage& storage, const BackupVerification& v) {
            const std::string detail =
                "backup=" + backup.filename().string() + " last_entry=" + std::to_string(v.file.contents.audit_entries);
            report.restore_entry = storage.transaction([&](Transaction& t) {
                return append_audit(t, {utc_now(), std::string(actor), "database.restore", "", "ok", detail}).sequence;
            });
        });
        if (!report.verification.ok) {
            undo();
            return report;
        }
        for (const char* suffix : {"-journal", "-wal", "-shm"})
            if (path_exists(copy.string() + suffix))
                throw StorageError("the restored copy was not closed cleanly; nothing was put in place");
        // Run as root into a directory the package made for the service user: the file is theirs.
        struct stat owner {};
        if (!created_directory && ::geteuid() == 0 && ::stat(directory.c_str(), &owner) == 0 &&
            ::chown(copy.c_str(), owner.st_uid, owner.st_gid) != 0)
            throw StorageError("cannot give the restored file to the data directory's owner (" + error_text(errno) + ")");
        const Descriptor flush(::open(copy.c_str(), O_RDONLY | O_CLOEXEC));
        if (flush.get() < 0 || ::fsync(flush.get()) != 0) throw StorageError("cannot flush the restored file to disk");
        if (path_exists(database_path)) throw AdminRefusal(database_path.string() + " appeared during the restore: it was left as it was");
        fs::rename(copy, database_path);
    } catch (...) {
        undo();
        throw;
    }
    fsync_directory(directory);
    report.restored = true;
    return report;
}

}  // namespace cccd::server::admin
