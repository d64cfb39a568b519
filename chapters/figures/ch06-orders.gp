# ch06-orders: validation NLL per epoch of NADE trained in raster order
# (chapter 5), in one fixed random order, and order-agnostically (a new
# order per minibatch, validated in raster order). Reads the train.tsv
# of build/ch05, build/ch06/order-random and build/ch06/order-agnostic.
name = 'ch06-orders'
load 'chapters/figures/common.gp'
set xlabel 'epoch'
set ylabel 'validation NLL (nats per image)'
set key top right opaque box lc rgb 'white'
set xrange [0.5:*]
set xtics 1 nomirror out scale 0.6
set mxtics 1
# at most ~10 labelled epochs
stats 'build/ch05/train.tsv' using 1 nooutput
if (STATS_max > 10) { set xtics 2 }
plot 'build/ch05/train.tsv' using 1:3 with linespoints pt 7 ps 0.5 lw 2 lc rgb c_model title 'raster order (chapter 5)', \
     'build/ch06/order-random/train.tsv' using 1:3 with linespoints pt 5 ps 0.5 lw 2 lc rgb c_alt title 'one fixed random order', \
     'build/ch06/order-agnostic/train.tsv' using 1:3 with linespoints pt 9 ps 0.6 lw 2 lc rgb c_third title 'a new order per minibatch (evaluated in raster order)'
