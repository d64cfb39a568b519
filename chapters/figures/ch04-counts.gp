# ch04-counts: parameters against d for every model family (h = 500),
# from the code's own size functions (MADE's of chapter 7 too). Reads build/ch04/counts.tsv.
name = 'ch04-counts'
load 'chapters/figures/common.gp'
set logscale xy
set xlabel 'd (binary variables)'
set ylabel 'parameters'
set format y '10^{%L}'
set xrange [1:784]
set yrange [1:1e12]
set key below maxrows 3 width -2
plot 'build/ch04/counts.tsv' using 1:2 with linespoints pt 7 ps 0.5 lw 2 lc rgb c_exact title 'full table: 2^d - 1', \
     '' using 1:4 with linespoints pt 7 ps 0.5 lw 2 lc rgb c_alt title 'MLP conditionals: hd(d-1)/2 + 2hd + d', \
     '' using 1:3 with linespoints pt 7 ps 0.5 lw 2 lc rgb c_model title 'FVSBN: d(d+1)/2', \
     '' using 1:5 with linespoints pt 7 ps 0.5 lw 2 lc rgb c_third title 'NADE: 2hd + h + d', \
     '' using 1:6 with points pt 6 ps 1.2 lw 1.5 lc rgb c_third title 'MADE, one layer: as NADE', \
     '' using 1:7 with linespoints pt 7 ps 0.5 lw 2 dt 2 lc rgb c_exact title 'MADE, two layers: 2hd + h^2 + 2h + d'
