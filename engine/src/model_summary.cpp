// Keras-like summary: per layer output shape, weights, biases, MACs and
// kernel workspace; totals.
#include <cstdio>

#include "../kernels/kernels.h"
#include "convolab/model.h"

namespace convolab {

namespace {
// Before the first step the workspace is reported for tfjs's default fit
// batch, the batch most runs use.
constexpr int kSummaryBatch = 32;
}  // namespace

Json Model::summary_json() const {
  Json rows = Json::array();
  std::uint64_t total_macs = 0;
  std::size_t total_w = 0, total_b = 0, total_state = 0, total_workspace = 0;
  // What the layers' workspaces hold at the batch the model has room for.
  const int workspace_batch = capacity_ > 0 ? capacity_ : kSummaryBatch;
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    const Layer& l = *layers_[i];
    std::size_t w = 0, b = 0, state = 0;
    for (const auto& p : l.params()) (!p.trainable ? state : p.is_bias ? b : w) += p.size;
    Json row = Json::object();
    row.set("index", Json::number(static_cast<double>(i + 1)));
    row.set("type", Json::string(l.type()));
    row.set("options", Json::string(l.describe()));
    Json shape = Json::array();
    shape.push(Json::number(l.output_shape().h));
    shape.push(Json::number(l.output_shape().w));
    shape.push(Json::number(l.output_shape().c));
    row.set("outputShape", shape);
    row.set("weights", Json::number(static_cast<double>(w)));
    row.set("biases", Json::number(static_cast<double>(b)));
    row.set("params", Json::number(static_cast<double>(w + b)));
    row.set("nonTrainable", Json::number(static_cast<double>(state)));
    row.set("macs", Json::number(static_cast<double>(l.macs())));
    const std::size_t workspace = l.workspace_bytes(workspace_batch);
    row.set("workspaceBytes", Json::number(static_cast<double>(workspace)));
    rows.push(row);
    total_workspace += workspace;
    total_macs += l.macs();
    total_w += w;
    total_b += b;
    total_state += state;
  }
  Json out = Json::object();
  Json in = Json::array();
  in.push(Json::number(input_.h));
  in.push(Json::number(input_.w));
  in.push(Json::number(input_.c));
  out.set("inputShape", in);
  out.set("layers", rows);
  Json totals = Json::object();
  totals.set("weights", Json::number(static_cast<double>(total_w)));
  totals.set("biases", Json::number(static_cast<double>(total_b)));
  totals.set("params", Json::number(static_cast<double>(total_w + total_b)));
  totals.set("nonTrainable", Json::number(static_cast<double>(total_state)));
  totals.set("macs", Json::number(static_cast<double>(total_macs)));
  totals.set("maxBatch", Json::number(static_cast<double>(max_batch())));
  totals.set("workspaceBytes", Json::number(static_cast<double>(total_workspace)));
  totals.set("workspaceBatch", Json::number(workspace_batch));
  out.set("totals", totals);
  return out;
}

std::string Model::summary() const {
  Json s = summary_json();
  std::string text;
  char line[200];
  std::snprintf(line, sizeof line, "%-4s %-22s %-24s %-12s %10s %14s\n", "#", "Layer", "Options", "Output", "Params",
                "MACs");
  text += line;
  std::snprintf(line, sizeof line, "%-4s %-22s %-24s %-12s %10s %14s\n", "", "Input", "", input_.str().c_str(), "0",
                "0");
  text += line;
  for (const Json& r : s["layers"].items()) {
    std::string shape = std::to_string(static_cast<int>(r["outputShape"].items()[0].as_number())) + "x" +
                        std::to_string(static_cast<int>(r["outputShape"].items()[1].as_number())) + "x" +
                        std::to_string(static_cast<int>(r["outputShape"].items()[2].as_number()));
    std::snprintf(line, sizeof line, "%-4d %-22s %-24s %-12s %10.0f %14.0f\n", static_cast<int>(r["index"].as_number()),
                  r["type"].as_string().c_str(), r["options"].as_string().c_str(), shape.c_str(),
                  r["params"].as_number() + r["nonTrainable"].as_number(), r["macs"].as_number());
    text += line;
  }
  const Json& t = s["totals"];
  std::snprintf(line, sizeof line, "Total params: %.0f (%.0f weights + %.0f biases)", t["params"].as_number(),
                t["weights"].as_number(), t["biases"].as_number());
  text += line;
  if (t["nonTrainable"].as_number() > 0) {
    std::snprintf(line, sizeof line, " + %.0f non-trainable", t["nonTrainable"].as_number());
    text += line;
  }
  std::snprintf(line, sizeof line, "; forward MACs per example: %.0f\n", t["macs"].as_number());
  text += line;
  std::snprintf(line, sizeof line, "Kernel workspace: %.0f bytes at batch %.0f (%d thread%s)\n",
                t["workspaceBytes"].as_number(), t["workspaceBatch"].as_number(), kernels::max_threads(),
                kernels::max_threads() == 1 ? "" : "s");
  text += line;
  return text;
}

}  // namespace convolab
