# ch02-fit: fitted vs true probabilities of the 8 configurations, for the
# FVSBN-generated data (left) and for XOR (right). Reads build/ch02/fitted.tsv.
name = 'ch02-fit'
load 'chapters/figures/common.gp'
if (term eq 'pdf') { set terminal pdfcairo size 6.4in,2.8in } else { set terminal pngcairo size 1100,500 }
set output sprintf('build/figures/%s.%s', name, term)
set multiplot layout 1,2
set style fill solid 0.85 border -1
set xrange [-0.6:7.6]
set yrange [0:0.5]
set xlabel 'configuration x_1x_2x_3'
set ylabel 'probability'
set key top left
set title 'data from a known FVSBN'
set boxwidth 0.36
plot 'build/ch02/fitted.tsv' using 0:(NaN):xtic(1) with points notitle, \
     '' using ($0-0.19):2 with boxes lc rgb c_exact title 'true', \
     '' using ($0+0.19):3 with boxes lc rgb c_model title 'fitted FVSBN'
set title 'x_3 = x_1 XOR x_2'
set boxwidth 0.25
unset ylabel
plot 'build/ch02/fitted.tsv' using 0:(NaN):xtic(1) with points notitle, \
     '' using ($0-0.27):4 with boxes lc rgb c_exact title 'true', \
     '' using ($0):5 with boxes lc rgb c_model title 'fitted FVSBN (6 numbers)', \
     '' using ($0+0.27):6 with boxes lc rgb c_third title 'fitted table (7 numbers)'
unset multiplot
