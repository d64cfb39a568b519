# ch05-curves: NADE training and validation NLL per epoch, with the best
# FVSBN of chapter 3 for reference. Reads build/ch05/train.tsv and the
# values of both chapters.
name = 'ch05-curves'
load 'chapters/figures/common.gp'
val(f, k) = real(system(sprintf("awk -F '\t' '$1==\"%s\"{print $2}' %s", k, f)))
best = val('build/ch05/values.tsv', 'best_epoch')
# chapter 3's best FVSBN, when that chapter has run
fvsbn = system("test -f build/ch03/values.tsv && echo 1") eq "1" ? val('build/ch03/values.tsv', 'best_valid') : NaN
set xlabel 'epoch'
set ylabel 'NLL (nats per image)'
set key top right
set xrange [0.5:*]
set arrow from best, graph 0 to best, graph 1 nohead dt 3 lc rgb '#888888'
set label sprintf('best validation: epoch %d', best) at best, graph 0.6 right offset -0.5,0
plot 'build/ch05/train.tsv' using 1:2 with linespoints pt 7 ps 0.5 lw 2 lc rgb c_model title 'NADE training (running mean)', \
     '' using 1:3 with linespoints pt 7 ps 0.5 lw 2 lc rgb c_alt title 'NADE validation', \
     fvsbn with lines dt 2 lw 1.5 lc rgb c_exact title 'best FVSBN validation (chapter 3)'
