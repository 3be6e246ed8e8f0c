#include "convolab/json.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "convolab/error.h"

namespace convolab {

Json Json::boolean(bool b) {
  Json j;
  j.kind_ = Kind::Bool;
  j.bool_ = b;
  return j;
}
Json Json::number(double d) {
  Json j;
  j.kind_ = Kind::Number;
  j.number_ = d;
  return j;
}
Json Json::string(std::string s) {
  Json j;
  j.kind_ = Kind::String;
  j.string_ = std::move(s);
  return j;
}
Json Json::array() {
  Json j;
  j.kind_ = Kind::Array;
  return j;
}
Json Json::object() {
  Json j;
  j.kind_ = Kind::Object;
  return j;
}

bool Json::has(const std::string& key) const {
  for (const auto& m : members_)
    if (m.first == key) return true;
  return false;
}

const Json& Json::operator[](const std::string& key) const {
  static const Json null_value;
  for (const auto& m : members_)
    if (m.first == key) return m.second;
  return null_value;
}

void Json::set(const std::string& key, Json value) {
  for (auto& m : members_)
    if (m.first == key) {
      m.second = std::move(value);
      return;
    }
  members_.emplace_back(key, std::move(value));
}

void Json::push(Json value) { items_.push_back(std::move(value)); }

namespace {

class Parser {
 public:
  explicit Parser(const std::string& s) : s_(s) {}

  Json parse_document() {
    Json v = parse_value(0);
    skip_ws();
    if (pos_ != s_.size()) fail("unexpected text after the JSON value");
    return v;
  }

 private:
  [[noreturn]] void fail(const std::string& why) {
    throw Error("invalid JSON at character " + std::to_string(pos_) + ": " + why, ErrorKind::Spec)
        .with_code("json")
        .at_index(static_cast<long long>(pos_));
  }
  void skip_ws() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\n' || s_[pos_] == '\t' || s_[pos_] == '\r')) ++pos_;
  }
  bool consume(char c) {
    skip_ws();
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  void expect(char c) {
    if (!consume(c)) fail(std::string("expected '") + c + "'");
  }

  Json parse_value(int depth) {
    if (depth > 64) fail("nesting too deep");
    skip_ws();
    if (pos_ >= s_.size()) fail("unexpected end of text");
    char c = s_[pos_];
    if (c == '{') return parse_object(depth);
    if (c == '[') return parse_array(depth);
    if (c == '"') return Json::string(parse_string());
    if (s_.compare(pos_, 4, "true") == 0) {
      pos_ += 4;
      return Json::boolean(true);
    }
    if (s_.compare(pos_, 5, "false") == 0) {
      pos_ += 5;
      return Json::boolean(false);
    }
    if (s_.compare(pos_, 4, "null") == 0) {
      pos_ += 4;
      return Json();
    }
    return parse_number();
  }

  Json parse_object(int depth) {
    expect('{');
    Json obj = Json::object();
    if (consume('}')) return obj;
    do {
      skip_ws();
      if (pos_ >= s_.size() || s_[pos_] != '"') fail("expected a quoted key");
      std::string key = parse_string();
      expect(':');
      obj.set(key, parse_value(depth + 1));
    } while (consume(','));
    expect('}');
    return obj;
  }

  Json parse_array(int depth) {
    expect('[');
    Json arr = Json::array();
    if (consume(']')) return arr;
    do {
      arr.push(parse_value(depth + 1));
    } while (consume(','));
    expect(']');
    return arr;
  }

  std::string parse_string() {
    ++pos_;  // opening quote
    std::string out;
    while (pos_ < s_.size() && s_[pos_] != '"') {
      char c = s_[pos_++];
      if (c != '\\') {
        out += c;
        continue;
      }
      if (pos_ >= s_.size()) break;
      char e = s_[pos_++];
      switch (e) {
        case 'n':
          out += '\n';
          break;
        case 't':
          out += '\t';
          break;
        case 'r':
          out += '\r';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'u': {
          if (pos_ + 4 > s_.size()) fail("bad \\u escape");
          unsigned cp = static_cast<unsigned>(std::strtoul(s_.substr(pos_, 4).c_str(), nullptr, 16));
          pos_ += 4;
          // UTF-8 encode (BMP only; specs are ASCII in practice)
          if (cp < 0x80)
            out += static_cast<char>(cp);
          else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
          } else {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
          }
          break;
        }
        default:
          out += e;
      }
    }
    if (pos_ >= s_.size()) fail("unterminated string");
    ++pos_;
    return out;
  }

  Json parse_number() {
    const char* begin = s_.c_str() + pos_;
    char* end = nullptr;
    double d = std::strtod(begin, &end);
    if (end == begin) fail("unexpected character '" + std::string(1, s_[pos_]) + "'");
    pos_ += static_cast<std::size_t>(end - begin);
    return Json::number(d);
  }

  const std::string& s_;
  std::size_t pos_ = 0;
};

void dump_string(const std::string& s, std::string& out) {
  out += '"';
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

void dump_value(const Json& j, std::string& out) {
  switch (j.kind()) {
    case Json::Kind::Null:
      out += "null";
      break;
    case Json::Kind::Bool:
      out += j.as_bool() ? "true" : "false";
      break;
    case Json::Kind::Number: {
      double d = j.as_number();
      if (!std::isfinite(d)) {
        out += "null";
        break;
      }
      char buf[32];
      if (d == std::floor(d) && std::fabs(d) < 1e15)
        std::snprintf(buf, sizeof buf, "%.0f", d);
      else
        std::snprintf(buf, sizeof buf, "%.17g", d);
      out += buf;
      break;
    }
    case Json::Kind::String:
      dump_string(j.as_string(), out);
      break;
    case Json::Kind::Array: {
      out += '[';
      bool first = true;
      for (const auto& v : j.items()) {
        if (!first) out += ',';
        first = false;
        dump_value(v, out);
      }
      out += ']';
      break;
    }
    case Json::Kind::Object: {
      out += '{';
      bool first = true;
      for (const auto& m : j.members()) {
        if (!first) out += ',';
        first = false;
        dump_string(m.first, out);
        out += ':';
        dump_value(m.second, out);
      }
      out += '}';
      break;
    }
  }
}

}  // namespace

Json Json::parse(const std::string& text) { return Parser(text).parse_document(); }

std::string Json::dump() const {
  std::string out;
  dump_value(*this, out);
  return out;
}

}  // namespace convolab
