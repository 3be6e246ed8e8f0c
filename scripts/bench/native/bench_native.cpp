// The native contender of `npm run bench`: the same engine compiled natively
// (-O3 -march=native), driven by scripts/bench/contenders/convolab-native.js
// over stdin/stdout, one JSON command per line and one JSON answer per line,
// so its rounds interleave with the other contenders'. Times are measured in
// process (steady_clock), excluding the pipe.
//
// Commands:
//   {"cmd":"data","path":P,"count":N,"size":S}  images (N*S float32) then labels (N int32) in one file
//   {"cmd":"threads","n":T}
//   {"cmd":"model","id":I,"spec":{...},"seed":S,"compile":{...}}
//   {"cmd":"train","id":I,"start":E,"batches":K,"batch":B}     → {"ms","loss"}
//   {"cmd":"evaluate","id":I,"start":E,"n":N}                  → {"accuracy","loss"}
//   {"cmd":"predict","id":I,"start":E,"n":N,"reps":R}          → {"ms":[per rep]}
//   {"cmd":"predict_input","id":I,"n":N,"reps":R}              → same, on a fixed synthetic input
//   {"cmd":"train_input","id":I,"n":N,"reps":R}                → {"ms":[per rep]}: training steps on a fixed
//                                                                 synthetic input, labels alternating 0, 1
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "../../../engine/kernels/kernels.h"
#include "convolab/json.h"
#include "convolab/model.h"

using convolab::Json;

namespace {

std::vector<float> images;
std::vector<std::int32_t> labels;
std::size_t image_size = 0;
std::map<int, std::unique_ptr<convolab::Model>> models;

double now_ms() {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

Json answer(const Json& cmd) {
  const std::string name = cmd["cmd"].as_string();
  Json out = Json::object();
  if (name == "data") {
    const std::size_t count = static_cast<std::size_t>(cmd["count"].as_number());
    image_size = static_cast<std::size_t>(cmd["size"].as_number());
    images.resize(count * image_size);
    labels.resize(count);
    std::ifstream f(cmd["path"].as_string(), std::ios::binary);
    f.read(reinterpret_cast<char*>(images.data()), static_cast<std::streamsize>(images.size() * sizeof(float)));
    f.read(reinterpret_cast<char*>(labels.data()), static_cast<std::streamsize>(labels.size() * sizeof(std::int32_t)));
    if (!f) throw convolab::Error("bench_native: could not read " + cmd["path"].as_string());
  } else if (name == "threads") {
    convolab::kernels::set_num_threads(static_cast<int>(cmd["n"].as_number()));
    out.set("threads", Json::number(convolab::kernels::num_threads()));
  } else if (name == "model") {
    auto m = std::make_unique<convolab::Model>(cmd["spec"], static_cast<std::uint64_t>(cmd["seed"].as_number()));
    if (cmd.has("compile")) m->compile(cmd["compile"]);
    models[static_cast<int>(cmd["id"].as_number())] = std::move(m);
    out.set("kernels", Json::string(convolab::kernels::implementation_name()));
  } else {
    convolab::Model& m = *models.at(static_cast<int>(cmd["id"].as_number()));
    if (name == "train") {
      const int batch = static_cast<int>(cmd["batch"].as_number()),
                batches = static_cast<int>(cmd["batches"].as_number());
      std::size_t start = static_cast<std::size_t>(cmd["start"].as_number());
      double loss = 0;
      const double t0 = now_ms();
      for (int b = 0; b < batches; ++b, start += batch)
        loss = m.train_batch(images.data() + start * image_size, labels.data() + start, batch);
      out.set("ms", Json::number(now_ms() - t0));
      out.set("loss", Json::number(loss));
    } else if (name == "evaluate") {
      const std::size_t start = static_cast<std::size_t>(cmd["start"].as_number());
      convolab::Evaluation e =
          m.evaluate(images.data() + start * image_size, labels.data() + start, static_cast<int>(cmd["n"].as_number()));
      out.set("accuracy", Json::number(e.accuracy));
      out.set("loss", Json::number(e.loss));
    } else if (name == "train_input") {
      const int n = static_cast<int>(cmd["n"].as_number()), reps = static_cast<int>(cmd["reps"].as_number());
      std::vector<float> x(static_cast<std::size_t>(n) * m.input_shape().size());
      for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(i % 17) / 17.0f - 0.5f;
      std::vector<std::int32_t> y(static_cast<std::size_t>(n));
      for (int i = 0; i < n; ++i) y[static_cast<std::size_t>(i)] = i % 2;
      Json times = Json::array();
      for (int r = 0; r < reps; ++r) {
        const double t0 = now_ms();
        m.train_batch(x.data(), y.data(), n);
        times.push(Json::number(now_ms() - t0));
      }
      out.set("ms", times);
    } else if (name == "predict" || name == "predict_input") {
      const int n = static_cast<int>(cmd["n"].as_number()), reps = static_cast<int>(cmd["reps"].as_number());
      std::vector<float> synthetic;
      const float* x;
      if (name == "predict") {
        x = images.data() + static_cast<std::size_t>(cmd["start"].as_number()) * image_size;
      } else {
        synthetic.resize(static_cast<std::size_t>(n) * m.input_shape().size());
        for (std::size_t i = 0; i < synthetic.size(); ++i) synthetic[i] = static_cast<float>(i % 17) / 17.0f - 0.5f;
        x = synthetic.data();
      }
      std::vector<float> probs(static_cast<std::size_t>(n) * m.num_classes());
      Json times = Json::array();
      for (int r = 0; r < reps; ++r) {
        const double t0 = now_ms();
        m.predict(x, n, probs.data());
        times.push(Json::number(now_ms() - t0));
      }
      out.set("ms", times);
    } else {
      throw convolab::Error("bench_native: unknown command " + name);
    }
  }
  return out;
}

}  // namespace

int main() {
  std::ios::sync_with_stdio(false);
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.empty()) continue;
    Json reply = Json::object();
    try {
      reply = answer(Json::parse(line));
      reply.set("ok", Json::boolean(true));
    } catch (const std::exception& e) {
      reply.set("ok", Json::boolean(false));
      reply.set("error", Json::string(e.what()));
    }
    std::cout << reply.dump() << "\n" << std::flush;
  }
  return 0;
}
