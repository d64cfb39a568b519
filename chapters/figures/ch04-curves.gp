# ch04-curves: MLP-conditional training and validation NLL per epoch.
# Reads build/ch04/train.tsv.
name = 'ch04-curves'
load 'chapters/figures/common.gp'
set xlabel 'epoch'
set ylabel 'NLL (nats per image)'
set key top right
set xrange [0.5:*]
plot 'build/ch04/train.tsv' using 1:2 with linespoints pt 7 ps 0.5 lw 2 lc rgb c_model title 'training (running mean)', \
     '' using 1:3 with linespoints pt 7 ps 0.5 lw 2 lc rgb c_alt title 'validation'
