# ch08-samples: 100 PixelCNN samples beside 100 NADE samples (chapter 5)
# and 100 MADE samples (chapter 7, one mask). Reads build/ch08/samples.dat
# and, for those chapters that ran, build/ch05/samples.dat and
# build/ch07/samples.dat.
name = 'ch08-samples'
load 'chapters/figures/common.gp'
if (term eq 'pdf') { set terminal pdfcairo size 6.3in,2.3in fontscale 0.7 } else { set terminal pngcairo size 1200,440 }
set output sprintf('build/figures/%s.%s', name, term)
set datafile separator whitespace
unset border; unset tics; unset key; unset colorbox; unset grid
set palette gray negative
set cbrange [0:1]
set size ratio -1
set yrange [*:*] reverse
set lmargin 1; set rmargin 1; set bmargin 0; set tmargin 2
have5 = system("test -f build/ch05/samples.dat && echo 1") eq "1"
have7 = system("test -f build/ch07/samples.dat && echo 1") eq "1"
panels = 1 + have5 + have7
if (panels > 1) { set multiplot layout 1,panels }
set title 'PixelCNN (chapter 8)'
plot 'build/ch08/samples.dat' matrix with image
if (have5) {
    set title 'NADE (chapter 5)'
    plot 'build/ch05/samples.dat' matrix with image
}
if (have7) {
    set title 'MADE, one mask (chapter 7)'
    plot 'build/ch07/samples.dat' matrix with image
}
if (panels > 1) { unset multiplot }
