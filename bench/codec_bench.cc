// Throughput of the entity codecs and validation, on rows shaped like a register's.

#include <sstream>
#include <string>

#include <benchmark/benchmark.h>

#include "model/csv_reader.h"
#include "model/csv_writer.h"
#include "model/ndjson_reader.h"
#include "model/ndjson_writer.h"
#include "model/validation.h"

namespace entente::model {
namespace {

Entity SampleEntity(int i) {
  Entity e;
  e.id = "W" + std::to_string(1000000 + i);
  e.Set("name", {"EL AMRANI Mohammed", "محمد العمراني"});
  e.Set("firstName", {"Mohammed"});
  e.Set("lastName", {"El Amrani"});
  e.Set("alias", {"Abu Musab al-Baljiki"});
  e.Set("birthDate", {"1987-03-14"});
  e.Set("nationality", {"BE", "MA"});
  e.Set("gender", {"male"});
  e.Set("passportNumber", {"EM 123 456"});
  e.Set("phone", {"+32 470 12 34 56"});
  e.Set("category", {"foreign_terrorist_fighter", "returnee"});
  e.Set("handlingCode", {"H1"});
  e.Set("reviewDate", {"2027-06-01"});
  e.Set("retentionDate", {"2036-06-01"});
  return e;
}

const std::vector<std::string> kColumns = {
    "name",         "firstName",  "lastName",       "alias", "birthDate",
    "nationality",  "gender",     "passportNumber", "phone", "category",
    "handlingCode", "reviewDate", "retentionDate"};

std::string Encode(bool csv, int rows) {
  std::ostringstream out;
  CsvEntityWriter csv_writer(out, kColumns);
  NdjsonEntityWriter ndjson_writer(out);
  EntityWriter& writer = csv ? static_cast<EntityWriter&>(csv_writer) : ndjson_writer;
  for (int i = 0; i < rows; ++i) (void)writer.Write(SampleEntity(i));
  (void)writer.Finish();
  return out.str();
}

template <typename Reader>
void BM_Read(benchmark::State& state, bool csv) {
  const std::string text = Encode(csv, 10000);
  for (auto _ : state) {
    std::istringstream in(text);
    Reader reader(in, "bench");
    Record record;
    Problems problems;
    int64_t n = 0;
    while (reader.Next(&record, &problems) == ReadOutcome::kRecord) ++n;
    benchmark::DoNotOptimize(n);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
  state.SetItemsProcessed(state.iterations() * 10000);
}
void BM_CsvRead(benchmark::State& state) { BM_Read<CsvEntityReader>(state, true); }
void BM_NdjsonRead(benchmark::State& state) { BM_Read<NdjsonEntityReader>(state, false); }
BENCHMARK(BM_CsvRead);
BENCHMARK(BM_NdjsonRead);

void BM_CsvWrite(benchmark::State& state) {
  const Entity e = SampleEntity(1);
  std::ostringstream out;
  CsvEntityWriter writer(out, kColumns);
  for (auto _ : state) {
    (void)writer.Write(e);
    if (out.tellp() > (1 << 24)) out.str("");
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CsvWrite);

void BM_ValidateEntity(benchmark::State& state) {
  const Entity e = SampleEntity(1);
  for (auto _ : state) benchmark::DoNotOptimize(ValidateEntity(e));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ValidateEntity);

}  // namespace
}  // namespace entente::model

BENCHMARK_MAIN();
