# ch08-curves: PixelCNN training and validation NLL per epoch, with
# NADE's best validation NLL of chapter 5 for reference. Reads
# build/ch08/train.tsv and the values of both chapters.
name = 'ch08-curves'
load 'chapters/figures/common.gp'
val(f, k) = real(system(sprintf("awk -F '\t' '$1==\"%s\"{print $2}' %s", k, f)))
nade = system("test -f build/ch05/values.tsv && echo 1") eq "1" ? val('build/ch05/values.tsv', 'best_valid') : NaN
set xlabel 'epoch'
set ylabel 'NLL (nats per image)'
set key top right
set xrange [0.5:*]
plot 'build/ch08/train.tsv' using 1:2 with linespoints pt 7 ps 0.5 lw 2 lc rgb c_model title 'PixelCNN training (running mean)', \
     '' using 1:3 with linespoints pt 7 ps 0.5 lw 2 lc rgb c_alt title 'PixelCNN validation', \
     nade with lines dt 2 lw 1.5 lc rgb c_exact title 'best NADE validation (chapter 5)'
