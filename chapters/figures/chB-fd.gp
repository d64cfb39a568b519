# chB-fd: relative error of a central finite difference against the
# analytic gradient, as the step h shrinks, in double and in float.
# Reads build/chB/fd.tsv.
name = 'chB-fd'
load 'chapters/figures/common.gp'
# taller than the default: the key sits below the plot
if (term eq 'pdf') { set terminal pdfcairo size 5.2in,3.9in font 'Latin Modern Roman,10' fontscale 0.7 enhanced } else { set terminal pngcairo size 900,680 font 'Latin Modern Roman,13' enhanced }
set output sprintf('build/figures/%s.%s', name, term)
set logscale xy
set format x '10^{%L}'
set format y '10^{%L}'
set xlabel 'step h'
set ylabel 'relative error of the derivative'
set xrange [*:*] reverse
set key below maxrows 3 width -2
set yrange [1e-12:1e2]
set grid xtics ytics lw 0.5 lc rgb '#dddddd'
plot 'build/chB/fd.tsv' using 1:2 with linespoints pt 7 ps 0.5 lw 2 lc rgb c_model title 'log-likelihood in double', \
     '' using 1:3 with linespoints pt 5 ps 0.5 lw 2 lc rgb c_alt title 'log-likelihood in float', \
     '' using 1:($1*$1/10) with lines dt 2 lw 1 lc rgb c_exact title 'slope of h^2 (truncation)', \
     '' using 1:(1e-16/$1) with lines dt 3 lw 1 lc rgb c_model title 'slope of 1/h (rounding, double)', \
     '' using 1:(1e-7/$1 < 1e2 ? 1e-7/$1 : NaN) with lines dt 3 lw 1 lc rgb c_alt title 'slope of 1/h (rounding, float)'
