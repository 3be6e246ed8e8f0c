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

void LayerOptions::require_image(const Shape& in) const {
  if (in.rank != 3)
    fail("needs an image input (height, width, channels); its input has shape [" + in.str() + "] (" +
         std::to_string(in.rank) + (in.rank == 1 ? " axis" : " axes") + ")");
}

void LayerOptions::require_rank_at_least(const Shape& in, int rank) const {
  if (in.rank < rank)
    fail("needs an input of at least " + std::to_string(rank) + " axes; its input has shape [" + in.str() + "]");
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

std::string Sides::str() const {
  return "[[" + std::to_string(top) + "," + std::to_string(bottom) + "],[" + std::to_string(left) + "," +
         std::to_string(right) + "]]";
}

Sides LayerOptions::get_sides(const std::string& key, int fallback) const {
  Sides s{fallback, fallback, fallback, fallback};
  if (!has(key)) return s;
  const std::string form = "'" + key + "' must be a whole number, [h, w] or [[top, bottom], [left, right]]";
  auto whole = [&](const Json& x) {
    if (!x.is_number() || x.as_number() != std::floor(x.as_number())) fail_option(key, form);
    if (x.as_number() < 0) fail_option(key, "'" + key + "' must be at least 0", x.as_number());
    if (x.as_number() > 4096) fail_option(key, "'" + key + "' is too large", x.as_number());
    return static_cast<int>(x.as_number());
  };
  const Json& v = spec_[key];
  if (!v.is_array()) {
    s.top = s.bottom = s.left = s.right = whole(v);
    return s;
  }
  if (v.items().size() != 2) fail_option(key, form);
  const Json& a = v.items()[0];
  const Json& b = v.items()[1];
  if (a.is_array() != b.is_array()) fail_option(key, form);
  if (!a.is_array()) {
    s.top = s.bottom = whole(a);
    s.left = s.right = whole(b);
    return s;
  }
  if (a.items().size() != 2 || b.items().size() != 2) fail_option(key, form);
  s.top = whole(a.items()[0]);
  s.bottom = whole(a.items()[1]);
  s.left = whole(b.items()[0]);
  s.right = whole(b.items()[1]);
  return s;
}

std::vector<int> LayerOptions::get_int_list(const std::string& key, int min_value) const {
  const Json& v = spec_[key];
  if (!v.is_array()) fail_option(key, "'" + key + "' must be a list of whole numbers");
  std::vector<int> out;
  for (const Json& x : v.items()) {
    if (!x.is_number() || x.as_number() != std::floor(x.as_number()))
      fail_option(key, "'" + key + "' must be a list of whole numbers");
    if (x.as_number() < min_value || x.as_number() > (1 << 24))
      fail_option(key, "'" + key + "' has an entry out of range");
    out.push_back(static_cast<int>(x.as_number()));
  }
  return out;
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
