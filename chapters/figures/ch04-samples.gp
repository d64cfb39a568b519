# ch04-samples: 100 samples of the MLP-conditional model beside 100 FVSBN samples.
# Reads build/ch04/samples.dat and build/ch03/samples.dat.
name = 'ch04-samples'
load 'chapters/figures/common.gp'
if (term eq 'pdf') { set terminal pdfcairo size 6.0in,3.1in fontscale 0.7 } else { set terminal pngcairo size 1100,580 }
set output sprintf('build/figures/%s.%s', name, term)
set datafile separator whitespace
unset border; unset tics; unset key; unset colorbox; unset grid
set palette gray negative
set cbrange [0:1]
set size ratio -1
set yrange [*:*] reverse
set lmargin 1; set rmargin 1; set bmargin 0; set tmargin 2
# chapter 3's samples when that chapter has run, else this chapter's alone
have3 = system("test -f build/ch03/samples.dat && echo 1") eq "1"
if (have3) { set multiplot layout 1,2 }
set title 'MLP-conditional samples (chapter 4)'
plot 'build/ch04/samples.dat' matrix with image
if (have3) {
    set title 'FVSBN samples (chapter 3)'
    plot 'build/ch03/samples.dat' matrix with image
    unset multiplot
}
