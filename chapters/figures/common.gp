# common.gp - loaded by every figure script after it sets `name`.
# The Makefile runs each script twice: term='pdf' (for the PDF handbook)
# and term='png' (for the HTML handbook and quick looks). Scripts read
# run outputs under build/chNN/ and write build/figures/NAME.{pdf,png}.
if (!exists("term")) term = 'pdf'
if (term eq 'pdf') {
    set terminal pdfcairo size 5.2in,3.0in font 'Latin Modern Roman,10' fontscale 0.7 enhanced
} else {
    set terminal pngcairo size 900,520 font 'Latin Modern Roman,13' fontscale 1.0 enhanced
}
set output sprintf('build/figures/%s.%s', name, term)
set datafile separator "\t"
set datafile commentschars "#"
set border 3 lw 0.8
set tics nomirror out scale 0.6
set grid ytics lw 0.5 lc rgb '#dddddd'
set key top right noautotitle samplen 2 spacing 1.1
# one palette for the whole book
c_exact = '#333333'
c_model = '#1f77b4'
c_alt   = '#d95f02'
c_third = '#1b9e77'
