# ch08-field: the gradient of the centre pixel's logit by each pixel,
# |d logit_i / d x_j| by backpropagation, averaged over test images, from
# the trained PixelCNN: its receptive field, blind spot included. Reads
# build/ch08/field.dat (the centre is NaN).
name = 'ch08-field'
load 'chapters/figures/common.gp'
if (term eq 'pdf') { set terminal pdfcairo size 3.4in,3.0in fontscale 0.7 } else { set terminal pngcairo size 600,520 }
set output sprintf('build/figures/%s.%s', name, term)
set datafile separator whitespace
unset border; unset tics; unset key; unset grid
set cbtics format '10^{%L}'
set size ratio -1
set yrange [*:*] reverse
set logscale cb
set cbrange [1e-6:*]
set palette defined (0 '#ffffff', 1 '#c6dbef', 2 '#2171b5', 3 '#08306b')
set cblabel 'mean |d logit_i / d x_j|' offset 1,0
set title 'the centre pixel (red) and its field'
set object 1 rect from 13.5,13.5 to 14.5,14.5 fc rgb '#d62728' fs solid noborder front
plot 'build/ch08/field.dat' matrix using 1:2:($3 > 0 ? $3 : 1e-9) with image
