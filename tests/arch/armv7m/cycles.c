#include "rt.h"
void test_main(void) {}
