# ch06-parseq: milliseconds per image to evaluate -log p(x) of N test
# digits (one thread; T threads over the images; NADE with each image
# in T blocks of pixels) against drawing N samples (one RNG stream, one
# thread), for the models of chapters 3-5, log scale. Reads
# build/ch06/parseq.tsv; N and T from build/ch06/values.tsv.
name = 'ch06-parseq'
load 'chapters/figures/common.gp'
val(k) = system(sprintf("awk -F '\t' '$1==\"%s\"{print $2}' build/ch06/values.tsv", k))
T = val('parseq_threads')
set datafile missing '-'
set style data histogram
set style histogram clustered gap 1.5
set style fill solid 0.85 border rgb 'white'
set boxwidth 0.95
set logscale y
set format y '10^{%L}'
set yrange [*:*]
set ylabel sprintf('milliseconds per image (N = %s)', val('parseq_n'))
set xtics nomirror scale 0
set grid noxtics ytics lw 0.5 lc rgb '#dddddd'
set key below maxrows 2 samplen 1.5
plot 'build/ch06/parseq.tsv' using 2:xtic(1) lc rgb c_exact title 'evaluate, 1 thread', \
     '' using 3 lc rgb c_model title sprintf('evaluate, %s threads over images', T), \
     '' using 4 lc rgb c_third title sprintf('evaluate, %s blocks per image', T), \
     '' using 5 lc rgb c_alt title 'sample, 1 thread'
