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
set tics scale 0 font ',8'
# sizes from the files: columns of the first line, number of lines
D = int(system("head -n 1 build/ch07/mask-in.dat | wc -w"))
H = int(system("wc -l < build/ch07/mask-in.dat"))
set multiplot layout 1,2
set title "M (unit k, input j)"
set xlabel 'input j, by place'; set ylabel 'unit k (degree grows down)'
set xrange [0.5:D+0.5]; set yrange [H+0.5:0.5]
set xtics 4; set ytics 4
plot 'build/ch07/mask-in.dat' matrix using ($1+1):($2+1):3 with image
set title "M' (output i, unit k)"
set xlabel 'unit k'; set ylabel 'output i, by place'
set xrange [0.5:H+0.5]; set yrange [D+0.5:0.5]
plot 'build/ch07/mask-out.dat' matrix using ($1+1):($2+1):3 with image
unset multiplot
