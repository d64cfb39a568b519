# chA-data: the first 50 binarized test images of mnist and of fashion.
# Reads build/data-mnist/test-grid.dat and build/data-fashion/test-grid.dat
# (gnuplot matrices written by `autoreg data info NAME --out DIR`).
name = 'chA-data'
load 'chapters/figures/common.gp'
if (term eq 'pdf') { set terminal pdfcairo size 6.4in,1.8in } else { set terminal pngcairo size 1200,340 }
set lmargin 0
set rmargin 0
set tmargin 2.5
set bmargin 0
set output sprintf('build/figures/%s.%s', name, term)
set datafile separator whitespace
unset border
unset tics
unset key
unset colorbox
unset grid
set palette gray negative    # ink (1) black, paper (0) white, gaps grey
set cbrange [0:1]
set size ratio -1
set yrange [*:*] reverse
set multiplot layout 1,2
set title 'mnist'
plot 'build/data-mnist/test-grid.dat' matrix with image
set title 'fashion'
plot 'build/data-fashion/test-grid.dat' matrix with image
unset multiplot
