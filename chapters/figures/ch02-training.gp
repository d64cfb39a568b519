# ch02-training: average NLL vs gradient-ascent step for both data sets,
# with each data set's entropy as the floor. Reads build/ch02/training.tsv
# and build/ch02/values.tsv.
name = 'ch02-training'
load 'chapters/figures/common.gp'
val(k) = real(system(sprintf("awk -F '\t' '$1==\"%s\"{print $2}' build/ch02/values.tsv", k)))
h_a = val('entropy_a')
h_x = val('entropy_x')
set xlabel 'gradient-ascent step'
set ylabel 'average NLL (nats)'
set logscale x
steps = val('steps')
set xrange [1:steps+1]
set yrange [1.2:2.2]
set key at graph 0.03, graph 0.58 left Left reverse
# the XOR gap: the best FVSBN sits log 2 above the floor
set arrow from steps/8, h_x to steps/8, h_x + log(2) heads size graph 0.012,90 lc rgb c_alt
set label 'KL = log 2' at steps/8*1.15, h_x + log(2)/2 tc rgb c_alt
plot 'build/ch02/training.tsv' using ($1+1):2 with lines lw 2 lc rgb c_model title 'FVSBN on FVSBN samples', \
     '' using ($1+1):3 with lines lw 2 lc rgb c_alt title 'FVSBN on XOR samples', \
     h_a with lines dt 2 lw 1.5 lc rgb c_model title 'entropy of the FVSBN samples (floor)', \
     h_x with lines dt 2 lw 1.5 lc rgb c_alt title 'entropy of the XOR samples (floor)'
