// convolab::kernels for builds without a SIMD implementation
// (CONVOLAB_KERNELS=reference): every kernel of the list is the reference twin.
#include "../kernels.h"

namespace convolab::kernels {

const char* implementation_name() { return "reference"; }

#define CONVOLAB_ISA_KERNEL(ret, name, params, args) \
  ret name params { return reference::name args; }
#define CONVOLAB_VEC_KERNEL CONVOLAB_ISA_KERNEL
#define CONVOLAB_SCALAR_KERNEL CONVOLAB_ISA_KERNEL
#include "../kernel_list.inc"

}  // namespace convolab::kernels
