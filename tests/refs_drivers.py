"""Reference values for tests/test_drivers.py, computed OUTSIDE cxkit.

1. R 4.2.2 (Debian r-base-core), the `swiss` data of R's datasets package (copied to
   tests/fixtures/swiss.csv with ``write.csv(swiss)``): LMG shares of R² for
   ``lm(Fertility ~ ., swiss)`` computed in base R by fitting ``lm`` on every order of entry
   (all 5! = 120) and averaging the R² increments — the definition of Lindeman, Merenda &
   Gold (1980) that relaimpo's ``calc.relimp(type = "lmg")`` implements (Grömping 2006):

       d <- swiss; y <- "Fertility"; xs <- setdiff(names(d), y)
       r2 <- function(s) if (length(s) == 0) 0 else summary(lm(reformulate(s, y), d))$r.squared
       perms <- function(v) ...            # all orders
       for (o in perms(xs)) for (k in seq_along(o))
           imp[o[k]] <- imp[o[k]] + r2(o[1:k]) - r2(o[seq_len(k - 1)])
       imp / 120

   The values agree with the swiss example of relaimpo's documentation to the digits printed
   there (Agriculture .057, Examination .171, Education .260, Catholic .106,
   Infant.Mortality .113; R² .707).
2. Johnson's (2000) relative weights for the same model, from the base-R transcription of the
   paper's steps (Kabacoff, *R in Action*, ``relweights``: eigen(rxx), lambda = V sqrt(D) V',
   beta = solve(lambda) rxy, raw = lambda² beta²).
3. Pain map of a tiny table, by hand (see the test).
"""

SWISS_R2 = 0.706735001592726
SWISS_LMG = {
    "Agriculture": 0.0570912207680911,
    "Examination": 0.1711730289002344,
    "Education": 0.2601346786243840,
    "Catholic": 0.1055701503734936,
    "Infant.Mortality": 0.1127659229265220,
}
SWISS_JOHNSON = {
    "Agriculture": 0.0484168958119006,
    "Examination": 0.1547082498061600,
    "Education": 0.2719641046459990,
    "Catholic": 0.1146800299475615,
    "Infant.Mortality": 0.1169657213811046,
}

# 3. tiny pain map: outcome 0-10, one driver 1-5 (low = 1-2)
TINY_NPS = [0, 3, 9, 10, 10, 8, 9, 2, 6, 10]
TINY_STAFF = [1, 2, 5, 5, 4, 4, 5, 1, 3, 2]
# low raters: rows 0, 1, 7, 9 -> scores 0, 3, 2, 10 -> NPS (-100 -100 -100 +100)/4 = -50
# the rest: 9, 10, 10, 8, 9, 6 -> (+100 +100 +100 0 +100 -100)/6 = 50
# share low 4/10; gain = 0.4 * (50 - (-50)) = 40
TINY_SCORE_LOW = -50.0
TINY_SCORE_REST = 50.0
TINY_GAIN = 40.0
# detractors (0-6): rows 0, 1, 7, 8 -> low on staff: rows 0, 1, 7 -> 3 of 4 = 75 %
TINY_GROUP_LOW_SHARE = 75.0
