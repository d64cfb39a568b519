# ch09-bits: bits per image of the test sets, coded by each model of
# chapters 3-8 (the file's size, header included) and by the standard
# compressors on the same bitmaps. Reads build/ch09/bits.dat.
name = 'ch09-bits'
load 'chapters/figures/common.gp'
set style data histogram
set style histogram clustered gap 1.5
set style fill solid 0.85 border -1
set boxwidth 0.9
set ylabel 'bits per image (test set)'
set yrange [0:*]
set xtics rotate by -30 left scale 0 font ',9'
set key top left
set rmargin 8
val(k) = system(sprintf("awk -F '\t' '$1==\"%s\"{print $2}' build/ch09/values.tsv", k))
plot 'build/ch09/bits.dat' using 2:xtic(1) lc rgb c_model title sprintf('mnist (%s test digits)', val('mnist_images')), \
     '' using 3 lc rgb c_alt title sprintf('fashion (%s test images)', val('fashion_images'))
