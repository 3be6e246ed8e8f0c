#pragma once
// A small JSON value + parser + writer: model specs arrive as JSON text from
// the page and the npm module, and saved models embed their spec as JSON.
// The engine has no dependency beyond the standard library, hence our own.
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace convolab {

class Json {
 public:
  enum class Kind { Null, Bool, Number, String, Array, Object };

  Json() = default;
  static Json boolean(bool b);
  static Json number(double d);
  static Json string(std::string s);
  static Json array();
  static Json object();

  static Json parse(const std::string& text);  // throws convolab::Error
  std::string dump() const;

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::Null; }
  bool is_number() const { return kind_ == Kind::Number; }
  bool is_string() const { return kind_ == Kind::String; }
  bool is_array() const { return kind_ == Kind::Array; }
  bool is_object() const { return kind_ == Kind::Object; }
  bool is_bool() const { return kind_ == Kind::Bool; }

  double as_number() const { return number_; }
  bool as_bool() const { return bool_; }
  const std::string& as_string() const { return string_; }
  const std::vector<Json>& items() const { return items_; }
  const std::vector<std::pair<std::string, Json>>& members() const { return members_; }

  bool has(const std::string& key) const;
  const Json& operator[](const std::string& key) const;  // Null if absent
  void set(const std::string& key, Json value);
  void push(Json value);

 private:
  Kind kind_ = Kind::Null;
  bool bool_ = false;
  double number_ = 0;
  std::string string_;
  std::vector<Json> items_;
  std::vector<std::pair<std::string, Json>> members_;  // insertion order kept
};

}  // namespace convolab
