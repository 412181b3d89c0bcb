#include "store/store.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "store/audit_chain.h"
#include "store/leadership.h"
#include "store/sql_connection.h"
#include "store/test_postgres_server.h"

namespace entente::store {
namespace {

enum class Backend { kSqlite, kPostgres };

// One PostgreSQL server per test process, started on first use and stopped at exit.
class PostgresEnvironment : public ::testing::Environment {
 public:
  static Result<TestPostgresServer*> Server() {
    if (server_ == nullptr && start_status_.ok()) {
      auto started = TestPostgresServer::Start({});
      if (started.ok()) {
        server_ = std::move(started).value();
      } else {
        start_status_ = started.status();
      }
    }
    if (!start_status_.ok()) return start_status_;
    return server_.get();
  }
  void TearDown() override { server_.reset(); }

 private:
  static inline std::unique_ptr<TestPostgresServer> server_;
  static inline Status start_status_;
};

const auto* const kPostgresEnvironment =
    ::testing::AddGlobalTestEnvironment(new PostgresEnvironment());

constexpr int64_t kStart = 1'790'000'000'000'000;  // 2026-09-21, microseconds

model::Entity Person(const std::string& id, const std::string& name) {
  model::Entity e;
  e.id = id;
  e.Set("name", {name});
  e.Set("ownerAgency", {"BE/intelligence"});
  return e;
}

class StoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kSqlite) {
      char dir[] = "/tmp/entente-store-test-XXXXXX";
      ASSERT_NE(mkdtemp(dir), nullptr);
      dir_ = dir;
      location_ = dir_ + "/entente.db";
    } else {
      auto server = PostgresEnvironment::Server();
      ASSERT_TRUE(server.ok()) << "PostgreSQL tests need a server: " << server.status().ToString();
      auto url = (*server)->CreateDatabase();
      ASSERT_TRUE(url.ok()) << url.status().ToString();
      location_ = *url;
    }
    Reopen();
  }

  void TearDown() override {
    store_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  void Reopen() {
    store_.reset();
    auto store = OpenStore(location_, clock_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store).value();
  }

  // A connection below the Store API, to tamper with the database as an intruder would.
  std::unique_ptr<SqlConnection> Raw() {
    auto connection = GetParam() == Backend::kSqlite ? OpenSqliteConnection(location_)
                                                     : OpenPostgresConnection(location_);
    EXPECT_TRUE(connection.ok()) << connection.status().ToString();
    return connection.ok() ? std::move(connection).value() : nullptr;
  }

  Status Put(const model::Entity& entity, int64_t expected_version = kAnyVersion) {
    return store_->Write(
        [&](WriteTxn& txn) { return txn.subjects().Put(entity, expected_version).status(); });
  }

  FakeClock clock_{kStart};
  std::string dir_;
  std::string location_;
  std::unique_ptr<Store> store_;
};

TEST_P(StoreTest, RoundTripsEntitiesWithDerivedColumns) {
  model::Entity e = Person("W0000001", "EL AMRANI Mohammed");
  e.Set("name", {"EL AMRANI Mohammed", "محمد العمراني", "quote \" and \\ backslash"});
  e.Set("birthDate", {"1987-03"});
  e.Set("handlingCode", {"H1"});
  e.Set("reviewDate", {"2027-06-01"});
  e.Set("retentionDate", {"2036-06-01"});
  e.Set("category", {"returnee", "foreign_terrorist_fighter"});
  model::Entity org;
  org.id = "ORG-1";
  org.schema = model::Schema::kOrganization;
  org.Set("name", {"Cell"});
  org.Set("sourceCountry", {"fr"});
  ASSERT_TRUE(store_
                  ->Write([&](WriteTxn& txn) {
                    ENTENTE_RETURN_IF_ERROR(txn.subjects().Put(e, kNewSubject).status());
                    return txn.subjects().Put(org, kNewSubject).status();
                  })
                  .ok());

  auto got = store_->subjects().Get("W0000001");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->entity, e);
  EXPECT_EQ(got->owner_agency, "BE/intelligence");
  EXPECT_EQ(got->country, "BE");
  EXPECT_EQ(got->handling_code, "H1");
  EXPECT_EQ(got->review_date, "2027-06-01");
  EXPECT_EQ(got->retention_date, "2036-06-01");
  EXPECT_EQ(got->birth_date, "1987-03");
  EXPECT_EQ(got->version, 1);
  EXPECT_EQ(got->created_at, kStart);
  EXPECT_EQ(got->state, SubjectState::kActive);

  auto got_org = store_->subjects().Get("ORG-1");
  ASSERT_TRUE(got_org.ok());
  EXPECT_EQ(got_org->entity, org);
  EXPECT_EQ(got_org->country, "FR");

  clock_.Advance(5'000'000);
  e.Set("alias", {"Abu Musab"});
  ASSERT_TRUE(Put(e).ok());
  got = store_->subjects().Get("W0000001");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->entity, e);
  EXPECT_EQ(got->version, 2);
  EXPECT_EQ(got->created_at, kStart);
  EXPECT_EQ(got->updated_at, kStart + 5'000'000);

  EXPECT_EQ(store_->subjects().Get("W404").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(*store_->subjects().Count(), 2);
}

// One leader of the jobs among the processes serving a store: the second to ask waits until
// the first gives it up (or dies: its session or its file lock goes with it).
TEST_P(StoreTest, OneLeaderAtATime) {
  auto holds = [](Leadership& l) {
    const Result<bool> held = l.Hold();
    EXPECT_TRUE(held.ok()) << held.status().ToString();
    return held.ok() && *held;
  };
  std::unique_ptr<Leadership> first = NewLeadership(location_);
  std::unique_ptr<Leadership> second = NewLeadership(location_);
  ASSERT_TRUE(holds(*first));
  EXPECT_FALSE(holds(*second));
  EXPECT_TRUE(holds(*first));  // still held
  first->Release();
  EXPECT_TRUE(holds(*second));
  EXPECT_FALSE(holds(*first));
  second.reset();  // as when its process ends
  EXPECT_TRUE(holds(*first));
}

TEST_P(StoreTest, ListsSubjectsInIdOrderByPage) {
  for (const char* id : {"W5", "W1", "W3", "W2", "W4"}) ASSERT_TRUE(Put(Person(id, "N")).ok());
  std::vector<std::string> seen;
  std::string after;
  int pages = 0;
  do {
    auto page = store_->subjects().List(after, 2);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    for (const Subject& s : page->subjects) seen.push_back(s.entity.id);
    after = page->next_after;
    ++pages;
  } while (!after.empty() && pages < 10);
  EXPECT_EQ(seen, (std::vector<std::string>{"W1", "W2", "W3", "W4", "W5"}));
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(store_->subjects().List("", 0).status().code(), StatusCode::kInvalidArgument);
}

TEST_P(StoreTest, PutSubjectChecksExpectedVersion) {
  model::Entity e = Person("W1", "A");
  EXPECT_EQ(
      store_->Write([&](WriteTxn& txn) { return txn.subjects().Put(e, kNewSubject).status(); })
          .code(),
      StatusCode::kOk);
  EXPECT_EQ(Put(e, kNewSubject).code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(Put(e, 2).code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(Put(e, 1).ok());
  EXPECT_EQ(store_->subjects().Get("W1")->version, 2);
  EXPECT_EQ(Put(Person("W9", "B"), 3).code(), StatusCode::kNotFound);
  EXPECT_EQ(Put(Person("", "B")).code(), StatusCode::kInvalidArgument);
}

TEST_P(StoreTest, FailedWriteKeepsNothing) {
  ASSERT_TRUE(Put(Person("W1", "existing")).ok());
  const int64_t seq_before = *store_->subjects().LastChangeSeq();
  Status status = store_->Write([&](WriteTxn& txn) {
    ENTENTE_RETURN_IF_ERROR(txn.subjects().Put(Person("W2", "new")).status());
    ENTENTE_RETURN_IF_ERROR(txn.subjects().Put(Person("W3", "new")).status());
    ENTENTE_RETURN_IF_ERROR(txn.users().Put({"u1", "BE/police", "analyst", "hash1", 0, false}));
    ENTENTE_RETURN_IF_ERROR(
        txn.audit().Append({"u1", "BE/police", "import", "W2", "case 7", "", "{}"}));
    ENTENTE_RETURN_IF_ERROR(txn.config().Set("country", "BE"));
    // Fails midway: W1 exists.
    return txn.subjects().Put(Person("W1", "clash"), kNewSubject).status();
  });
  EXPECT_EQ(status.code(), StatusCode::kAlreadyExists) << status.ToString();
  EXPECT_EQ(*store_->subjects().Count(), 1);
  EXPECT_EQ(store_->subjects().Get("W2").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->subjects().Get("W1")->entity.First("name"), "existing");
  EXPECT_EQ(*store_->subjects().LastChangeSeq(), seq_before);
  EXPECT_TRUE(store_->users().List()->empty());
  EXPECT_TRUE(store_->audit().Read({})->empty());
  EXPECT_EQ(store_->config().Get("country").status().code(), StatusCode::kNotFound);

  // An exception thrown by the callback propagates and also keeps nothing.
  EXPECT_THROW((void)store_->Write([&](WriteTxn& txn) -> Status {
    ENTENTE_RETURN_IF_ERROR(txn.subjects().Put(Person("W4", "thrown")).status());
    throw std::runtime_error("caller bug");
  }),
               std::runtime_error);
  EXPECT_EQ(store_->subjects().Get("W4").status().code(), StatusCode::kNotFound);

  // The store is usable afterwards.
  EXPECT_TRUE(Put(Person("W5", "after")).ok());
  EXPECT_EQ(*store_->subjects().Count(), 2);
}

TEST_P(StoreTest, ConcurrentWritersLoseNoUpdate) {
  ASSERT_TRUE(Put(Person("COUNTER", "0")).ok());
  constexpr int kThreads = 4;
  constexpr int kIncrements = 15;
  std::atomic<int> conflicts{0};
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kIncrements; ++i) {
        // Each thread also creates subjects of its own, alongside the contended counter.
        if (!Put(Person("T" + std::to_string(t) + "-" + std::to_string(i), "x")).ok()) ++failures;
        while (true) {
          // Read outside the transaction, write with the version read: optimistic concurrency.
          auto current = store_->subjects().Get("COUNTER");
          if (!current.ok()) {
            ++failures;
            break;
          }
          model::Entity next = current->entity;
          next.Set("name", {std::to_string(std::stoi(std::string(next.First("name"))) + 1)});
          Status status = Put(next, current->version);
          if (status.ok()) break;
          if (status.code() != StatusCode::kFailedPrecondition) {
            ++failures;
            break;
          }
          ++conflicts;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  auto counter = store_->subjects().Get("COUNTER");
  ASSERT_TRUE(counter.ok());
  EXPECT_EQ(counter->entity.First("name"), std::to_string(kThreads * kIncrements));
  EXPECT_EQ(counter->version, 1 + kThreads * kIncrements);
  EXPECT_EQ(*store_->subjects().Count(), 1 + kThreads * kIncrements);
  // Every committed write is in the feed exactly once, numbered 1..N without gaps.
  auto changes = store_->subjects().ChangesSince(0, 10000);
  ASSERT_TRUE(changes.ok());
  ASSERT_EQ(changes->size(), static_cast<size_t>(1 + 2 * kThreads * kIncrements));
  for (size_t i = 0; i < changes->size(); ++i) EXPECT_EQ((*changes)[i].seq, int64_t(i + 1));
  RecordProperty("conflicts", conflicts.load());
}

// Concurrent writes are committed in groups on SQLite (one sync for many): each still succeeds
// or fails alone, an exception reaches only its own caller, and the feed and the audit chain
// hold exactly the writes that succeeded.
TEST_P(StoreTest, ConcurrentWritesSucceedOrFailAlone) {
  constexpr int kThreads = 8;
  constexpr int kWrites = 40;
  std::atomic<int> unexpected{0};
  std::atomic<int> thrown{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWrites; ++i) {
        const std::string id = "G" + std::to_string(t) + "-" + std::to_string(i);
        const int kind = (t * kWrites + i) % 7;  // 0: fails after writing; 1: throws
        try {
          const Status status = store_->Write([&](WriteTxn& txn) -> Status {
            ENTENTE_RETURN_IF_ERROR(txn.subjects().Put(Person(id, "x")).status());
            ENTENTE_RETURN_IF_ERROR(txn.audit().Append(
                {"u1", "BE/police", "write_subject", id, "group test", "", "{}"}));
            if (kind == 0) return FailedPrecondition("refused after writing " + id);
            if (kind == 1) throw std::runtime_error("thrown after writing " + id);
            return Status::Ok();
          });
          if (status.ok() != (kind > 1)) ++unexpected;
        } catch (const std::runtime_error& e) {
          if (kind != 1 || std::string(e.what()) != "thrown after writing " + id) ++unexpected;
          ++thrown;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(unexpected.load(), 0);
  int kept = 0;
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kWrites; ++i) {
      const int kind = (t * kWrites + i) % 7;
      const bool present =
          store_->subjects().Get("G" + std::to_string(t) + "-" + std::to_string(i)).ok();
      EXPECT_EQ(present, kind > 1) << t << "-" << i;
      kept += present ? 1 : 0;
    }
  }
  EXPECT_GT(thrown.load(), 0);
  EXPECT_EQ(*store_->subjects().Count(), kept);
  EXPECT_EQ(store_->subjects().ChangesSince(0, 10000)->size(), static_cast<size_t>(kept));
  AuditQuery all;
  all.limit = 10000;
  auto audit = store_->audit().Read(all);
  ASSERT_TRUE(audit.ok());
  EXPECT_EQ(audit->size(), static_cast<size_t>(kept));
  EXPECT_FALSE(store_->VerifyAuditChain()->first_broken_seq.has_value());
}

TEST_P(StoreTest, StaleVersionIsAConflict) {
  ASSERT_TRUE(Put(Person("W1", "a")).ok());
  auto first_reader = store_->subjects().Get("W1");
  auto second_reader = store_->subjects().Get("W1");
  ASSERT_TRUE(first_reader.ok() && second_reader.ok());
  ASSERT_TRUE(Put(Person("W1", "first"), first_reader->version).ok());
  Status late = Put(Person("W1", "second"), second_reader->version);
  EXPECT_EQ(late.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(late.message().find("version conflict"), std::string::npos) << late.message();
  EXPECT_EQ(store_->subjects().Get("W1")->entity.First("name"), "first");
}

TEST_P(StoreTest, ChangeFeedFollowsWritesInOrder) {
  ASSERT_TRUE(Put(Person("A", "a")).ok());
  clock_.Advance(1);
  ASSERT_TRUE(Put(Person("B", "b")).ok());
  ASSERT_TRUE(Put(Person("A", "a2")).ok());
  ASSERT_TRUE(store_
                  ->Write([](WriteTxn& txn) {
                    return txn.subjects().SetState("B", SubjectState::kRestricted);
                  })
                  .ok());
  ASSERT_TRUE(store_->Write([](WriteTxn& txn) { return txn.subjects().Delete("A"); }).ok());
  (void)store_->Write([](WriteTxn& txn) -> Status {
    ENTENTE_RETURN_IF_ERROR(txn.subjects().Put(Person("C", "rolled back")).status());
    return Internal("abandon");
  });

  auto all = store_->subjects().ChangesSince(0, 100);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  const std::vector<Change> expected = {
      {1, "A", ChangeKind::kPut, 1, kStart},        {2, "B", ChangeKind::kPut, 1, kStart + 1},
      {3, "A", ChangeKind::kPut, 2, kStart + 1},    {4, "B", ChangeKind::kState, 2, kStart + 1},
      {5, "A", ChangeKind::kDelete, 0, kStart + 1},
  };
  EXPECT_EQ(*all, expected);
  auto tail = store_->subjects().ChangesSince(2, 2);
  ASSERT_TRUE(tail.ok());
  EXPECT_EQ(*tail, (std::vector<Change>{expected[2], expected[3]}));
  EXPECT_EQ(*store_->subjects().LastChangeSeq(), 5);
  EXPECT_EQ(store_->subjects().Get("B")->state, SubjectState::kRestricted);
}

TEST_P(StoreTest, LinksAreQueryableBothWays) {
  model::Entity a = Person("A", "a");
  a.Set("link", {"associate:B", "family:C"});
  model::Entity d = Person("D", "d");
  d.Set("ownerAgency", {"FR/police"});
  d.Set("link", {"co_defendant:B"});
  ASSERT_TRUE(Put(a).ok());
  ASSERT_TRUE(Put(d).ok());
  EXPECT_EQ(*store_->subjects().LinksFrom("A"),
            (std::vector<Link>{{"A", "B", "associate", "BE"}, {"A", "C", "family", "BE"}}));
  EXPECT_EQ(*store_->subjects().LinksTo("B"),
            (std::vector<Link>{{"A", "B", "associate", "BE"}, {"D", "B", "co_defendant", "FR"}}));
  a.Set("link", {"associate:B"});
  ASSERT_TRUE(Put(a).ok());
  EXPECT_TRUE(store_->subjects().LinksTo("C")->empty());
  ASSERT_TRUE(store_->Write([](WriteTxn& txn) { return txn.subjects().Delete("D"); }).ok());
  EXPECT_EQ(*store_->subjects().LinksTo("B"), (std::vector<Link>{{"A", "B", "associate", "BE"}}));
}

TEST_P(StoreTest, CustodyEventsByWindow) {
  model::Entity s1 = Person("S1", "a");
  s1.Set("plannedRelease", {"2027-01-15"});
  s1.Set("sentenceEnd", {"2027-06-30"});
  s1.Set("establishment", {"Haren"});
  model::Entity s2 = Person("S2", "b");
  s2.Set("leave", {"2027-02-01/2027-02-03", "2027-03-10/2027-03-10"});
  ASSERT_TRUE(Put(s1).ok());
  ASSERT_TRUE(Put(s2).ok());
  const CustodyEvent release{"S1", "planned_release", "2027-01-15", "2027-01-15", "Haren"};
  const CustodyEvent end{"S1", "sentence_end", "2027-06-30", "2027-06-30", "Haren"};
  const CustodyEvent leave1{"S2", "leave", "2027-02-01", "2027-02-03", ""};
  const CustodyEvent leave2{"S2", "leave", "2027-03-10", "2027-03-10", ""};
  EXPECT_EQ(*store_->subjects().CustodyBetween("2027-01-01", "2027-01-31"),
            (std::vector<CustodyEvent>{release}));
  // A leave that started before the window and is still running is in it.
  EXPECT_EQ(*store_->subjects().CustodyBetween("2027-02-02", "2027-02-02"),
            (std::vector<CustodyEvent>{leave1}));
  EXPECT_EQ(*store_->subjects().CustodyBetween("2027-01-01", "2027-12-31"),
            (std::vector<CustodyEvent>{release, leave1, leave2, end}));
  EXPECT_TRUE(store_->subjects().CustodyBetween("2027-07-01", "2027-12-31")->empty());
  EXPECT_EQ(*store_->subjects().CustodyOf("S1"), (std::vector<CustodyEvent>{release, end}));
  s1.Set("plannedRelease", {"2027-04-01"});
  ASSERT_TRUE(Put(s1).ok());
  EXPECT_TRUE(store_->subjects().CustodyBetween("2027-01-01", "2027-01-31")->empty());
}

TEST_P(StoreTest, ChecklistTasksCrud) {
  ASSERT_TRUE(Put(Person("S1", "a")).ok());
  ChecklistTask task{
      0, "S1", "2027-01-15", "housing found", "BE/administration", TaskStatus::kOpen, "2027-01-01"};
  EXPECT_EQ(store_
                ->Write([&](WriteTxn& txn) {
                  ChecklistTask orphan = task;
                  orphan.subject_id = "NOBODY";
                  return txn.tasks().Add(orphan).status();
                })
                .code(),
            StatusCode::kFailedPrecondition);
  int64_t first = 0;
  int64_t second = 0;
  ASSERT_TRUE(store_
                  ->Write([&](WriteTxn& txn) -> Status {
                    ENTENTE_ASSIGN_OR_RETURN(first, txn.tasks().Add(task));
                    ChecklistTask other = task;
                    other.task = "risk assessment";
                    other.owner_agency = "BE/penitentiary";
                    other.due_date = "2026-12-15";
                    ENTENTE_ASSIGN_OR_RETURN(second, txn.tasks().Add(other));
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_NE(first, second);
  auto got = store_->tasks().Get(first);
  ASSERT_TRUE(got.ok());
  task.id = first;
  task.created_at = task.updated_at = kStart;
  EXPECT_EQ(*got, task);
  EXPECT_EQ(store_->tasks().Of("S1")->size(), 2u);
  EXPECT_EQ(store_->tasks().Overdue("2027-01-02")->size(), 2u);
  EXPECT_EQ(store_->tasks().Overdue("2026-12-20")->front().id, second);

  task.status = TaskStatus::kDone;
  ASSERT_TRUE(store_->Write([&](WriteTxn& txn) { return txn.tasks().Update(task); }).ok());
  EXPECT_EQ(store_->tasks().Get(first)->status, TaskStatus::kDone);
  EXPECT_EQ(store_->tasks().Overdue("2027-01-02")->size(), 1u);
  ASSERT_TRUE(store_->Write([&](WriteTxn& txn) { return txn.tasks().Delete(second); }).ok());
  EXPECT_EQ(store_->tasks().Get(second).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->Write([&](WriteTxn& txn) { return txn.tasks().Delete(second); }).code(),
            StatusCode::kNotFound);
  ASSERT_TRUE(store_->Write([](WriteTxn& txn) { return txn.subjects().Delete("S1"); }).ok());
  EXPECT_TRUE(store_->tasks().Of("S1")->empty());
}

TEST_P(StoreTest, UsersByTokenHash) {
  const User alice{"alice", "BE/intelligence", "analyst", "hash-a", 0, false};
  ASSERT_TRUE(store_->Write([&](WriteTxn& txn) { return txn.users().Put(alice); }).ok());
  User bob{"bob", "FR/police", "auditor", "hash-b", 0, false};
  ASSERT_TRUE(store_->Write([&](WriteTxn& txn) { return txn.users().Put(bob); }).ok());
  auto found = store_->users().FindByTokenHash("hash-b");
  ASSERT_TRUE(found.ok());
  bob.created_at = kStart;
  EXPECT_EQ(*found, bob);
  EXPECT_EQ(store_->users().FindByTokenHash("hash-x").status().code(), StatusCode::kNotFound);
  User clash = alice;
  clash.token_hash = "hash-c";
  EXPECT_EQ(store_->Write([&](WriteTxn& txn) { return txn.users().Put(clash); }).code(),
            StatusCode::kAlreadyExists);
  clash = {"carol", "BE/police", "analyst", "hash-a", 0, false};
  EXPECT_EQ(store_->Write([&](WriteTxn& txn) { return txn.users().Put(clash); }).code(),
            StatusCode::kAlreadyExists);
  ASSERT_TRUE(
      store_->Write([](WriteTxn& txn) { return txn.users().SetDisabled("alice", true); }).ok());
  EXPECT_TRUE(store_->users().Get("alice")->disabled);
  EXPECT_EQ(store_->users().List()->size(), 2u);
}

TEST_P(StoreTest, SessionsAreKeptEndedAndSweptWithTheirUser) {
  auto put = [&](const UserSession& s) {
    return store_->Write([&](WriteTxn& txn) { return txn.users().PutSession(s); });
  };
  UserSession a{"h-a", "alice", "csrf-a", 0, kStart + 1000};
  ASSERT_TRUE(put(a).ok());
  ASSERT_TRUE(put({"h-b", "alice", "csrf-b", 0, kStart + 1000}).ok());
  ASSERT_TRUE(put({"h-c", "bob", "csrf-c", 0, kStart + 1000}).ok());
  ASSERT_TRUE(put({"h-d", "bob", "csrf-d", 0, kStart - 1}).ok());  // expired
  EXPECT_EQ(put(a).code(), StatusCode::kAlreadyExists);
  auto got = store_->users().GetSession("h-a");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  a.created_at = kStart;
  EXPECT_EQ(*got, a);
  ASSERT_TRUE(store_->Write([](WriteTxn& txn) { return txn.users().DeleteSession("h-b"); }).ok());
  EXPECT_EQ(store_->users().GetSession("h-b").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->Write([](WriteTxn& txn) { return txn.users().DeleteSession("h-b"); }).code(),
            StatusCode::kNotFound);
  // Alice's sessions go, and bob's expired one; bob's current one stays.
  int64_t removed = 0;
  ASSERT_TRUE(store_
                  ->Write([&](WriteTxn& txn) -> Status {
                    ENTENTE_ASSIGN_OR_RETURN(removed, txn.users().DeleteSessions("alice", kStart));
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(removed, 2);
  EXPECT_FALSE(store_->users().GetSession("h-a").ok());
  EXPECT_TRUE(store_->users().GetSession("h-c").ok());
  EXPECT_FALSE(store_->users().GetSession("h-d").ok());
}

TEST_P(StoreTest, UsersKeepTierAndDesignations) {
  const User carol{"carol", "BE/youth_protection", "analyst", "hash-c", 0,
                   false,   "consult_and_feed",    "minors"};
  ASSERT_TRUE(store_->Write([&](WriteTxn& txn) { return txn.users().Put(carol); }).ok());
  const User dave{"dave", "BE/police", "analyst", "hash-d", 0, false, "", ""};
  ASSERT_TRUE(store_->Write([&](WriteTxn& txn) { return txn.users().Put(dave); }).ok());
  auto found = store_->users().Get("carol");
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_EQ(found->tier, "consult_and_feed");
  EXPECT_EQ(found->designations, "minors");
  EXPECT_EQ(found->created_at, kStart);
  EXPECT_EQ(store_->users().Get("dave")->tier, "");
  EXPECT_EQ(store_->users().List()->at(0).designations, "minors");
}

TEST_P(StoreTest, UsersKeepNameAndExpiryAndTheirTokenCanBeReplaced) {
  User erin{"erin", "BE/police", "analyst", "hash-e", 0, false, "", ""};
  erin.name = "Erin Peeters";
  erin.expires_at = kStart + 1000;
  ASSERT_TRUE(store_->Write([&](WriteTxn& txn) { return txn.users().Put(erin); }).ok());
  User frank{"frank", "BE/police", "analyst", "hash-f", 0, false, "", ""};
  ASSERT_TRUE(store_->Write([&](WriteTxn& txn) { return txn.users().Put(frank); }).ok());
  EXPECT_EQ(store_->users().Get("erin")->name, "Erin Peeters");
  EXPECT_EQ(store_->users().Get("erin")->expires_at, kStart + 1000);
  ASSERT_TRUE(store_
                  ->Write([&](WriteTxn& txn) {
                    return txn.users().SetToken("erin", "hash-e2", kStart + 5000);
                  })
                  .ok());
  EXPECT_EQ(store_->users().Get("erin")->token_hash, "hash-e2");
  EXPECT_EQ(store_->users().Get("erin")->expires_at, kStart + 5000);
  EXPECT_FALSE(store_->users().FindByTokenHash("hash-e").ok());
  EXPECT_EQ(store_->Write([&](WriteTxn& txn) { return txn.users().SetToken("erin", "hash-f", 0); })
                .code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(
      store_->Write([&](WriteTxn& txn) { return txn.users().SetToken("nobody", "h", 0); }).code(),
      StatusCode::kNotFound);
}

// A commit is synced to disk (FULL) unless the operator chose otherwise.
TEST_P(StoreTest, SqliteCommitsSurviveAPowerFailureByDefault) {
  if (GetParam() != Backend::kSqlite) GTEST_SKIP() << "PostgreSQL's own synchronous_commit applies";
  auto raw = Raw();
  ASSERT_NE(raw, nullptr);
  auto rows = raw->Query("PRAGMA synchronous", {});
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(rows->front().Int("synchronous"), 2);  // FULL
  setenv("ENTENTE_SQLITE_SYNCHRONOUS", "normal", 1);
  auto normal = Raw();
  unsetenv("ENTENTE_SQLITE_SYNCHRONOUS");
  ASSERT_NE(normal, nullptr);
  EXPECT_EQ(normal->Query("PRAGMA synchronous", {})->front().Int("synchronous"), 1);
  setenv("ENTENTE_SQLITE_SYNCHRONOUS", "sometimes", 1);
  EXPECT_EQ(OpenSqliteConnection(location_).status().code(), StatusCode::kInvalidArgument);
  unsetenv("ENTENTE_SQLITE_SYNCHRONOUS");
}

TEST_P(StoreTest, RestrictionRecordsTheDayAndActivationClearsIt) {
  ASSERT_TRUE(Put(Person("R", "r")).ok());
  EXPECT_EQ(store_->subjects().Get("R")->restricted_on, "");
  clock_.Advance(int64_t{3} * 86'400'000'000);  // 2026-09-24
  ASSERT_TRUE(store_
                  ->Write([](WriteTxn& txn) {
                    return txn.subjects().SetState("R", SubjectState::kRestricted);
                  })
                  .ok());
  auto restricted = store_->subjects().Get("R");
  ASSERT_TRUE(restricted.ok());
  EXPECT_EQ(restricted->state, SubjectState::kRestricted);
  EXPECT_EQ(restricted->restricted_on, "2026-09-24");
  ASSERT_TRUE(
      store_
          ->Write([](WriteTxn& txn) { return txn.subjects().SetState("R", SubjectState::kActive); })
          .ok());
  EXPECT_EQ(store_->subjects().Get("R")->restricted_on, "");
  EXPECT_EQ(store_->subjects().List("", 10)->subjects.at(0).restricted_on, "");
}

TEST_P(StoreTest, ReviewRetentionStateAndErasure) {
  model::Entity a = Person("A", "a");
  a.Set("reviewDate", {"2026-10-01"});
  a.Set("retentionDate", {"2027-01-01"});
  a.Set("link", {"associate:B"});
  model::Entity b = Person("B", "b");
  b.Set("reviewDate", {"2027-10-01"});
  ASSERT_TRUE(Put(a).ok());
  ASSERT_TRUE(Put(b).ok());
  EXPECT_EQ(*store_->subjects().DueForReview("2026-12-01", "", 10), std::vector<std::string>{"A"});
  EXPECT_EQ(store_->subjects().DueForReview("2027-12-01", "", 10)->size(), 2u);
  EXPECT_EQ(*store_->subjects().DueForReview("2027-12-01", "A", 10), std::vector<std::string>{"B"});
  EXPECT_EQ(*store_->subjects().PastRetention("2027-01-01", "", 10), std::vector<std::string>{"A"});
  ASSERT_TRUE(store_->Write([](WriteTxn& txn) { return txn.subjects().Erase("A"); }).ok());
  auto erased = store_->subjects().Get("A");
  ASSERT_TRUE(erased.ok());
  EXPECT_EQ(erased->state, SubjectState::kErased);
  EXPECT_TRUE(erased->entity.properties.empty());
  EXPECT_TRUE(store_->subjects().LinksFrom("A")->empty());
  EXPECT_TRUE(store_->subjects().PastRetention("2027-01-01", "", 10)->empty());
  EXPECT_EQ(Put(a).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(
      store_
          ->Write([](WriteTxn& txn) { return txn.subjects().SetState("A", SubjectState::kActive); })
          .code(),
      StatusCode::kFailedPrecondition);
}

TEST_P(StoreTest, NodeConfig) {
  ASSERT_TRUE(store_->Write([](WriteTxn& txn) { return txn.config().Set("country", "BE"); }).ok());
  ASSERT_TRUE(store_->Write([](WriteTxn& txn) { return txn.config().Set("country", "FR"); }).ok());
  EXPECT_EQ(*store_->config().Get("country"), "FR");
}

// Appends five entries: three in one transaction, two in another.
void AppendFiveAuditEntries(Store& store, FakeClock& clock) {
  ASSERT_TRUE(store
                  .Write([](WriteTxn& txn) {
                    ENTENTE_RETURN_IF_ERROR(txn.audit().Append(
                        {"alice", "BE/intelligence", "read", "W1", "case 12", "", "{}"}));
                    ENTENTE_RETURN_IF_ERROR(txn.audit().Append(
                        {"alice", "BE/intelligence", "read", "W2", "case 12", "", "{}"}));
                    return txn.audit().Append(
                        {"bob", "FR/police", "screen", "", "alert 3", "FR/judicial", "{\"n\":1}"});
                  })
                  .ok());
  clock.Advance(60'000'000);
  ASSERT_TRUE(store
                  .Write([](WriteTxn& txn) {
                    ENTENTE_RETURN_IF_ERROR(txn.audit().Append(
                        {"bob", "FR/police", "read", "W1", "alert 3", "", "{}"}));
                    return txn.audit().Append(
                        {"alice", "BE/intelligence", "export", "", "oversight", "", "{}"});
                  })
                  .ok());
}

TEST_P(StoreTest, AuditLogReadsByFilterAndVerifies) {
  AppendFiveAuditEntries(*store_, clock_);
  auto all = store_->audit().Read({});
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->size(), 5u);
  EXPECT_EQ((*all)[0].prev_hash, kAuditGenesisHash);
  for (size_t i = 0; i < all->size(); ++i) {
    EXPECT_EQ((*all)[i].seq, int64_t(i + 1));
    if (i > 0) {
      EXPECT_EQ((*all)[i].prev_hash, (*all)[i - 1].hash);
    }
  }
  EXPECT_EQ((*all)[2].record.on_behalf_of, "FR/judicial");
  EXPECT_EQ((*all)[2].record.details_json, "{\"n\":1}");

  AuditQuery by_actor;
  by_actor.actor = "bob";
  EXPECT_EQ(store_->audit().Read(by_actor)->size(), 2u);
  AuditQuery by_subject;
  by_subject.subject_id = "W1";
  EXPECT_EQ(store_->audit().Read(by_subject)->size(), 2u);
  AuditQuery window;
  window.from_micros = kStart + 1;
  EXPECT_EQ(store_->audit().Read(window)->size(), 2u);
  window.from_micros = 0;
  window.to_micros = kStart + 1;
  EXPECT_EQ(store_->audit().Read(window)->size(), 3u);
  AuditQuery page;
  page.after_seq = 3;
  page.limit = 1;
  auto one = store_->audit().Read(page);
  ASSERT_EQ(one->size(), 1u);
  EXPECT_EQ(one->front().seq, 4);
  // Counted with the same filters, whatever the limit: entries 4 and 5.
  EXPECT_EQ(*store_->audit().Count(page), 2);
  EXPECT_EQ(*store_->audit().Count(by_actor), 2);
  EXPECT_EQ(*store_->audit().Count({}), 5);

  auto verified = store_->VerifyAuditChain();
  ASSERT_TRUE(verified.ok()) << verified.status().ToString();
  EXPECT_EQ(verified->entries, 5);
  EXPECT_FALSE(verified->first_broken_seq.has_value()) << verified->reason;
}

// A screening that disclosed W1 and W2, a refusal, and an entry about W1 itself.
void AppendDisclosures(Store& store) {
  ASSERT_TRUE(store
                  .Write([](WriteTxn& txn) {
                    ENTENTE_RETURN_IF_ERROR(txn.audit().Append(
                        {"carol", "FR/police", "screen", "", "case 9", "",
                         R"({"hits":[{"subject":"W1","score":0.9},{"subject":"W2"},)"
                         R"({"subject":"W1"}],"outcome":"allowed"})"}));
                    ENTENTE_RETURN_IF_ERROR(
                        txn.audit().Append({"dave", "FR/police", "read_subject", "W1", "case 9", "",
                                            R"({"outcome":"refused: need_to_know"})"}));
                    return txn.audit().Append({"carol", "FR/police", "read_subject", "W1", "case 9",
                                               "", R"({"outcome":"allowed"})"});
                  })
                  .ok());
}

TEST_P(StoreTest, AuditFindsEveryDisclosureOfASubjectAndFiltersByActionAndOutcome) {
  AppendFiveAuditEntries(*store_, clock_);
  AppendDisclosures(*store_);
  AuditQuery w1;
  w1.subject_id = "W1";
  auto entries = store_->audit().Read(w1);
  ASSERT_TRUE(entries.ok()) << entries.status().ToString();
  std::vector<int64_t> seqs;
  for (const auto& e : *entries) seqs.push_back(e.seq);
  EXPECT_EQ(seqs, (std::vector<int64_t>{1, 4, 6, 7, 8}));  // the screening (6) named it twice
  EXPECT_EQ(*store_->audit().Count(w1), 5);
  AuditQuery w2;
  w2.subject_id = "W2";
  EXPECT_EQ(store_->audit().Read(w2)->size(), 2u);  // entry 2 and the screening
  AuditQuery screenings;
  screenings.action = "screen";
  EXPECT_EQ(*store_->audit().Count(screenings), 2);
  AuditQuery refused;
  refused.outcome = "refused";
  ASSERT_EQ(store_->audit().Read(refused)->size(), 1u);
  EXPECT_EQ(store_->audit().Read(refused)->front().record.actor, "dave");
  AuditQuery allowed_w1 = w1;
  allowed_w1.outcome = "allowed";
  allowed_w1.action = "read_subject";
  EXPECT_EQ(*store_->audit().Count(allowed_w1), 1);
  AuditQuery wildcard;
  wildcard.outcome = "all_wed";  // '_' is not a wildcard
  EXPECT_EQ(*store_->audit().Count(wildcard), 0);
  // The index is append-only, as the log is.
  auto raw = Raw();
  ASSERT_NE(raw, nullptr);
  EXPECT_FALSE(raw->Execute("DELETE FROM audit_subjects").ok());
  EXPECT_EQ(*store_->audit().Count(w2), 2);
}

TEST_P(StoreTest, MigrationIndexesTheDisclosuresAlreadyLogged) {
  AppendDisclosures(*store_);
  store_.reset();
  {
    // Back to schema 6, as a node upgraded from it is, with its log kept.
    auto raw = Raw();
    ASSERT_NE(raw, nullptr);
    ASSERT_TRUE(
        raw->Execute("ALTER TABLE index_publications DROP COLUMN owner_answers; "
                     "DROP TABLE checklist_comments; ALTER TABLE checklist_tasks DROP COLUMN "
                     "assignee; DROP TABLE user_sessions; "
                     "ALTER TABLE partners DROP COLUMN key_rotation; "
                     "DROP TABLE audit_subjects; DROP TABLE erasure_requests; "
                     "DROP TABLE received_records; DROP INDEX audit_action; "
                     "DELETE FROM schema_version WHERE version >= 7")
            .ok());
  }
  Reopen();
  AuditQuery w2;
  w2.subject_id = "W2";
  auto entries = store_->audit().Read(w2);
  ASSERT_TRUE(entries.ok()) << entries.status().ToString();
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_EQ(entries->front().record.action, "screen");
  EXPECT_FALSE(store_->VerifyAuditChain()->first_broken_seq.has_value());
}

TEST_P(StoreTest, ErasureRequestsWaitForASecondSupervisor) {
  ASSERT_TRUE(Put(Person("W1", "to erase")).ok());
  EXPECT_EQ(store_->subjects().PendingErasure("W1").status().code(), StatusCode::kNotFound);
  ErasureRequest request{"W1", "alice", "BE/intelligence", "court order 12", 0};
  EXPECT_EQ(store_
                ->Write([&](WriteTxn& txn) {
                  ErasureRequest missing = request;
                  missing.subject_id = "W9";
                  return txn.subjects().RequestErasure(missing);
                })
                .code(),
            StatusCode::kNotFound);
  ASSERT_TRUE(
      store_->Write([&](WriteTxn& txn) { return txn.subjects().RequestErasure(request); }).ok());
  auto pending = store_->subjects().PendingErasure("W1");
  ASSERT_TRUE(pending.ok()) << pending.status().ToString();
  request.requested_at = kStart;
  EXPECT_EQ(*pending, request);
  EXPECT_EQ(store_->subjects().PendingErasures()->size(), 1u);
  // A second request replaces the first.
  clock_.Advance(1'000'000);
  ErasureRequest again{"W1", "bob", "BE/intelligence", "court order 13", 0};
  ASSERT_TRUE(
      store_->Write([&](WriteTxn& txn) { return txn.subjects().RequestErasure(again); }).ok());
  EXPECT_EQ(store_->subjects().PendingErasure("W1")->requested_by, "bob");
  // Withdrawn once; the second time there is nothing to withdraw.
  ASSERT_TRUE(
      store_->Write([&](WriteTxn& txn) { return txn.subjects().WithdrawErasure("W1"); }).ok());
  EXPECT_EQ(
      store_->Write([&](WriteTxn& txn) { return txn.subjects().WithdrawErasure("W1"); }).code(),
      StatusCode::kNotFound);
  // Erasing the subject clears its request.
  ASSERT_TRUE(
      store_->Write([&](WriteTxn& txn) { return txn.subjects().RequestErasure(again); }).ok());
  ASSERT_TRUE(store_->Write([&](WriteTxn& txn) { return txn.subjects().Erase("W1"); }).ok());
  EXPECT_TRUE(store_->subjects().PendingErasures()->empty());
}

TEST_P(StoreTest, AuditLogRefusesUpdateAndDeleteInTheDatabase) {
  AppendFiveAuditEntries(*store_, clock_);
  auto raw = Raw();
  ASSERT_NE(raw, nullptr);
  EXPECT_FALSE(raw->Execute("UPDATE audit_log SET actor = 'mallory' WHERE seq = 2").ok());
  EXPECT_FALSE(raw->Execute("DELETE FROM audit_log WHERE seq = 2").ok());
  EXPECT_EQ(store_->audit().Read({})->at(1).record.actor, "alice");
}

// Turns off the append-only triggers, as a database administrator could.
Status DisableAuditTriggers(SqlConnection& raw, Backend backend) {
  if (backend == Backend::kSqlite) {
    return raw.Execute("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;");
  }
  return raw.Execute("ALTER TABLE audit_log DISABLE TRIGGER USER");
}

TEST_P(StoreTest, AuditVerifyFindsAlteredEntry) {
  AppendFiveAuditEntries(*store_, clock_);
  auto raw = Raw();
  ASSERT_NE(raw, nullptr);
  ASSERT_TRUE(DisableAuditTriggers(*raw, GetParam()).ok());
  ASSERT_TRUE(raw->Execute("UPDATE audit_log SET justification = 'none' WHERE seq = 3").ok());
  auto verified = store_->VerifyAuditChain();
  ASSERT_TRUE(verified.ok());
  ASSERT_TRUE(verified->first_broken_seq.has_value());
  EXPECT_EQ(*verified->first_broken_seq, 3);
  EXPECT_NE(verified->reason.find("altered"), std::string::npos) << verified->reason;
}

TEST_P(StoreTest, AuditVerifyFindsDeletedEntry) {
  AppendFiveAuditEntries(*store_, clock_);
  auto raw = Raw();
  ASSERT_NE(raw, nullptr);
  ASSERT_TRUE(DisableAuditTriggers(*raw, GetParam()).ok());
  ASSERT_TRUE(raw->Execute("DELETE FROM audit_log WHERE seq = 2").ok());
  auto verified = store_->VerifyAuditChain();
  ASSERT_TRUE(verified.ok());
  ASSERT_TRUE(verified->first_broken_seq.has_value());
  EXPECT_EQ(*verified->first_broken_seq, 2);
  EXPECT_NE(verified->reason.find("missing"), std::string::npos) << verified->reason;
}

TEST_P(StoreTest, AuditVerifyFindsRechainedEntry) {
  // An intruder who rewrites an entry and recomputes its hash still breaks the next link.
  AppendFiveAuditEntries(*store_, clock_);
  AuditEntry forged = store_->audit().Read({})->at(1);
  forged.record.justification = "forged";
  forged.hash = ComputeAuditHash(forged);
  auto raw = Raw();
  ASSERT_NE(raw, nullptr);
  ASSERT_TRUE(DisableAuditTriggers(*raw, GetParam()).ok());
  ASSERT_TRUE(raw->Query("UPDATE audit_log SET justification = $1, hash = $2 WHERE seq = 2",
                         {forged.record.justification, forged.hash})
                  .ok());
  auto verified = store_->VerifyAuditChain();
  ASSERT_TRUE(verified.ok());
  ASSERT_TRUE(verified->first_broken_seq.has_value());
  EXPECT_EQ(*verified->first_broken_seq, 3);
}

TEST_P(StoreTest, MigrationsAreIdempotent) {
  EXPECT_EQ(*store_->SchemaVersion(), LatestSchemaVersion());
  ASSERT_TRUE(Put(Person("W1", "kept")).ok());
  Reopen();
  Reopen();
  EXPECT_EQ(*store_->SchemaVersion(), LatestSchemaVersion());
  EXPECT_EQ(store_->subjects().Get("W1")->entity.First("name"), "kept");
  auto raw = Raw();
  ASSERT_NE(raw, nullptr);
  auto rows = raw->Query("SELECT COUNT(*) AS n FROM schema_version", {});
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(rows->front().Int("n"), LatestSchemaVersion());
}

TEST_P(StoreTest, RefusesDatabaseNewerThanProgram) {
  store_.reset();
  auto raw = Raw();
  ASSERT_NE(raw, nullptr);
  ASSERT_TRUE(raw->Query("INSERT INTO schema_version (version, applied_at) VALUES ($1, 0)",
                         {LatestSchemaVersion() + 1})
                  .ok());
  auto reopened = OpenStore(location_, clock_);
  ASSERT_FALSE(reopened.ok());
  EXPECT_EQ(reopened.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(reopened.status().message().find("newer than this program"), std::string::npos)
      << reopened.status().message();
}

TEST(AuditHashTest, EveryFieldIsCovered) {
  AuditEntry base;
  base.seq = 7;
  base.at = 42;
  base.record = {"alice", "BE/police", "read", "W1", "case", "FR/judicial", "{}"};
  base.prev_hash = std::string(kAuditGenesisHash);
  const std::string hash = ComputeAuditHash(base);
  // Entries without "hits" in their details disclose nothing beyond their subject.
  EXPECT_TRUE(DisclosedSubjects(base.record.details_json).empty());
  EXPECT_EQ(DisclosedSubjects(R"({"hits":[{"subject":"A"},{"subject":"B"},{"subject":"A"},)"
                              R"({"subject":3},"C",{}]})"),
            (std::vector<std::string>{"A", "B"}));
  EXPECT_TRUE(DisclosedSubjects(R"({"hits":"A"})").empty());
  EXPECT_TRUE(DisclosedSubjects(R"(not json "hits")").empty());
  EXPECT_EQ(hash.size(), 64u);
  std::vector<AuditEntry> variants(10, base);
  variants[0].seq = 8;
  variants[1].at = 43;
  variants[2].record.actor = "alicf";
  variants[3].record.actor_agency = "BE/judicial";
  variants[4].record.action = "reads";
  variants[5].record.subject_id = "W2";
  variants[6].record.justification = "cas";
  variants[7].record.on_behalf_of = "";
  variants[8].record.details_json = "{ }";
  variants[9].prev_hash[0] = '1';
  for (const AuditEntry& v : variants) EXPECT_NE(ComputeAuditHash(v), hash);
  // Moving bytes between fields changes the hash (fields are length-prefixed).
  AuditEntry shifted = base;
  shifted.record.actor = "alic";
  shifted.record.actor_agency = "eBE/police";
  EXPECT_NE(ComputeAuditHash(shifted), hash);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         [](const ::testing::TestParamInfo<Backend>& backend) {
                           return backend.param == Backend::kSqlite ? "Sqlite" : "Postgres";
                         });

}  // namespace
}  // namespace entente::store
