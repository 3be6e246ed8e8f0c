#pragma once
// Every failure the engine reports is a convolab::Error whose message names
// the problem in words a user can act on; bindings turn it into a JS Error.
#include <stdexcept>
#include <string>

namespace convolab {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace convolab
