# ch03-weights: the weights w_ij of the centre pixel's conditional, one
# per earlier pixel j, as a 28 x 28 image (blank: pixels after it).
# Reads build/ch03/weights-centre.dat and values.tsv.
name = 'ch03-weights'
load 'chapters/figures/common.gp'
if (term eq 'pdf') { set terminal pdfcairo size 3.6in,3.0in } else { set terminal pngcairo size 640,540 }
set output sprintf('build/figures/%s.%s', name, term)
val(k) = real(system(sprintf("awk -F '\t' '$1==\"%s\"{print $2}' build/ch03/values.tsv", k)))
r = val('centre_row')
c = val('centre_col')
set datafile separator whitespace
set datafile missing 'NaN'
unset border; unset tics; unset key; unset grid
set size ratio -1
set xrange [-0.5:27.5]
set yrange [27.5:-0.5]
# blue negative, white zero, red positive, symmetric around 0
m = val('centre_wmax')
set cbrange [-m:m]
set palette defined (-1 '#2166ac', 0 '#f7f7f7', 1 '#b2182b')
set cbtics font ',9'
set object 1 rect from c-0.5, r-0.5 to c+0.5, r+0.5 front fs empty border lc rgb '#000000' lw 1.5
set title sprintf('weights into pixel (%d, %d)', r, c)
# the whole 28 x 28 frame in light grey: pixels after the centre have no
# weight into it
set object 2 rect from -0.5,-0.5 to 27.5,27.5 behind fc rgb '#e8e8e8' fs solid noborder
plot 'build/ch03/weights-centre.dat' matrix with image
