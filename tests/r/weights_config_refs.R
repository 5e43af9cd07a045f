# Reference values for the `weighting:` / `design:` CONFIG sections (tests/test_weighting_config.py).
# Run from the repository root:
#   Rscript tests/r/weights_config_refs.R > tests/refs_weights_config.py
# R 4.x with the survey package (Debian: apt-get install r-base-core r-cran-survey; here
# survey 4.1.1).  Inputs: tests/r/weights_gen.csv (written by tests/r/make_weights_data.py) and
# the SFO passenger survey at ../shared/realdata/sfo_customer_survey/ (optional).
# (tests/r/weights_refs.R holds the API references; this script only what the configs need.)
suppressPackageStartupMessages(library(survey))
options(survey.lonely.psu = "fail")
f <- function(x) paste0("[", paste(sprintf("%.12g", x), collapse = ", "), "]")
py <- function(name, x) cat(sprintf("%s = %s\n", name, if (length(x) == 1) sprintf("%.12g", x) else f(x)))
cat('"""Reference values from R survey', as.character(packageVersion("survey")),
    '(written by tests/r/weights_config_refs.R; do not edit by hand)."""\n\n')

nps_x <- function(s) ifelse(s >= 9, 100, ifelse(s <= 6, -100, 0))
ctl <- list(maxit = 1000, epsilon = 1e-13)
g <- read.csv("tests/r/weights_gen.csv", stringsAsFactors = FALSE)
g$x <- nps_x(g$nps)
g$top <- 100 * (g$csat >= 4)
N_PSU <- c(S1 = 20, S2 = 15, S3 = 30, S4 = 10)   # = g$fpc per stratum (PSUs in the population)

# ------------------------------------------- 1. fpc from the config: column, {stratum: N}, f, one N
# (a) fpc: fpc (a segment of the PSUs in the population per stratum) and (b) fpc: {S1: 20, ...}
dcol <- svydesign(ids = ~psu, strata = ~stratum, weights = ~w0, fpc = ~fpc, data = g, nest = TRUE)
# (c) fpc as sampling fractions per stratum: {S1: 6/20, ...} (PSUs sampled / PSUs in population)
n_psu <- tapply(g$psu, g$stratum, function(p) length(unique(p)))
g$frac <- (n_psu / N_PSU[names(n_psu)])[g$stratum]
dfrac <- svydesign(ids = ~psu, strata = ~stratum, weights = ~w0, fpc = ~frac, data = g, nest = TRUE)
for (nm in c("COL", "FRAC")) {
  d <- if (nm == "COL") dcol else dfrac
  for (v in c("x", "top", "csat")) {
    m <- svymean(as.formula(paste0("~", v)), d)
    py(sprintf("FPC_%s_%s_MEAN", nm, toupper(v)), coef(m)); py(sprintf("FPC_%s_%s_SE", nm, toupper(v)), SE(m))
  }
}
py("FPC_COL_DEGF", degf(dcol))
b <- svyby(~x, ~brand, dcol, svymean)
cat(sprintf("FPC_BY_BRAND_LEVELS = [%s]\n", paste0('"', b$brand, '"', collapse = ", ")))
py("FPC_BY_BRAND_MEAN", coef(b)); py("FPC_BY_BRAND_SE", SE(b))
t <- svyttest(x ~ period, dcol)
py("FPC_TTEST_PERIOD_DIFF", unname(t$estimate)); py("FPC_TTEST_PERIOD_T", unname(t$statistic))
py("FPC_TTEST_PERIOD_DF", unname(t$parameter)); py("FPC_TTEST_PERIOD_P", t$p.value)
# (d) one number for every stratum: strata only (each response its own PSU), N_h = 400 each
g$N400 <- 400
dconst <- svydesign(ids = ~1, strata = ~stratum, weights = ~w0, fpc = ~N400, data = g)
m <- svymean(~x, dconst)
py("FPC_CONST_X_MEAN", coef(m)); py("FPC_CONST_X_SE", SE(m)); py("FPC_CONST_DEGF", degf(dconst))
# (e) one sampling fraction for every stratum: f = 0.25
g$f25 <- 0.25
m <- svymean(~x, svydesign(ids = ~1, strata = ~stratum, weights = ~w0, fpc = ~f25, data = g))
py("FPC_CONST_FRAC_X_SE", SE(m))
# (f) clusters only (no strata), one N = 100 PSUs in the population
g$N100 <- 100
m <- svymean(~x, svydesign(ids = ~psu, weights = ~w0, fpc = ~N100, data = g))
py("FPC_CLUSTER_CONST_X_SE", SE(m))

# ------------------------------------------- 2. raked in the config, with rows missing a variable
# The test blanks these cells in a copy of weights_gen.csv; the loader excludes the rows
# ("missing raking variable" / "missing design variable"), so R works on the rest.
blank_region <- c("R0005", "R0150", "R0151")
blank_stratum <- c("R0010", "R0420")
blank_psu <- c("R0300")
cat(sprintf("BLANK_REGION = [%s]\n", paste0('"', blank_region, '"', collapse = ", ")))
cat(sprintf("BLANK_STRATUM = [%s]\n", paste0('"', blank_stratum, '"', collapse = ", ")))
cat(sprintf("BLANK_PSU = [%s]\n", paste0('"', blank_psu, '"', collapse = ", ")))
k <- g[!(g$respondent_id %in% c(blank_region, blank_stratum, blank_psu)), ]
py("KEPT_N", nrow(k))
W <- sum(k$w0)
pr <- data.frame(region = c("North", "South", "East"), Freq = c(0.30, 0.45, 0.25) * W)  # fractions
pa <- data.frame(age = c("18-34", "35-54", "55+"), Freq = c(20, 50, 30) / 100 * W)       # percent
r <- rake(svydesign(ids = ~1, weights = ~w0, data = k), list(~region, ~age), list(pr, pa),
          control = ctl)
k$wr <- weights(r)
py("KEPT_RAKE_WEIGHTS_FIRST", k$wr[1:12]); py("KEPT_RAKE_SUM", sum(k$wr))
py("KEPT_RAKE_NEFF", sum(k$wr)^2 / sum(k$wr^2))
dk <- svydesign(ids = ~psu, strata = ~stratum, weights = ~wr, fpc = ~fpc, data = k, nest = TRUE)
m <- svymean(~x, dk)
py("KEPT_RAKED_FPC_X_MEAN", coef(m)); py("KEPT_RAKED_FPC_X_SE", SE(m)); py("KEPT_DEGF", degf(dk))
b <- svyby(~x, ~brand, dk, svymean)
py("KEPT_BY_BRAND_MEAN", coef(b)); py("KEPT_BY_BRAND_SE", SE(b))

# ------------------------------------------- 3. SFO 2018 raked and stratified from a config (optional)
sfo_dir <- "../shared/realdata/sfo_customer_survey"
if (dir.exists(sfo_dir)) {
  s <- read.csv(file.path(sfo_dir, "2018_SFO_Customer_Survey.csv"), strip.white = TRUE)
  names(s) <- trimws(names(s))
  s <- s[!is.na(s$NETPRO) & s$NETPRO != 11, ]
  s$x <- nps_x(s$NETPRO)
  py("SFO18_N", nrow(s))
  W <- sum(s$WEIGHT)
  # invented boarding-area shares as fractions, time of day (STRATA) in percent
  pb <- data.frame(BAREA = c("A", "B", "C", "D", "E", "F", "G"),
                   Freq = c(0.25, 0.08, 0.08, 0.17, 0.07, 0.15, 0.20) * W)
  pt <- data.frame(STRATA = c(1, 2, 3), Freq = c(30, 35, 35) / 100 * W)
  r <- rake(svydesign(ids = ~1, weights = ~WEIGHT, data = s), list(~BAREA, ~STRATA), list(pb, pt),
            control = ctl)
  s$wr <- weights(r)
  py("SFO18_CFG_RAKE_FIRST", s$wr[1:10]); py("SFO18_CFG_RAKE_NEFF", sum(s$wr)^2 / sum(s$wr^2))
  d <- svydesign(ids = ~1, strata = ~STRATA, weights = ~wr, data = s)
  m <- svymean(~x, d)
  py("SFO18_CFG_X_MEAN", coef(m)); py("SFO18_CFG_X_SE", SE(m)); py("SFO18_CFG_DEGF", degf(d))
  b <- svyby(~x, ~BAREA, d, svymean)
  cat(sprintf("SFO18_CFG_BAREA_LEVELS = [%s]\n", paste0('"', b$BAREA, '"', collapse = ", ")))
  py("SFO18_CFG_BAREA_MEAN", coef(b)); py("SFO18_CFG_BAREA_SE", SE(b))
}
