# ch05-fields: the input weights (rows of W) of the 25 hidden units with
# the largest weights, each scaled to [-1, 1]. Reads build/ch05/fields.dat.
name = 'ch05-fields'
load 'chapters/figures/common.gp'
if (term eq 'pdf') { set terminal pdfcairo size 3.6in,3.4in fontscale 0.7 } else { set terminal pngcairo size 640,600 }
set output sprintf('build/figures/%s.%s', name, term)
set datafile separator whitespace
set datafile missing 'NaN'
unset border; unset tics; unset key; unset grid
set size ratio -1
set yrange [*:*] reverse
set cbrange [-1:1]
set palette defined (-1 '#2166ac', 0 '#f7f7f7', 1 '#b2182b')
set cbtics font ',9'
set lmargin 1; set rmargin 6; set bmargin 1; set tmargin 1
plot 'build/ch05/fields.dat' matrix with image
