#pragma once
// Lets public headers name kernel geometry without exposing the kernels.
#include "../../kernels/kernels.h"
