# ch03-curves: FVSBN training and validation NLL per epoch on mnist, the
# best-validation epoch marked. Reads build/ch03/train.tsv, values.tsv.
name = 'ch03-curves'
load 'chapters/figures/common.gp'
val(k) = real(system(sprintf("awk -F '\t' '$1==\"%s\"{print $2}' build/ch03/values.tsv", k)))
best = val('best_epoch')
bestv = val('best_valid')
set xlabel 'epoch'
set ylabel 'NLL (nats per image)'
set key top right
set xrange [0.5:val('epochs') + 0.5]
set arrow from best, graph 0 to best, graph 1 nohead dt 3 lc rgb '#888888'
set label sprintf('best validation: epoch %d', best) at best, graph 0.6 right offset -0.5,0
plot 'build/ch03/train.tsv' using 1:2 with linespoints pt 7 ps 0.5 lw 2 lc rgb c_model title 'training (running mean over the epoch)', \
     '' using 1:3 with linespoints pt 7 ps 0.5 lw 2 lc rgb c_alt title 'validation'
