# ch01-sampling: exact p(x) of the 8 configurations vs frequencies of
# ancestral samples, with +-2 standard errors. Reads build/ch01/sampling.tsv.
name = 'ch01-sampling'
load 'chapters/figures/common.gp'
set xlabel 'configuration x_1x_2x_3'
set ylabel 'probability'
set yrange [0:*]
set xrange [-0.6:7.6]
set style fill solid 0.85 border -1
set boxwidth 0.36
plot 'build/ch01/sampling.tsv' using 0:(NaN):xtic(1) with points notitle, \
     '' using ($0-0.19):2 with boxes lc rgb c_exact title 'exact p(x)', \
     '' using ($0+0.19):3 with boxes lc rgb c_model title 'sampled frequency', \
     '' using ($0+0.19):($3-$4):(0):(2*$4) with vectors heads size screen 0.006,90 lw 1.2 lc rgb '#000000' title '{/Symbol \261} 2 standard errors'
