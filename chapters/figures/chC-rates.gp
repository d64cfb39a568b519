# chC-rates: the useful GFLOP/s of every kernel the chapters timed
# (chapter code and appendix C's kernel side by side, log scale), with
# the machine's multiply-add peak on all threads and on one measured in
# the same build. Reads build/chC/rates.tsv and build/chC/values.tsv.
name = 'chC-rates'
load 'chapters/figures/common.gp'
peak_all = real(system("awk -F '\t' '$1 == \"peak_all\" { print $2 }' build/chC/values.tsv"))
peak_one = real(system("awk -F '\t' '$1 == \"peak_one\" { print $2 }' build/chC/values.tsv"))
threads = system("awk -F '\t' '$1 == \"peak_threads\" { print $2 }' build/chC/values.tsv")
set logscale y
set yrange [1:peak_all * 30]
set ylabel 'useful GFLOP/s (log scale)'
set style fill solid 0.85 border -1
set boxwidth 0.7
set xtics rotate by -30 left
set key top left reverse Left opaque maxrows 2 width 0
set grid noxtics ytics
# the chapter's code in one colour, the kernel of appendix C in another
plot 'build/chC/rates.tsv' every ::1 using 0:(strcol(2) eq 'appendix C' ? NaN : $3):xtic(1) with boxes lc rgb c_alt title "the chapter's code", \
     '' every ::1 using 0:(strcol(2) eq 'appendix C' ? $3 : NaN):xtic(1) with boxes lc rgb c_model title 'the kernel of this appendix', \
     '' every ::1 using 0:3:(sprintf('%s%%', strcol(4))) with labels offset 0,0.7 font ',9' notitle, \
     peak_all with lines dt 2 lw 1.5 lc rgb c_exact title sprintf('peak, %s threads: %.0f', threads, peak_all), \
     peak_one with lines dt 3 lw 1.5 lc rgb c_exact title sprintf('peak, 1 thread: %.0f', peak_one)
