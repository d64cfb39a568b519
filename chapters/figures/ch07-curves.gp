# ch07-curves: MADE (one mask, raster order) training and validation NLL
# per epoch, the validation NLL of the best two-layer MADE (one random
# mask), and NADE's best validation NLL of chapter 5 for reference.
# Reads build/ch07/train.tsv, the two-layer run's and both chapters'
# values.
name = 'ch07-curves'
load 'chapters/figures/common.gp'
val(f, k) = real(system(sprintf("awk -F '\t' '$1==\"%s\"{print $2}' %s", k, f)))
best = val('build/ch07/values.tsv', 'best_epoch')
h1 = val('build/ch07/values.tsv', 'two_h')
h2 = val('build/ch07/values.tsv', 'two_h2')
two = sprintf('build/ch07/two-%d-%d/train.tsv', h1, h2)
nade = system("test -f build/ch05/values.tsv && echo 1") eq "1" ? val('build/ch05/values.tsv', 'best_valid') : NaN
set xlabel 'epoch'
set ylabel 'NLL (nats per image)'
set key top right
set xrange [0.5:*]
set arrow from best, graph 0 to best, graph 1 nohead dt 3 lc rgb '#888888'
set label sprintf('best validation: epoch %d', best) at best, graph 0.6 right offset -0.5,0
plot 'build/ch07/train.tsv' using 1:2 with linespoints pt 7 ps 0.5 lw 2 lc rgb c_model title 'MADE training (running mean)', \
     '' using 1:3 with linespoints pt 7 ps 0.5 lw 2 lc rgb c_alt title 'MADE validation', \
     two using 1:3 with linespoints pt 5 ps 0.5 lw 2 lc rgb c_third title sprintf('two layers (%d, %d), random mask: validation', h1, h2), \
     nade with lines dt 2 lw 1.5 lc rgb c_exact title 'best NADE validation (chapter 5)'
