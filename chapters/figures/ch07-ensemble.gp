# ch07-ensemble: test NLL of order- and connectivity-agnostic MADEs
# trained with K masks, evaluated as the ensemble of their K masks and
# by their first mask alone; MADE with one raster mask and NADE (chapter
# 5) for reference. Reads build/ch07/ensemble.tsv and values.
name = 'ch07-ensemble'
load 'chapters/figures/common.gp'
val(f, k) = real(system(sprintf("awk -F '\t' '$1==\"%s\"{print $2}' %s", k, f)))
one = val('build/ch07/values.tsv', 'test_nll')
nade = system("test -f build/ch05/values.tsv && echo 1") eq "1" ? val('build/ch05/values.tsv', 'test_nll') : NaN
set logscale x 2
set xlabel 'masks K used in training'
set ylabel 'test NLL (nats per image)'
set key top left
set offsets 0, 0, graph 0.5, 0 # room above the lines for the key
set xtics nomirror out scale 0.6
plot 'build/ch07/ensemble.tsv' using 1:2 with linespoints pt 7 ps 0.6 lw 2 lc rgb c_model title 'ensemble of the K masks (log-mean-exp)', \
     '' using 1:3 with linespoints pt 5 ps 0.6 lw 2 lc rgb c_alt title 'the first of the K masks alone', \
     one with lines dt 3 lw 1.5 lc rgb c_third title 'one mask, raster order', \
     nade with lines dt 2 lw 1.5 lc rgb c_exact title 'NADE (chapter 5)'
