// Embind registration only: converts arrays at the boundary and turns every
// C++ exception into a JS Error with its message intact and, for the
// engine's convolab::Error, its fields as properties (kind, code,
// layerIndex, option, index, value; bindings/errors.js picks the class). Conveniences,
// defaults and error classes live in the JS wrapper (convolab.js, model.js).
//
// Ownership: a Model handle owns its engine model and every buffer here;
// JS frees it with delete() (the wrapper's dispose() and its
// FinalizationRegistry). Every array that leaves is a JS-owned copy.
#include <emscripten/bind.h>
#include <emscripten/heap.h>
#include <emscripten/val.h>
#include <malloc.h>

#include <cxxabi.h>
#include <typeinfo>

#include <algorithm>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "../engine/kernels/kernels.h"
#include "convolab/memory.h"
#include "convolab/model.h"

using emscripten::val;

namespace {

[[noreturn]] void throw_js(const std::string& message, const convolab::Error* fields = nullptr) {
  val error = val::global("Error").new_(message);
  if (fields) {
    error.set("kind", std::string(convolab::error_kind_name(fields->kind())));
    error.set("code", fields->code());
    if (fields->layer_index() >= 0) error.set("layerIndex", fields->layer_index());
    if (!fields->option().empty()) error.set("option", fields->option());
    if (fields->index() >= 0) error.set("index", static_cast<double>(fields->index()));
    if (fields->has_number()) error.set("value", fields->number());
    if (fields->has_text()) error.set("value", fields->text());
    if (fields->bytes_needed() > 0) error.set("bytesNeeded", fields->bytes_needed());
    if (fields->bytes_limit() > 0) error.set("bytesLimit", fields->bytes_limit());
  }
  error.throw_();
}

// An allocation the estimates did not foresee (the heap shared with other
// models, fragmentation) fails as a memory error too, never as an abort: the
// build grows memory on demand, so malloc returns null and new throws.
[[noreturn]] void throw_heap_full() {
  const convolab::Error e =
      convolab::Error("the engine ran out of memory: the WebAssembly heap is at its maximum of " +
                          convolab::bytes_text(emscripten_get_heap_max()) +
                          " (other models may hold part of it; dispose the ones you no longer use)",
                      convolab::ErrorKind::Memory)
          .with_code("heap-full")
          .with_bytes(0.0, static_cast<double>(emscripten_get_heap_max()));  // what was asked for is not known
  throw_js(e.what(), &e);
}

// Emscripten 3.1.6 with -pthread -fwasm-exceptions (the threaded build)
// never matches a catch by type: every exception lands in catch (...). The
// thrown object and its type are still known, so the message of the
// engine's convolab::Error and of the standard exceptions (all derived from
// std::exception at offset 0, single inheritance) is recovered from them.
// convolab::Error's fields are recovered the same way (it is the only
// exception class the engine throws, so its type name is known).
[[noreturn]] void throw_current_exception() {
  const std::type_info* type = abi::__cxa_current_exception_type();
  if (!type) throw_js("internal error in the Convolab engine");
  const std::string name = type->name();
  if (name.rfind("N8convolab", 0) != 0 && name.rfind("St", 0) != 0)
    throw_js("internal error in the Convolab engine (" + name + ")");
  if (name == typeid(std::bad_alloc).name()) throw_heap_full();
  void* object = abi::__cxa_current_primary_exception();
  std::string message = static_cast<const std::exception*>(object)->what();
  if (name == typeid(convolab::Error).name()) {
    const convolab::Error fields = *static_cast<const convolab::Error*>(object);
    abi::__cxa_decrement_exception_refcount(object);
    throw_js(message, &fields);
  }
  abi::__cxa_decrement_exception_refcount(object);
  throw_js(message);
}

template <typename F>
auto guarded(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const convolab::Error& e) {
    throw_js(e.what(), &e);
  } catch (const std::bad_alloc&) {
    throw_heap_full();
  } catch (const std::exception& e) {
    throw_js(e.what());
  } catch (...) {
    throw_current_exception();
  }
}

// Copies a JS typed array (or array) of exactly `count` numbers into dst.
template <typename T>
void copy_in(const val& src, std::vector<T>& dst, std::size_t count, const char* what, convolab::ErrorKind kind) {
  if (src.isUndefined() || src.isNull())
    throw convolab::Error(std::string(what) + " is missing", kind).with_option(what);
  const std::size_t length = src["length"].as<std::size_t>();
  if (length != count)
    throw convolab::Error(
        std::string(what) + " has " + std::to_string(length) + " values; expected " + std::to_string(count), kind)
        .with_option(what)
        .with_value(static_cast<double>(length));
  dst.resize(count);
  val(emscripten::typed_memory_view(count, dst.data())).call<void>("set", src);
}

// Returns a JS-owned copy, so it survives wasm memory growth.
val copy_out(const float* data, std::size_t count) {
  return val(emscripten::typed_memory_view(count, data)).call<val>("slice");
}

// Per example, as tfjs: [h, w, c] for an image, [k] for a flat output.
val shape_array(const convolab::Shape& s) {
  val out = val::array();
  for (int d : s.dims()) out.call<void>("push", d);
  return out;
}

class ModelHandle {
 public:
  ModelHandle(const std::string& spec, double seed)
      : model_(std::make_unique<convolab::Model>(spec, static_cast<std::uint64_t>(seed))) {}
  explicit ModelHandle(convolab::Model&& model) : model_(std::make_unique<convolab::Model>(std::move(model))) {}

  void compile(const std::string& config) {
    guarded([&] {
      convolab::Json parsed;
      try {
        parsed = convolab::Json::parse(config);
      } catch (convolab::Error& e) {
        throw e.as(convolab::ErrorKind::Config);
      }
      model_->compile(parsed);
    });
  }
  void setLearningRate(float lr) {
    guarded([&] { model_->set_learning_rate(lr); });
  }
  float trainBatch(const val& x, const val& labels, int n) {
    return guarded([&] {
      check_room(n, x, labels, "train", "batch-too-large");
      load(x, labels, n);
      return model_->train_batch(x_.data(), y_.data(), n);
    });
  }
  // One step with float targets (N, K): one-hot or soft rows, 0/1 for binary.
  float trainTargets(const val& x, const val& targets, int n) {
    return guarded([&] {
      check_room(n, x, targets, "train", "batch-too-large");
      load_targets(x, targets, n);
      return model_->train_batch(x_.data(), t_.data(), n);
    });
  }
  // Examples of the last training step the model got right (for outputs with
  // positions, the fraction of positions right, summed over examples), as
  // evaluate counts.
  double lastBatchCorrect() const { return model_->last_train_correct(); }
  val predict(const val& x, int n) {
    return guarded([&] {
      if (n < 1)  // before sizing the copy
        throw convolab::Error("predict: no examples", convolab::ErrorKind::Input).with_value(n);
      // the copy of x and of the outputs, beside the model at its smallest chunk
      model_->check_memory_for(1, (length_of(x) + static_cast<std::size_t>(n) * model_->output_size()) * sizeof(float),
                               "predict", "input-too-large");
      copy_in(x, x_, static_cast<std::size_t>(n) * model_->input_shape().size(), "x", convolab::ErrorKind::Input);
      probs_.resize(static_cast<std::size_t>(n) * model_->output_size());
      model_->predict(x_.data(), n, probs_.data());
      return copy_out(probs_.data(), probs_.size());
    });
  }
  val evaluate(const val& x, const val& labels, int n) {
    return guarded([&] {
      check_room(1, x, labels, "evaluate", "input-too-large");
      load(x, labels, n);
      return evaluation(model_->evaluate(x_.data(), y_.data(), n));
    });
  }
  val evaluateTargets(const val& x, const val& targets, int n) {
    return guarded([&] {
      check_room(1, x, targets, "evaluate", "input-too-large");
      load_targets(x, targets, n);
      return evaluation(model_->evaluate(x_.data(), t_.data(), n));
    });
  }
  std::string summary() const { return model_->summary(); }
  std::string summaryJSON() const { return model_->summary_json().dump(); }
  std::string specJSON() const { return model_->spec().dump(); }
  std::string compileJSON() const { return model_->compile_config().dump(); }
  double seed() const { return static_cast<double>(model_->seed()); }
  val inputShape() const { return shape_array(model_->input_shape()); }  // as the spec gave it
  int numClasses() const { return model_->num_classes(); }
  val outputShape() const { return shape_array(model_->output_shape()); }
  int numLayers() const { return static_cast<int>(model_->num_layers()); }
  // Output of layer i for the last forward batch, as a copy: (N, OH, OW, OC).
  val activation(int i) const {
    return guarded([&] {
      const convolab::Layer& l = model_->layer(index(i));
      return copy_out(model_->activation(static_cast<std::size_t>(i)),
                      static_cast<std::size_t>(model_->last_batch()) * l.output_shape().size());
    });
  }
  int lastBatchSize() const { return model_->last_batch(); }
  // dL/d(output of layer i) for the last training batch, as a copy: (N, OH, OW, OC).
  val activationGradient(int i) const {
    return guarded([&] {
      const convolab::Layer& l = model_->layer(index(i));
      if (model_->last_train_batch() < 1) return val::null();
      return copy_out(model_->gradient(static_cast<std::size_t>(i)),
                      static_cast<std::size_t>(model_->last_train_batch()) * l.output_shape().size());
    });
  }
  int lastTrainBatchSize() const { return model_->last_train_batch(); }
  val timings() const {
    val out = val::array();
    for (const auto& t : model_->timings()) {
      val row = val::object();
      row.set("forwardMs", t.forward_ms);
      row.set("backwardMs", t.backward_ms);
      out.call<void>("push", row);
    }
    return out;
  }
  // Layer i: {type, inputShape, outputShape, params: [{name, shape}]}.
  val layerInfo(int i) const {
    return guarded([&] {
      const convolab::Layer& l = model_->layer(index(i));
      val out = val::object();
      out.set("type", l.type());
      out.set("inputShape", shape_array(l.input_shape()));
      out.set("outputShape", shape_array(l.output_shape()));
      val params = val::array();
      for (const auto& b : l.params()) {
        val p = val::object();
        p.set("name", b.name);
        val shape = val::array();
        for (int d : b.shape) shape.call<void>("push", d);
        p.set("shape", shape);
        p.set("trainable", b.trainable);
        params.call<void>("push", p);
      }
      out.set("params", params);
      return out;
    });
  }
  // Block j of layer i (value, or last-batch gradient: null for state blocks), as a copy.
  val getParam(int i, int j) const {
    return guarded([&] {
      const auto& b = model_->block(index(i), index(j));
      return copy_out(b.value, b.size);
    });
  }
  val getGrad(int i, int j) const {
    return guarded([&] {
      const auto& b = model_->block(index(i), index(j));
      return b.grad ? copy_out(b.grad, b.size) : val::null();
    });
  }
  void setParam(int i, int j, const val& values) {
    guarded([&] {
      const auto& b = model_->block(index(i), index(j));
      std::vector<float> tmp;
      copy_in(values, tmp, b.size, b.name.c_str(), convolab::ErrorKind::Weights);
      model_->set_weights(index(i), index(j), tmp.data(), tmp.size());
    });
  }
  // The .clmodel bytes (spec, compile config, weights, state, optimizer state).
  val save(bool withOptimizer) const {
    return guarded([&] {
      const std::vector<std::uint8_t> bytes = model_->save(withOptimizer);
      return val(emscripten::typed_memory_view(bytes.size(), bytes.data())).call<val>("slice");
    });
  }
  // All parameters as one flat copy, in layer order (kernel then bias).
  val getParams() { return copy_out(model_->param_values(), model_->param_count()); }
  void setParams(const val& values) {
    guarded([&] {
      std::vector<float> tmp;
      copy_in(values, tmp, model_->param_count(), "params", convolab::ErrorKind::Weights);
      std::copy(tmp.begin(), tmp.end(), model_->param_values());
    });
  }
  // fit's divergence checkpoints: weights, state and optimizer state kept in
  // wasm memory (two slots: the last good one and the one being proved).
  void takeSnapshot(int slot) {
    guarded([&] { model_->take_snapshot(snapshot(slot)); });
  }
  void restoreSnapshot(int slot) {
    guarded([&] { model_->restore_snapshot(snapshot(slot)); });
  }
  // fit's check before its first batch: a training batch of n (and the
  // copies of its examples and labels) must fit.
  void checkBatchMemory(int n) const {
    guarded([&] {
      if (n < 1) return;
      const std::size_t per_example = model_->input_shape().size() + model_->output_size();
      model_->check_memory_for(n, static_cast<std::size_t>(n) * per_example * sizeof(float), "fit", "batch-too-large");
    });
  }

 private:
  convolab::Model::Snapshot& snapshot(int slot) {
    if (slot < 0 || slot > 1) throw convolab::Error("snapshot slot must be 0 or 1", convolab::ErrorKind::Weights);
    return snapshots_[slot];
  }
  static std::size_t length_of(const val& a) {
    return a.isUndefined() || a.isNull() || !a["length"].isNumber() ? 0 : a["length"].as<std::size_t>();
  }
  // Refuses, before anything is copied in, a call whose data (as long as it
  // is) and the engine's buffers for `batch` do not fit.
  void check_room(int batch, const val& x, const val& y, const char* what, const char* code) const {
    if (batch < 1) return;  // load() names that problem
    model_->check_memory_for(batch, (length_of(x) + length_of(y)) * sizeof(float), what, code);
  }
  void load(const val& x, const val& labels, int n) {
    if (n < 1) throw convolab::Error("the batch is empty", convolab::ErrorKind::Input).with_value(n);
    copy_in(x, x_, static_cast<std::size_t>(n) * model_->input_shape().size(), "x", convolab::ErrorKind::Input);
    copy_in(labels, y_, static_cast<std::size_t>(n) * model_->positions(), "labels", convolab::ErrorKind::Input);
  }
  void load_targets(const val& x, const val& targets, int n) {
    if (n < 1) throw convolab::Error("the batch is empty", convolab::ErrorKind::Input).with_value(n);
    copy_in(x, x_, static_cast<std::size_t>(n) * model_->input_shape().size(), "x", convolab::ErrorKind::Input);
    copy_in(targets, t_, static_cast<std::size_t>(n) * model_->output_size(), "targets", convolab::ErrorKind::Input);
  }
  static std::size_t index(int i) { return i < 0 ? static_cast<std::size_t>(-1) : static_cast<std::size_t>(i); }
  static val evaluation(const convolab::Evaluation& e) {
    val out = val::object();
    out.set("loss", e.loss);
    out.set("accuracy", e.accuracy);
    return out;
  }
  std::unique_ptr<convolab::Model> model_;
  convolab::Model::Snapshot snapshots_[2];
  std::vector<float> x_, t_, probs_;  // input (N,H,W,C), targets and output (N, ...output shape)
  std::vector<std::int32_t> y_;       // labels (N, output positions)
};

ModelHandle* create_model(const std::string& spec, double seed) {
  return guarded([&] { return new ModelHandle(spec, seed); });
}

// A model from .clmodel bytes; the engine checks everything before it returns.
ModelHandle* load_model(const val& bytes) {
  return guarded([&] {
    std::vector<std::uint8_t> data;
    copy_in(bytes, data, bytes["length"].as<std::size_t>(), "bytes", convolab::ErrorKind::File);
    return new ModelHandle(convolab::Model::load(data));
  });
}

// Bytes malloc has handed out and not taken back, and the wasm memory size:
// what the leak tests watch.
val heap_stats() {
  val out = val::object();
  out.set("allocatedBytes", static_cast<double>(mallinfo().uordblks));
  out.set("heapBytes", static_cast<double>(emscripten_get_heap_size()));
  // the heap's maximum (-sMAXIMUM_MEMORY) and what one model may hold of it
  out.set("heapMaxBytes", static_cast<double>(emscripten_get_heap_max()));
  out.set("limitBytes", static_cast<double>(convolab::memory_limit()));
  return out;
}

}  // namespace

EMSCRIPTEN_BINDINGS(convolab) {
  // The limit models are held to comes from the heap this module really has.
  convolab::set_memory_limit(emscripten_get_heap_max() - convolab::kHeapHeadroomBytes);
  emscripten::function("heapStats", &heap_stats);
  // Kernel threads (1 in the single-thread build; set clamps to the build's pool).
  emscripten::function("numThreads", &convolab::kernels::num_threads);
  emscripten::function("setNumThreads", &convolab::kernels::set_num_threads);
  emscripten::function("kernelImplementation", emscripten::optional_override([] {
                         return std::string(convolab::kernels::implementation_name());
                       }));
  emscripten::function("loadModel", &load_model, emscripten::allow_raw_pointers());
  emscripten::class_<ModelHandle>("Model")
      .constructor(&create_model, emscripten::allow_raw_pointers())
      .function("compile", &ModelHandle::compile)
      .function("setLearningRate", &ModelHandle::setLearningRate)
      .function("trainBatch", &ModelHandle::trainBatch)
      .function("trainTargets", &ModelHandle::trainTargets)
      .function("lastBatchCorrect", &ModelHandle::lastBatchCorrect)
      .function("predict", &ModelHandle::predict)
      .function("evaluate", &ModelHandle::evaluate)
      .function("evaluateTargets", &ModelHandle::evaluateTargets)
      .function("summary", &ModelHandle::summary)
      .function("summaryJSON", &ModelHandle::summaryJSON)
      .function("specJSON", &ModelHandle::specJSON)
      .function("compileJSON", &ModelHandle::compileJSON)
      .function("seed", &ModelHandle::seed)
      .function("inputShape", &ModelHandle::inputShape)
      .function("numClasses", &ModelHandle::numClasses)
      .function("outputShape", &ModelHandle::outputShape)
      .function("numLayers", &ModelHandle::numLayers)
      .function("activation", &ModelHandle::activation)
      .function("lastBatchSize", &ModelHandle::lastBatchSize)
      .function("activationGradient", &ModelHandle::activationGradient)
      .function("lastTrainBatchSize", &ModelHandle::lastTrainBatchSize)
      .function("timings", &ModelHandle::timings)
      .function("layerInfo", &ModelHandle::layerInfo)
      .function("getParam", &ModelHandle::getParam)
      .function("getGrad", &ModelHandle::getGrad)
      .function("setParam", &ModelHandle::setParam)
      .function("save", &ModelHandle::save)
      .function("getParams", &ModelHandle::getParams)
      .function("setParams", &ModelHandle::setParams)
      .function("takeSnapshot", &ModelHandle::takeSnapshot)
      .function("restoreSnapshot", &ModelHandle::restoreSnapshot)
      .function("checkBatchMemory", &ModelHandle::checkBatchMemory);
}
