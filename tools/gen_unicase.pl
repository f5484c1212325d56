# Regenerates src/unicase_table.rs: perl tools/gen_unicase.pl && mv unicase_table.rs src/ (takes ~4 min).
# HashLink maps UPPER through the simple *titlecase* mapping and LOWER through the simple
# lowercase mapping of the Unicode 7.0 BMP; identity mappings are omitted.
use strict; use Unicode::UCD qw(charinfo charprop);
sub agever { my $a = charprop($_[0], "Age"); return 999 if !defined $a || $a eq 'Unassigned'; $a =~ s/^V//; $a =~ s/_/./; return $a+0; }
my (@up, @lo);
for my $c (0..0xFFFF) {
  next if $c >= 0xD800 && $c <= 0xDFFF;
  my $i = charinfo($c) or next;
  next if agever($c) > 7.0;
  if ($i->{title} ne '') { my $t = hex $i->{title}; push @up, [$c,$t] if $t != $c && $t <= 0xFFFF && agever($t) <= 7.0; }
  if ($i->{lower} ne '') { my $t = hex $i->{lower}; push @lo, [$c,$t] if $t != $c && $t <= 0xFFFF && agever($t) <= 7.0; }
}
print STDERR scalar(@up), " upper, ", scalar(@lo), " lower\n";
open my $f, '>', 'unicase_table.rs';
print $f "// Generated from the Unicode Character Database (perl Unicode::UCD), restricted to\n// characters assigned in Unicode 7.0 or earlier. Do not edit by hand.\n\n";
for my $pair (['TO_UPPER', \@up, 'titlecase'], ['TO_LOWER', \@lo, 'lowercase']) {
  my ($n, $l, $what) = @$pair;
  print $f "/// `(code unit, simple $what mapping)` pairs, sorted by code unit.\npub(crate) static $n: [(u16, u16); ".scalar(@$l)."] = [\n";
  my $k = 0;
  for (@$l) { print $f "    " if $k % 6 == 0; printf $f "(0x%04X, 0x%04X),", @$_; $k++; print $f ($k % 6 == 0 ? "\n" : " "); }
  print $f "\n" if $k % 6; print $f "];\n\n";
}
