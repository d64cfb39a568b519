# ch08-completion: the PixelCNN completes the bottom half of the ten test
# digits of chapter 6's figure, five times each, beside chapter 5's NADE
# (chapter 6's completions). Reads build/ch08/completion.dat and, if it
# ran, build/ch06/completion.dat: per row the digit, its given top half,
# five completions; values 0 paper, 0.25 not given, 0.5 gap, 0.75
# sampled ink, 1 given ink.
name = 'ch08-completion'
load 'chapters/figures/common.gp'
if (term eq 'pdf') { set terminal pdfcairo size 6.2in,4.6in font 'Latin Modern Roman,10' fontscale 0.7 } else { set terminal pngcairo size 1100,820 font 'Latin Modern Roman,13' }
set output sprintf('build/figures/%s.%s', name, term)
set datafile separator whitespace
unset border; unset tics; unset key; unset colorbox; unset grid
set palette defined (0 'white', 0.25 '#d9d9d9', 0.5 'white', 0.75 '#1f77b4', 1 'black')
set cbrange [0:1]
set size ratio -1
set yrange [*:*] reverse
set lmargin 1; set rmargin 1; set bmargin 0.5; set tmargin 3
have6 = system("test -f build/ch06/completion.dat && echo 1") eq "1"
if (have6) { set multiplot layout 1,2 }
set title 'PixelCNN (chapter 8): digit, given, five completions'
plot 'build/ch08/completion.dat' matrix with image
if (have6) {
    set title 'NADE (chapter 6)'
    plot 'build/ch06/completion.dat' matrix with image
    unset multiplot
}
