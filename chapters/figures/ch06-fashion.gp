# ch06-fashion: 100 samples of NADE trained on Fashion-MNIST beside 100
# real binarized test items. Reads build/ch06/fashion-nade/samples.dat
# and build/ch06/fashion-real.dat.
name = 'ch06-fashion'
load 'chapters/figures/common.gp'
if (term eq 'pdf') { set terminal pdfcairo size 6.0in,3.1in font 'Latin Modern Roman,10' fontscale 0.7 } else { set terminal pngcairo size 1100,580 font 'Latin Modern Roman,13' }
set output sprintf('build/figures/%s.%s', name, term)
set datafile separator whitespace
unset border; unset tics; unset key; unset colorbox; unset grid
set palette gray negative
set cbrange [0:1]
set size ratio -1
set yrange [*:*] reverse
set lmargin 1; set rmargin 1; set bmargin 0; set tmargin 2
set multiplot layout 1,2
set title 'NADE samples (Fashion-MNIST)'
plot 'build/ch06/fashion-nade/samples.dat' matrix with image
set title 'real test items'
plot 'build/ch06/fashion-real.dat' matrix with image
unset multiplot
