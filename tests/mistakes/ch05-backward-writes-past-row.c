// exercise: 5.2
// what: off by one in the walk: starts at i = d, reading g[d] and writing V_{d+1,:} and b_{d+1}, past the end of the buffers
// sanitizer: heap-buffer-overflow
// replace:
        for (int i = d - 1; i >= 0; i--) {
// with:
        for (int i = d; i >= 0; i--) {
