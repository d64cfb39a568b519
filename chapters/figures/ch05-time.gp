# ch05-time: seconds per image of NADE's O(dh) forward pass and of the
# naive O(d^2 h) recomputation, against d (log-log), with slope-1 and
# slope-2 guides through the first points. Reads build/ch05/time-vs-d.tsv.
name = 'ch05-time'
load 'chapters/figures/common.gp'
set logscale xy
set xlabel 'd (random pixels at the density of the digits), h = 500'
set ylabel 'seconds per image'
set format y '10^{%L}'
set key top left
stats 'build/ch05/time-vs-d.tsv' using 1:2 nooutput
d0 = STATS_min_x
f0 = STATS_min_y
stats 'build/ch05/time-vs-d.tsv' using 1:3 nooutput
n0 = STATS_min_y
plot 'build/ch05/time-vs-d.tsv' using 1:3 with linespoints pt 7 lw 2 lc rgb c_alt title 'naive: every h_i from scratch', \
     '' using 1:2 with linespoints pt 7 lw 2 lc rgb c_model title 'NADE: running activation', \
     n0 * (x / d0)**2 with lines dt 2 lc rgb c_alt title 'slope 2', \
     f0 * (x / d0) with lines dt 2 lc rgb c_model title 'slope 1'
