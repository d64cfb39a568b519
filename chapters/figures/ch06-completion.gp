# ch06-completion: chapter 5's NADE completes the bottom half of ten
# test digits, five times each. Reads build/ch06/completion.dat: per
# row the digit, its given top half, five completions; values 0 paper,
# 0.25 not given, 0.5 gap, 0.75 sampled ink, 1 given ink.
name = 'ch06-completion'
load 'chapters/figures/common.gp'
if (term eq 'pdf') { set terminal pdfcairo size 4.2in,5.4in font 'Latin Modern Roman,10' fontscale 0.7 } else { set terminal pngcairo size 560,720 font 'Latin Modern Roman,13' }
set output sprintf('build/figures/%s.%s', name, term)
set datafile separator whitespace
unset border; unset tics; unset key; unset colorbox; unset grid
set palette defined (0 'white', 0.25 '#d9d9d9', 0.5 'white', 0.75 '#1f77b4', 1 'black')
set cbrange [0:1]
set size ratio -1
set yrange [*:*] reverse
set lmargin 1; set rmargin 1; set bmargin 0.5; set tmargin 3
set label 'digit' at 13.5, -7 center
set label 'given' at 42.5, -7 center
set label 'five completions (blue: sampled)' at 130, -7 center
plot 'build/ch06/completion.dat' matrix with image
