# ch07-masks: the two masks of a small MADE (d = 16 pixels in a random
# order, h = 24 units with sorted degrees): M (units x pixels) and M'
# (pixels x units), pixels listed by their place in the order. Reads
# build/ch07/mask-in.dat and build/ch07/mask-out.dat (0/1 matrices).
name = 'ch07-masks'
load 'chapters/figures/common.gp'
if (term eq 'pdf') { set terminal pdfcairo size 5.6in,2.6in fontscale 0.7 } else { set terminal pngcairo size 1000,460 }
set output sprintf('build/figures/%s.%s', name, term)
set datafile separator whitespace
unset key; unset colorbox; unset grid
set border 15 lw 0.5
set palette defined (0 'white', 1 '#1f77b4')
set cbrange [0:1]
set size ratio -1
set yrange [*:*] reverse
set tics scale 0 font ',8'
set multiplot layout 1,2
set title "M: input (column, by place) feeds unit (row)"
set xlabel 'pixel, by place in the order'; set ylabel 'hidden unit k (degree grows down)'
plot 'build/ch07/mask-in.dat' matrix using ($1+1):($2+1):3 with image
set title "M': unit (column) feeds output (row)"
set xlabel 'hidden unit k'; set ylabel 'output, by place in the order'
plot 'build/ch07/mask-out.dat' matrix using ($1+1):($2+1):3 with image
unset multiplot
