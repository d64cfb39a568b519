/* contract.h - included first by a kernel file: ISO C mode (-std=c11)
 * keeps a * b + c as two roundings; after this the compiler may fuse
 * them into one FMA instruction in that file, half the work of the
 * products (results then differ from the chapters' code in the last
 * bits, as any reordering of the sums does). */
#ifndef CONTRACT_H
#define CONTRACT_H

#if defined(__clang__)
#pragma clang fp contract(fast)
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=fast")
#endif

#endif
