// HistoryStore on SQLite (the build with CHATPORT_HISTORY). docs/ARCHITECTURE.md, "History
// storage", says why it is built this way.
//
// Two connections to one database in WAL mode: the writer thread's, which alone writes, and
// one for reads (guarded by readMutex_), so that reads never wait for a batch being written
// and a batch never waits for a read. Each keeps its prepared statements for its life.
//
// SQLite's failures are thrown as SqlError inside this file and caught in the same thread at
// every public method: none leaves the store.

#include <chatport/chat/history.h>
#include <chatport/log.h>
#include <chatport/rate_limited_log.h>

#include "key_store.h"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <future>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>

#ifndef _WIN32
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace chatport::chat {
namespace fs = std::filesystem;
namespace {

// The schema's version (PRAGMA user_version). A newer one is refused; an older one is migrated
// forward in migrate() when there is one.
constexpr int kSchemaVersion = 1;
// Most messages written in one transaction: a batch holds the writer's queue for no longer than
// about a millisecond of inserts per hundred rows.
constexpr std::size_t kBatchRows = 1000;

// Version 1. rooms keeps a row for every room ever stored, with the highest seq it has had, so
// that deleting messages never lowers lastSeq. messages_fts indexes the text by trigrams (an
// external-content table: the text is stored once, in messages; the triggers keep the index in
// step). auto_vacuum=INCREMENTAL lets deletions give the space back to the file system.
constexpr const char* kSchema = R"sql(
CREATE TABLE rooms(
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL DEFAULT '',
  last_seq INTEGER NOT NULL DEFAULT 0);
CREATE TABLE messages(
  id INTEGER PRIMARY KEY,
  room INTEGER NOT NULL REFERENCES rooms(id),
  seq INTEGER NOT NULL,
  time_ms INTEGER NOT NULL,
  kind INTEGER NOT NULL,
  sender TEXT NOT NULL,
  recipient TEXT NOT NULL,
  text TEXT NOT NULL,
  outgoing INTEGER NOT NULL);
CREATE INDEX messages_by_room ON messages(room);
CREATE UNIQUE INDEX messages_by_seq ON messages(room, seq) WHERE seq > 0;
CREATE INDEX messages_by_time ON messages(time_ms);
CREATE VIRTUAL TABLE messages_fts USING fts5(text, content='messages', content_rowid='id', tokenize='trigram');
CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
  INSERT INTO messages_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
  INSERT INTO messages_fts(messages_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
)sql";

constexpr const char* kColumns =
    "m.id, r.key, m.seq, m.time_ms, m.kind, m.sender, m.recipient, m.text, m.outgoing "
    "FROM messages m JOIN rooms r ON r.id = m.room ";

struct SqlError : std::runtime_error {
  SqlError(int rc, const std::string& what) : std::runtime_error(what), code(rc) {}
  int code;
};

void check(sqlite3* db, int rc) {
  if (rc != SQLITE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE) throw SqlError(rc, sqlite3_errmsg(db));
}

void exec(sqlite3* db, const char* sql) { check(db, sqlite3_exec(db, sql, nullptr, nullptr, nullptr)); }

// A prepared statement kept for its connection's life. Each use goes through a Query, which
// resets it after: a statement left mid-way would hold its read transaction open.
class Statement {
 public:
  Statement() = default;
  Statement(sqlite3* db, std::string_view sql) : db_(db) {
    check(db, sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt_,
                                 nullptr));
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(Statement&& other) noexcept : db_(other.db_), stmt_(std::exchange(other.stmt_, nullptr)) {}
  Statement& operator=(Statement&& other) noexcept {
    std::swap(db_, other.db_);
    std::swap(stmt_, other.stmt_);
    return *this;
  }

  sqlite3* db() const { return db_; }
  sqlite3_stmt* get() const { return stmt_; }

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

class Query {
 public:
  explicit Query(Statement& s) : db_(s.db()), stmt_(s.get()) {}
  ~Query() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  Query& bind(int i, std::int64_t v) {
    check(db_, sqlite3_bind_int64(stmt_, i, v));
    return *this;
  }
  // The text must outlive the query's step() calls.
  Query& bind(int i, std::string_view v) {
    check(db_, sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC));
    return *this;
  }
  /// True while there is a row.
  bool step() {
    const int rc = sqlite3_step(stmt_);
    check(db_, rc);
    return rc == SQLITE_ROW;
  }
  void run() {
    while (step()) {
    }
  }
  std::int64_t integer(int column) const { return sqlite3_column_int64(stmt_, column); }
  std::string text(int column) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))) : std::string();
  }
  /// A row selected with kColumns.
  StoredMessage message() const {
    StoredMessage m;
    m.id = integer(0);
    m.room = text(1);
    m.seq = static_cast<std::uint64_t>(integer(2));
    m.timeMs = integer(3);
    const auto kind = integer(4);
    m.kind = kind == 0 ? StoredMessage::Kind::Chat
             : kind == 1 ? StoredMessage::Kind::Private
                         : StoredMessage::Kind::Notice;
    m.from = text(5);
    m.to = text(6);
    m.text = text(7);
    m.outgoing = integer(8) != 0;
    return m;
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

// Reads of more than one query see one state of the database.
class ReadTransaction {
 public:
  explicit ReadTransaction(sqlite3* db) : db_(db) { exec(db, "BEGIN"); }
  ~ReadTransaction() { sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr); }
  ReadTransaction(const ReadTransaction&) = delete;
  ReadTransaction& operator=(const ReadTransaction&) = delete;

 private:
  sqlite3* db_;
};

class Connection {
 public:
  explicit Connection(const std::string& path) {
    const int rc =
        sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
      const std::string why = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
      sqlite3_close_v2(db_);
      db_ = nullptr;
      throw SqlError(rc, why);
    }
    // Another program (the CLI deleting history, say) may hold the write lock for a moment.
    sqlite3_busy_timeout(db_, 5000);
  }
  ~Connection() { sqlite3_close_v2(db_); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  sqlite3* get() const { return db_; }
  int integer(const char* sql) {
    Statement s(db_, sql);
    Query q(s);
    return q.step() ? static_cast<int>(q.integer(0)) : 0;
  }

 private:
  sqlite3* db_ = nullptr;
};

std::string utf8Of(const fs::path& path) {
  const std::u8string s = path.u8string();
  return std::string(reinterpret_cast<const char*>(s.data()), s.size());
}

fs::path pathOf(std::string_view utf8) {
  return fs::path(std::u8string(reinterpret_cast<const char8_t*>(utf8.data()), utf8.size()));
}

std::int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// words split at white space (ASCII and the ideographic space U+3000).
std::vector<std::string> splitWords(const std::string& words) {
  std::vector<std::string> out;
  std::string word;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const bool space = words[i] == ' ' || words[i] == '\t' || words[i] == '\n' || words[i] == '\r' ||
                       words[i] == '\f' || words[i] == '\v';
    const bool ideographicSpace = words.compare(i, 3, "\xE3\x80\x80") == 0;
    if (space || ideographicSpace) {
      if (!word.empty()) out.push_back(std::move(word));
      word.clear();
      if (ideographicSpace) i += 2;
    } else {
      word += words[i];
    }
  }
  if (!word.empty()) out.push_back(std::move(word));
  return out;
}

std::size_t codePoints(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

// One queued write: a message, or a task run in the writer's transaction (a room's name, a
// deletion).
struct Item {
  StoredMessage message;
  std::function<void()> task;       // instead of the message
  std::function<void()> committed;  // message: once committed; task: once done (or failed)
  bool maintenance = false;         // task: deleted rows; give the space back after the commit
  std::size_t bytes = 0;
};

class SqliteHistoryStore final : public HistoryStore {
 public:
  explicit SqliteHistoryStore(const std::string& path)
      : log_(logging::get("chat")),
        writeFailures_(log_, spdlog::level::err, "writing the chat history failed"),
        writer_(path) {
    createOrCheckSchema(path);
    prepareWriter();
    reader_.emplace(path);
    // Reads only: a bug that wrote through this connection would race the writer thread.
    exec(reader_->get(), "PRAGMA query_only=ON");
    prepareReader();
    thread_ = std::thread([this] { writeLoop(); });
  }

  ~SqliteHistoryStore() override {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    queued_.notify_all();
    thread_.join();  // the writer drains the queue first
  }

  void append(StoredMessage message, std::function<void()> committed) override {
    Item item;
    item.bytes = sizeof(Item) + message.text.capacity() + message.from.capacity() + message.to.capacity() +
                 message.room.capacity();
    item.message = std::move(message);
    item.committed = std::move(committed);
    enqueue(std::move(item));
  }

  void flush() override {
    std::unique_lock lock(mutex_);
    const std::uint64_t target = enqueued_;
    done_.wait(lock, [&] { return finished_ >= target; });
  }

  void setRoomName(const std::string& room, const std::string& name) override {
    Item item;
    item.task = [this, room, name] {
      const std::int64_t id = roomId(room);
      Query(setName_).bind(1, name).bind(2, id).run();
    };
    enqueue(std::move(item));
  }

  std::vector<StoredMessage> latest(const std::string& room, std::size_t count) override {
    return read("reading the latest messages", [&] {
      std::vector<StoredMessage> out;
      Query q(latest_);
      q.bind(1, room).bind(2, limitOf(count));
      while (q.step()) out.push_back(q.message());
      std::reverse(out.begin(), out.end());
      return out;
    });
  }

  std::vector<StoredMessage> since(const std::string& room, std::uint64_t afterSeq, std::size_t limit,
                                   std::uint64_t& missedBeyond) override {
    missedBeyond = 0;
    return read("reading the messages since a seq", [&] {
      ReadTransaction transaction(reader_->get());  // the count and the rows agree
      std::uint64_t total = 0;
      {
        Query q(sinceCount_);
        q.bind(1, room).bind(2, static_cast<std::int64_t>(afterSeq));
        if (q.step()) total = static_cast<std::uint64_t>(q.integer(0));
      }
      std::vector<StoredMessage> out;
      Query q(sinceRows_);
      q.bind(1, room).bind(2, static_cast<std::int64_t>(afterSeq)).bind(3, limitOf(limit));
      while (q.step()) out.push_back(q.message());
      std::reverse(out.begin(), out.end());
      missedBeyond = total - out.size();
      return out;
    });
  }

  std::uint64_t lastSeq(const std::string& room) override {
    return read("reading a room's last seq", [&] {
      Query q(lastSeq_);
      q.bind(1, room);
      return q.step() ? static_cast<std::uint64_t>(q.integer(0)) : std::uint64_t{0};
    });
  }

  std::vector<StoredMessage> around(std::int64_t id, std::size_t before, std::size_t after) override {
    return read("reading a message's context", [&] {
      std::vector<StoredMessage> out;
      ReadTransaction transaction(reader_->get());
      {
        Query q(before_);
        q.bind(1, id).bind(2, limitOf(before));
        while (q.step()) out.push_back(q.message());
        std::reverse(out.begin(), out.end());
      }
      Query q(after_);
      q.bind(1, id).bind(2, limitOf(after) + 1);
      while (q.step()) out.push_back(q.message());
      if (std::none_of(out.begin(), out.end(), [&](const StoredMessage& m) { return m.id == id; })) out.clear();
      return out;
    });
  }

  std::vector<StoredMessage> search(const std::string& words, const std::string& room, std::size_t limit) override {
    // Words of three characters or more go to the trigram index, as quoted strings (so that
    // nothing in them is read as FTS5 syntax); shorter ones, which trigrams cannot find, are
    // matched with LIKE on the rows the others leave (or on every row of the room if every word
    // is short).
    std::string match;
    std::vector<std::string> likes;
    for (const auto& word : splitWords(words)) {
      if (codePoints(word) >= 3) {
        if (!match.empty()) match += ' ';
        match += '"';
        for (char c : word) match += c == '"' ? std::string("\"\"") : std::string(1, c);
        match += '"';
      } else {
        std::string like = "%";
        for (char c : word) {
          if (c == '%' || c == '_' || c == '\\') like += '\\';
          like += c;
        }
        likes.push_back(like + "%");
      }
    }
    if (match.empty() && likes.empty()) return {};
    std::string sql = std::string("SELECT ") + kColumns + "WHERE 1";
    if (!match.empty()) sql += " AND m.id IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?)";
    if (!room.empty()) sql += " AND r.key = ?";
    for (std::size_t i = 0; i < likes.size(); ++i) sql += " AND m.text LIKE ? ESCAPE '\\'";
    sql += " ORDER BY m.id DESC LIMIT ?";
    return read("searching the history", [&] {
      Statement s(reader_->get(), sql);
      Query q(s);
      int i = 0;
      if (!match.empty()) q.bind(++i, match);
      if (!room.empty()) q.bind(++i, room);
      for (const auto& like : likes) q.bind(++i, like);
      q.bind(++i, limitOf(limit));
      std::vector<StoredMessage> out;
      while (q.step()) out.push_back(q.message());
      return out;
    });
  }

  std::vector<StoredRoom> rooms() override {
    return read("listing the rooms", [&] {
      std::vector<StoredRoom> out;
      Query q(rooms_);
      while (q.step()) {
        StoredRoom r;
        r.room = q.text(0);
        r.roomName = q.text(1);
        r.messages = static_cast<std::uint64_t>(q.integer(2));
        r.lastTimeMs = q.integer(3);
        r.lastSeq = static_cast<std::uint64_t>(q.integer(4));
        out.push_back(std::move(r));
      }
      return out;
    });
  }

  void deleteRoom(const std::string& room) override {
    runTask([this, room] {
      Statement remove(writer_.get(), "DELETE FROM messages WHERE room = (SELECT id FROM rooms WHERE key = ?)");
      Query(remove).bind(1, room).run();
      Statement forget(writer_.get(), "UPDATE rooms SET name = '' WHERE key = ?");
      Query(forget).bind(1, room).run();
      // Rewrites the search index without the deleted text (FTS5 otherwise keeps it, marked
      // deleted, until segments merge).
      exec(writer_.get(), "INSERT INTO messages_fts(messages_fts) VALUES ('optimize')");
    });
  }

  void deleteAll() override {
    runTask([this] {
      exec(writer_.get(), "DELETE FROM messages; UPDATE rooms SET name = '';"
                          "INSERT INTO messages_fts(messages_fts) VALUES ('optimize')");
    });
  }

  void applyLimits(const HistoryLimits& limits) override {
    runTask([this, limits] {
      if (limits.keepDays > 0) {
        Statement s(writer_.get(), "DELETE FROM messages WHERE time_ms < ?");
        Query(s).bind(1, nowMs() - std::int64_t{limits.keepDays} * 86'400'000).run();
      }
      if (limits.maxBytes > 0) {
        // From the newest back, the first message that does not fit; it and all before it go.
        Statement s(writer_.get(),
                    "SELECT id, length(CAST(text AS BLOB)) + length(CAST(sender AS BLOB)) + "
                    "length(CAST(recipient AS BLOB)) FROM messages ORDER BY id DESC");
        std::int64_t cut = 0;
        {
          Query q(s);
          std::uint64_t total = 0;
          while (q.step()) {
            total += static_cast<std::uint64_t>(q.integer(1));
            if (total > limits.maxBytes) {
              cut = q.integer(0);
              break;
            }
          }
        }
        if (cut > 0) {
          Statement remove(writer_.get(), "DELETE FROM messages WHERE id <= ?");
          Query(remove).bind(1, cut).run();
        }
      }
    });
  }

 private:
  static std::int64_t limitOf(std::size_t n) {
    return static_cast<std::int64_t>(std::min<std::size_t>(n, INT64_MAX));
  }

  // Opens the writer's connection's database: a new one gets the schema; an existing one must be
  // a ChatPort history no newer than this code.
  void createOrCheckSchema(const std::string& path) {
    sqlite3* db = writer_.get();
    const int version = writer_.integer("PRAGMA user_version");  // SQLITE_NOTADB here if not a database
    if (version > kSchemaVersion)
      throw SqlError(SQLITE_ERROR, path + " was written by a newer ChatPort (history format " +
                                       std::to_string(version) + "; this one reads format " +
                                       std::to_string(kSchemaVersion) + "): use that version, or move the file away");
    if (version == 0 && writer_.integer("SELECT count(*) FROM sqlite_schema") == 0)
      exec(db, "PRAGMA auto_vacuum = INCREMENTAL");  // only before the first table
    // WAL: readers and the writer do not block each other, and a commit is one append to the
    // log. synchronous=NORMAL: a commit is durable once written to the log (the log is synced at
    // checkpoints, not at each commit), so it survives the process being killed at any moment;
    // a power cut or an OS crash may lose the last commits (never the database's consistency).
    {
      Statement s(db, "PRAGMA journal_mode = WAL");
      Query q(s);
      if (!q.step() || q.text(0) != "wal") throw SqlError(SQLITE_ERROR, "cannot use a write-ahead log for " + path);
    }
    exec(db, "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON");
    if (version == kSchemaVersion) return;
    // Another program may be creating it at the same moment: decide under the write lock.
    exec(db, "BEGIN IMMEDIATE");
    try {
      const int now = writer_.integer("PRAGMA user_version");
      if (now == 0) {
        if (writer_.integer("SELECT count(*) FROM sqlite_schema") != 0)
          throw SqlError(SQLITE_ERROR, path + " is another program's database, not a ChatPort history: move it away "
                                              "and ChatPort starts a new history");
        exec(db, kSchema);
        exec(db, ("PRAGMA user_version = " + std::to_string(kSchemaVersion)).c_str());
      }
      // (Migrations from older versions go here, when there are any.)
      exec(db, "COMMIT");
    } catch (...) {
      sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
  }

  void prepareWriter() {
    sqlite3* db = writer_.get();
    insert_ = Statement(db,
                        "INSERT OR IGNORE INTO messages(room, seq, time_ms, kind, sender, recipient, text, outgoing) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    addRoom_ = Statement(db, "INSERT INTO rooms(key) VALUES (?) ON CONFLICT(key) DO NOTHING");
    findRoom_ = Statement(db, "SELECT id FROM rooms WHERE key = ?");
    raiseSeq_ = Statement(db, "UPDATE rooms SET last_seq = ?1 WHERE id = ?2 AND last_seq < ?1");
    setName_ = Statement(db, "UPDATE rooms SET name = ? WHERE id = ?");
  }

  void prepareReader() {
    sqlite3* db = reader_->get();
    const std::string select = std::string("SELECT ") + kColumns;
    latest_ = Statement(db, select + "WHERE r.key = ? ORDER BY m.id DESC LIMIT ?");
    sinceCount_ = Statement(
        db, "SELECT count(*) FROM messages WHERE room = (SELECT id FROM rooms WHERE key = ?) AND seq > 0 AND seq > ?");
    sinceRows_ = Statement(db, select + "WHERE r.key = ? AND m.seq > 0 AND m.seq > ? ORDER BY m.seq DESC LIMIT ?");
    lastSeq_ = Statement(db, "SELECT last_seq FROM rooms WHERE key = ?");
    before_ = Statement(db, select + "WHERE m.room = (SELECT room FROM messages WHERE id = ?1) AND m.id < ?1 "
                                     "ORDER BY m.id DESC LIMIT ?2");
    after_ = Statement(db, select + "WHERE m.room = (SELECT room FROM messages WHERE id = ?1) AND m.id >= ?1 "
                                    "ORDER BY m.id LIMIT ?2");
    rooms_ = Statement(db,
                       "SELECT r.key, r.name, count(*), max(m.time_ms), r.last_seq FROM rooms r "
                       "JOIN messages m ON m.room = r.id GROUP BY r.id ORDER BY max(m.time_ms) DESC, r.id");
  }

  template <typename Fn>
  auto read(const char* what, Fn&& fn) -> decltype(fn()) {
    std::lock_guard lock(readMutex_);
    try {
      return fn();
    } catch (const SqlError& e) {
      log_->error("{}: {}", what, e.what());
      return {};
    }
  }

  void enqueue(Item item) {
    std::unique_lock lock(mutex_);
    // Back-pressure: wait while the queue is full, but never for a queue that is empty (one
    // message larger than the bound still goes).
    roomForMore_.wait(lock, [&] { return queuedBytes_ < kMaxQueuedBytes || queue_.empty(); });
    queuedBytes_ += item.bytes;
    queue_.push_back(std::move(item));
    ++enqueued_;
    queued_.notify_one();
  }

  // Queues a task that deletes rows and waits until it is done.
  void runTask(std::function<void()> task) {
    std::promise<void> done;
    auto future = done.get_future();
    Item item;
    item.task = std::move(task);
    item.maintenance = true;
    item.committed = [&done] { done.set_value(); };
    enqueue(std::move(item));
    future.wait();
  }

  std::int64_t roomId(const std::string& room) {
    if (auto it = roomIds_.find(room); it != roomIds_.end()) return it->second;
    Query(addRoom_).bind(1, room).run();
    Query q(findRoom_);
    q.bind(1, room);
    if (!q.step()) throw SqlError(SQLITE_ERROR, "a room row vanished");
    return roomIds_[room] = q.integer(0);
  }

  void writeLoop() {
    std::vector<Item> batch;
    for (;;) {
      {
        std::unique_lock lock(mutex_);
        queued_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping, and everything is written
        while (!queue_.empty() && batch.size() < kBatchRows) {
          batch.push_back(std::move(queue_.front()));
          queue_.pop_front();
        }
      }
      const bool written = writeBatch(batch);
      const std::size_t count = batch.size();
      std::size_t bytes = 0;
      for (auto& item : batch) {
        bytes += item.bytes;
        if (item.committed && (written || item.task)) item.committed();
      }
      batch.clear();
      {
        std::lock_guard lock(mutex_);
        queuedBytes_ -= bytes;
        finished_ += count;
      }
      roomForMore_.notify_all();
      done_.notify_all();
    }
  }

  // Writes the batch in one transaction; false (logged) if it failed and was rolled back.
  bool writeBatch(std::vector<Item>& batch) {
    sqlite3* db = writer_.get();
    bool maintenance = false;
    try {
      beginWriting();
      try {
        for (auto& item : batch) {
          if (item.task) {
            item.task();
            maintenance = maintenance || item.maintenance;
            continue;
          }
          const StoredMessage& m = item.message;
          const std::int64_t room = roomId(m.room);
          Query(insert_)
              .bind(1, room)
              .bind(2, static_cast<std::int64_t>(m.seq))
              .bind(3, m.timeMs)
              .bind(4, static_cast<std::int64_t>(m.kind))
              .bind(5, m.from)
              .bind(6, m.to)
              .bind(7, m.text)
              .bind(8, std::int64_t{m.outgoing})
              .run();
          if (m.seq > 0) Query(raiseSeq_).bind(1, static_cast<std::int64_t>(m.seq)).bind(2, room).run();
        }
        exec(db, "COMMIT");
      } catch (...) {
        sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
        roomIds_.clear();  // rows added in the transaction are gone
        throw;
      }
    } catch (const SqlError& e) {
      writeFailures_.log(std::to_string(batch.size()) + " messages or changes not kept: " + e.what());
      return false;
    }
    if (maintenance) {
      // Deleted rows' pages back to the file system, and the log emptied: the deleted text
      // (overwritten in the database by secure_delete) is gone from the log too. The batch is
      // committed whatever happens here.
      try {
        exec(db, "PRAGMA incremental_vacuum");
        exec(db, "PRAGMA wal_checkpoint(TRUNCATE)");
      } catch (const SqlError& e) {
        log_->warn("giving deleted history's space back failed: {}", e.what());
      }
    }
    return true;
  }

  // Takes the database's write lock. Another program writing the same history (chatport-cli
  // deleting a room while a host runs, say) holds it for a moment: wait for it rather than drop
  // the batch, for up to a minute (the busy timeout is 5 s a try).
  void beginWriting() {
    for (int attempt = 1;; ++attempt) {
      try {
        exec(writer_.get(), "BEGIN IMMEDIATE");
        return;
      } catch (const SqlError& e) {
        if (e.code != SQLITE_BUSY || attempt == 12) throw;
        log_->warn("the chat history is locked by another program; waiting to write");
      }
    }
  }

  std::shared_ptr<spdlog::logger> log_;
  logging::RateLimitedLog writeFailures_;

  Connection writer_;  // writer thread only (and the constructor)
  Statement insert_, addRoom_, findRoom_, raiseSeq_, setName_;
  std::unordered_map<std::string, std::int64_t> roomIds_;  // writer thread only

  std::mutex readMutex_;
  std::optional<Connection> reader_;  // guarded by readMutex_ (after the constructor)
  Statement latest_, sinceCount_, sinceRows_, lastSeq_, before_, after_, rooms_;  // guarded by readMutex_

  std::mutex mutex_;
  std::condition_variable queued_;       // the writer waits for work
  std::condition_variable roomForMore_;  // append waits for room in the queue
  std::condition_variable done_;         // flush waits for the writer
  std::deque<Item> queue_;               // guarded by mutex_
  std::size_t queuedBytes_ = 0;          // guarded by mutex_: queued and being written
  std::uint64_t enqueued_ = 0;           // guarded by mutex_
  std::uint64_t finished_ = 0;           // guarded by mutex_: written or failed
  bool stopping_ = false;                // guarded by mutex_
  std::thread thread_;
};

}  // namespace

HistoryStore::~HistoryStore() = default;

bool HistoryStore::available() noexcept { return true; }

std::string HistoryStore::unavailableReason() { return {}; }

std::unique_ptr<HistoryStore> HistoryStore::open(const std::string& dataFolder, std::string& error) {
  const std::string folder = dataFolder.empty() ? KeyStore::defaultDataFolder() : dataFolder;
  std::error_code ec;
  fs::create_directories(pathOf(folder), ec);
  if (ec) {
    error = "cannot create the data folder " + folder + ": " + ec.message();
    return nullptr;
  }
  const std::string path = utf8Of(pathOf(folder) / "history.sqlite3");
#ifndef _WIN32
  // Owner-only, like the key beside it (KeyStore does the same to the folder); SQLite gives its
  // log files the database's mode.
  ::chmod(folder.c_str(), 0700);
  if (const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600); fd >= 0) ::close(fd);
#endif
  try {
    return std::make_unique<SqliteHistoryStore>(path);
  } catch (const SqlError& e) {
    if (e.code == SQLITE_NOTADB)
      error = path + " is not a ChatPort history (" + e.what() + "): move it away and ChatPort starts a new history";
    else if (e.code == SQLITE_CANTOPEN || e.code == SQLITE_READONLY || e.code == SQLITE_PERM)
      error = "cannot open the history " + path + " for writing: " + e.what();
    else if (std::string_view(e.what()).find(path) != std::string_view::npos)
      error = e.what();
    else
      error = "cannot open the history " + path + ": " + e.what();
    return nullptr;
  }
}

}  // namespace chatport::chat
