#pragma once
// Every failure the engine reports is a convolab::Error: a message that names
// the problem in words a user can act on, plus the same facts as data (what
// kind of problem, which layer, option, example or value), so callers never
// have to read the message to decide what happened. Bindings copy the fields
// onto the JS error (bindings/embind.cpp, bindings/errors.js).
#include <stdexcept>
#include <string>

namespace convolab {

// What the caller got wrong, in the terms of the API they called.
enum class ErrorKind {
  Other,     // not classified (the bindings fall back to the caller's class)
  Spec,      // the model spec or a layer option
  Config,    // the compile config: optimizer, loss, a hyperparameter, the learning rate
  Input,     // examples, labels, targets or a batch given to train / predict / evaluate
  Weights,   // weights given to setWeights / restore
  Training,  // training diverged (the loss is not finite)
  File,      // a saved model file
  Memory,    // a model or batch larger than Convolab allows (refused before allocating)
};

const char* error_kind_name(ErrorKind kind);  // "spec", "config", "input", ...

// Throw as `throw Error("...", ErrorKind::Spec).at_layer(2).with_option("units")`.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message, ErrorKind kind = ErrorKind::Other)
      : std::runtime_error(message), kind_(kind) {}

  ErrorKind kind() const { return kind_; }
  // A finer name than the kind when one helps ("diverged", "checksum", ...);
  // the kind's name otherwise.
  std::string code() const { return code_.empty() ? error_kind_name(kind_) : code_; }
  int layer_index() const { return layer_index_; }  // from 0; -1 when no layer is at fault
  const std::string& option() const { return option_; }
  long long index() const { return index_; }  // the example / value / block at fault; -1 when none
  bool has_number() const { return has_number_; }
  double number() const { return number_; }  // the offending value, when it is a number
  bool has_text() const { return has_text_; }
  const std::string& text() const { return text_; }  // the offending value, when it is a string
  // A memory error's estimate and the limit it is over, in bytes (0 when not one).
  double bytes_needed() const { return bytes_needed_; }
  double bytes_limit() const { return bytes_limit_; }

  Error& as(ErrorKind kind) {
    kind_ = kind;
    return *this;
  }
  Error& with_code(std::string code) {
    code_ = std::move(code);
    return *this;
  }
  Error& at_layer(int index) {
    layer_index_ = index;
    return *this;
  }
  Error& with_option(std::string option) {
    option_ = std::move(option);
    return *this;
  }
  Error& at_index(long long index) {
    index_ = index;
    return *this;
  }
  Error& with_value(double v) {
    has_number_ = true;
    number_ = v;
    has_text_ = false;
    return *this;
  }
  Error& with_value(std::string v) {
    has_text_ = true;
    text_ = std::move(v);
    has_number_ = false;
    return *this;
  }
  Error& with_bytes(double needed, double limit) {
    bytes_needed_ = needed;
    bytes_limit_ = limit;
    return *this;
  }
  // Copies the fields of `other` onto this error (for a rethrow with a new message).
  Error& with_fields_of(const Error& other) {
    const std::string message = what();
    *this = other;
    static_cast<std::runtime_error&>(*this) = std::runtime_error(message);
    return *this;
  }

 private:
  ErrorKind kind_;
  std::string code_;
  int layer_index_ = -1;
  std::string option_;
  long long index_ = -1;
  bool has_number_ = false;
  double number_ = 0.0;
  bool has_text_ = false;
  std::string text_;
  double bytes_needed_ = 0.0;
  double bytes_limit_ = 0.0;
};

inline const char* error_kind_name(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::Spec:
      return "spec";
    case ErrorKind::Config:
      return "config";
    case ErrorKind::Input:
      return "input";
    case ErrorKind::Weights:
      return "weights";
    case ErrorKind::Training:
      return "training";
    case ErrorKind::File:
      return "file";
    case ErrorKind::Memory:
      return "memory";
    case ErrorKind::Other:
      break;
  }
  return "error";
}

}  // namespace convolab
