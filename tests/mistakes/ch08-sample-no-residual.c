// exercise: 8.4
// what: drops the residual connection in the sampler
// replace:
                    here[c * PS] = below[c * PS] + r;
// with:
                    here[c * PS] = r;
