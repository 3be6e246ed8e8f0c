#include <cmath>

#include "convolab/layer.h"

namespace convolab {

LayerOptions::LayerOptions(const Json& spec, int index, std::string display_type)
    : spec_(spec), index_(index), type_(std::move(display_type)) {}

namespace {
Error layer_error(int index, const std::string& type, const std::string& why) {
  Error e("layer " + std::to_string(index) + " (" + type + "): " + why, ErrorKind::Spec);
  e.at_layer(index - 1);
  return e;
}
}  // namespace

void LayerOptions::fail(const std::string& why) const { throw layer_error(index_, type_, why); }

void LayerOptions::fail_option(const std::string& option, const std::string& why) const {
  throw layer_error(index_, type_, why).with_option(option);
}

void LayerOptions::fail_option(const std::string& option, const std::string& why, double value) const {
  throw layer_error(index_, type_, why).with_option(option).with_value(value);
}

void LayerOptions::fail_option(const std::string& option, const std::string& why, const std::string& value) const {
  throw layer_error(index_, type_, why).with_option(option).with_value(value);
}

int LayerOptions::get_int(const std::string& key, int fallback, int min_value) const {
  if (!has(key)) return fallback;
  const Json& v = spec_[key];
  if (!v.is_number()) fail_option(key, "'" + key + "' must be a whole number");
  double d = v.as_number();
  if (d != std::floor(d)) fail_option(key, "'" + key + "' must be a whole number", d);
  if (d < min_value)
    fail_option(key,
                "'" + key + "' must be at least " + std::to_string(min_value) + ", got " +
                    std::to_string(static_cast<long long>(d)),
                d);
  if (d > 1 << 20)
    fail_option(key, "'" + key + "' is too large (" + std::to_string(static_cast<long long>(d)) + ")", d);
  return static_cast<int>(d);
}

double LayerOptions::get_number(const std::string& key, double fallback) const {
  if (!has(key)) return fallback;
  const Json& v = spec_[key];
  if (!v.is_number()) fail_option(key, "'" + key + "' must be a number");
  if (!std::isfinite(v.as_number())) fail_option(key, "'" + key + "' must be a number", v.as_number());
  return v.as_number();
}

bool LayerOptions::get_bool(const std::string& key, bool fallback) const {
  if (!has(key)) return fallback;
  const Json& v = spec_[key];
  if (!v.is_bool()) fail_option(key, "'" + key + "' must be true or false");
  return v.as_bool();
}

std::string LayerOptions::get_string(const std::string& key, const std::string& fallback) const {
  if (!has(key)) return fallback;
  const Json& v = spec_[key];
  if (!v.is_string()) fail_option(key, "'" + key + "' must be a string");
  return v.as_string();
}

void LayerOptions::get_pair(const std::string& key, int fallback_h, int fallback_w, int min_value, int& h,
                            int& w) const {
  h = fallback_h;
  w = fallback_w;
  if (!has(key)) return;
  const Json& v = spec_[key];
  auto check = [&](const Json& x) {
    if (!x.is_number()) fail_option(key, "'" + key + "' must be a whole number or a pair [h, w]");
    const double d = x.as_number();
    if (d != std::floor(d)) fail_option(key, "'" + key + "' must be a whole number or a pair [h, w]", d);
    if (d < min_value) fail_option(key, "'" + key + "' must be at least " + std::to_string(min_value), d);
    if (d > 4096) fail_option(key, "'" + key + "' is too large", d);
    return static_cast<int>(x.as_number());
  };
  if (v.is_array()) {
    if (v.items().size() != 2) fail_option(key, "'" + key + "' must be a whole number or a pair [h, w]");
    h = check(v.items()[0]);
    w = check(v.items()[1]);
  } else {
    h = w = check(v);
  }
}

Activation LayerOptions::get_activation(const std::string& key, const std::string& fallback) const {
  std::string name = get_string(key, fallback);
  try {
    return parse_activation(name);
  } catch (const Error& e) {
    fail_option(key, e.what(), name);
  }
}

Init LayerOptions::get_init(const std::string& key, Init fallback) const {
  if (!has(key)) return fallback;
  std::string name = get_string(key, init_name(fallback));
  try {
    return parse_init(name);
  } catch (const Error& e) {
    fail_option(key, "'" + key + "': " + e.what(), name);
  }
}

Init parse_init(const std::string& name) {
  if (name == "glorotUniform") return Init::GlorotUniform;
  if (name == "heNormal") return Init::HeNormal;
  if (name == "zeros") return Init::Zeros;
  if (name == "ones") return Init::Ones;
  throw Error("unknown initializer '" + name + "' (use glorotUniform, heNormal, zeros or ones)", ErrorKind::Spec)
      .with_value(name);
}

const char* init_name(Init i) {
  switch (i) {
    case Init::GlorotUniform:
      return "glorotUniform";
    case Init::HeNormal:
      return "heNormal";
    case Init::Zeros:
      return "zeros";
    case Init::Ones:
      return "ones";
  }
  return "zeros";
}

ParamBlock kernel_block(std::vector<int> shape, int fan_in, int fan_out, Init init) {
  ParamBlock b;
  b.name = "kernel";
  b.size = 1;
  for (int d : shape) b.size *= static_cast<std::size_t>(d);
  b.shape = std::move(shape);
  b.init = init;
  b.fan_in = fan_in;
  b.fan_out = fan_out;
  b.regularized = true;
  return b;
}

ParamBlock bias_block(int size, Init init) {
  ParamBlock b;
  b.name = "bias";
  b.shape = {size};
  b.size = static_cast<std::size_t>(size);
  b.init = init;
  b.is_bias = true;
  return b;
}

}  // namespace convolab
