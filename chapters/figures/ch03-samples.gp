# ch03-samples: 100 FVSBN samples beside 100 real binarized test digits.
# Reads build/ch03/samples.dat and build/ch03/test-digits.dat.
name = 'ch03-samples'
load 'chapters/figures/common.gp'
if (term eq 'pdf') { set terminal pdfcairo size 6.0in,3.1in } else { set terminal pngcairo size 1100,580 }
set output sprintf('build/figures/%s.%s', name, term)
set datafile separator whitespace
unset border; unset tics; unset key; unset colorbox; unset grid
set palette gray negative
set cbrange [0:1]
set size ratio -1
set yrange [*:*] reverse
set lmargin 1; set rmargin 1; set bmargin 0; set tmargin 2
set multiplot layout 1,2
set title 'FVSBN samples'
plot 'build/ch03/samples.dat' matrix with image
set title 'real test digits'
plot 'build/ch03/test-digits.dat' matrix with image
unset multiplot
