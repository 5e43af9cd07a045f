# Reference values for cxkit's raking and design-based variance (tests/test_weighting.py,
# tests/test_design.py, tests/test_design_results.py, tests/test_design_domain.py).  Run from
# the repository root:
#   SFO_DIR=/work/shared/realdata/sfo_customer_survey Rscript tests/r/weights_refs.R > tests/refs_weights.py
# (SFO_DIR=/path/to/sfo_customer_survey when the real data are not at ../shared/realdata)
# R 4.x with the survey package (Debian: apt-get install r-base-core r-cran-survey; here
# survey 4.1.1).  Inputs: tests/r/weights_gen.csv (written by tests/r/make_weights_data.py),
# tests/r/design_gen.csv and tests/r/design_missing.csv (make_design_data.py, make_design_missing.py)
# and the SFO passenger survey at ../shared/realdata/sfo_customer_survey/ (optional).
suppressPackageStartupMessages(library(survey))
options(survey.lonely.psu = "fail")
f <- function(x) paste0("[", paste(sprintf("%.12g", x), collapse = ", "), "]")
py <- function(name, x) cat(sprintf("%s = %s\n", name, if (length(x) == 1) sprintf("%.12g", x) else f(x)))
cat('"""Reference values from R survey', as.character(packageVersion("survey")),
    '(written by tests/r/weights_refs.R; do not edit by hand)."""\n\n')

nps_x <- function(s) ifelse(s >= 9, 100, ifelse(s <= 6, -100, 0))

# IPF to convergence, then survey::trimWeights(strict = TRUE) and rake again until the margins
# hold with every weight within [lo, hi] x mean weight (cxkit.rake's trim loop).
rake_trim <- function(des, margins, pop, lo = NULL, hi = NULL) {
  ctl <- list(maxit = 1000, epsilon = 1e-13)
  des <- rake(des, margins, pop, control = ctl)
  if (is.null(hi)) return(des)
  m <- mean(weights(des))
  for (k in 1:2000) {
    des <- trimWeights(des, lower = lo * m, upper = hi * m, strict = TRUE)
    w <- weights(des)
    gap <- max(sapply(seq_along(margins), function(i) {
      v <- all.vars(margins[[i]]); got <- tapply(w, des$variables[[v]], sum)
      max(abs(got[as.character(pop[[i]][[v]])] - pop[[i]]$Freq))
    })) / sum(w)
    if (gap < 1e-9) break
    des <- rake(des, margins, pop, control = ctl)
  }
  des
}

# ---------------------------------------------------------------- generated data
g <- read.csv("tests/r/weights_gen.csv", stringsAsFactors = FALSE)
g$x <- nps_x(g$nps)
g$top <- 100 * (g$csat >= 4)
W <- sum(g$w0)
pr <- data.frame(region = c("North", "South", "East"), Freq = c(30, 45, 25) / 100 * W)
pa <- data.frame(age = c("18-34", "35-54", "55+"), Freq = c(20, 50, 30) / 100 * W)
d0 <- svydesign(ids = ~1, weights = ~w0, data = g)
r1 <- rake_trim(d0, list(~region, ~age), list(pr, pa))
py("GEN_RAKE_WEIGHTS", weights(r1))
r2 <- rake_trim(d0, list(~region, ~age), list(pr, pa), lo = 0.5, hi = 2)
py("GEN_RAKE_TRIM_WEIGHTS", weights(r2))
# no base weight: shares of n
d1 <- svydesign(ids = ~1, weights = ~rep(1, nrow(g)), data = g)
n <- nrow(g)
r3 <- rake_trim(d1, list(~region, ~age),
                list(transform(pr, Freq = Freq / W * n), transform(pa, Freq = Freq / W * n)))
py("GEN_RAKE_UNWEIGHTED", weights(r3))

dd <- svydesign(ids = ~psu, strata = ~stratum, weights = ~w0, data = g, nest = TRUE)
df_ <- svydesign(ids = ~psu, strata = ~stratum, weights = ~w0, fpc = ~fpc, data = g, nest = TRUE)
py("GEN_DEGF", degf(dd))
for (v in c("x", "top", "csat")) {
  m <- svymean(as.formula(paste0("~", v)), dd)
  py(sprintf("GEN_%s_MEAN", toupper(v)), coef(m)); py(sprintf("GEN_%s_SE", toupper(v)), SE(m))
  m <- svymean(as.formula(paste0("~", v)), df_)
  py(sprintf("GEN_%s_SE_FPC", toupper(v)), SE(m))
}
# strata only (no clusters), and clusters only (no strata)
m <- svymean(~x, svydesign(ids = ~1, strata = ~stratum, weights = ~w0, data = g))
py("GEN_X_SE_STRATA_ONLY", SE(m))
m <- svymean(~x, svydesign(ids = ~psu, weights = ~w0, data = g))
py("GEN_X_SE_CLUSTER_ONLY", SE(m))
b <- svyby(~x, ~brand, dd, svymean)
cat(sprintf("GEN_BY_BRAND_LEVELS = [%s]\n", paste0('"', b$brand, '"', collapse = ", ")))
py("GEN_BY_BRAND_MEAN", coef(b)); py("GEN_BY_BRAND_SE", SE(b))
for (grp in c("brand", "period")) {
  t <- svyttest(as.formula(paste0("x ~ ", grp)), dd)
  py(sprintf("GEN_TTEST_%s_DIFF", toupper(grp)), unname(t$estimate))
  py(sprintf("GEN_TTEST_%s_T", toupper(grp)), unname(t$statistic))
  py(sprintf("GEN_TTEST_%s_DF", toupper(grp)), unname(t$parameter))
  py(sprintf("GEN_TTEST_%s_P", toupper(grp)), t$p.value)
}
# raked weights used as fixed weights in the stratified cluster design
g$wr <- weights(r2)
dr <- svydesign(ids = ~psu, strata = ~stratum, weights = ~wr, data = g, nest = TRUE)
m <- svymean(~x, dr)
py("GEN_RAKED_X_MEAN", coef(m)); py("GEN_RAKED_X_SE", SE(m))

# decompose_change: mix, rate, interaction and change are smooth functions of domain totals, their
# linearised SEs by svycontrast (deriv of the expressions) on svytotal with its covariance
decomp <- function(data, pcol, per, seg, levs, mk) {
  vars <- c(); lv_ <- make.names(levs)
  for (sd in names(per)) for (j in seq_along(levs)) {
    # rows without a valid x (item non-response) stay in the design with zero contribution
    i <- as.numeric(data[[pcol]] == per[[sd]] & data[[seg]] == levs[j] & !is.na(data$x))
    data[[paste0("T_", sd, "_", lv_[j])]] <- i
    data[[paste0("X_", sd, "_", lv_[j])]] <- i * ifelse(is.na(data$x), 0, data$x)
    vars <- c(vars, paste0("T_", sd, "_", lv_[j]), paste0("X_", sd, "_", lv_[j]))
  }
  tot <- svytotal(as.formula(paste("~", paste(vars, collapse = " + "))), mk(data))
  S <- function(sd) paste0("(", paste0("T_", sd, "_", lv_, collapse = " + "), ")")
  s_ <- function(sd, l) sprintf("(T_%s_%s / %s)", sd, l, S(sd))
  m_ <- function(sd, l) sprintf("(X_%s_%s / T_%s_%s)", sd, l, sd, l)
  M_ <- function(sd) sprintf("((%s) / %s)", paste0("X_", sd, "_", lv_, collapse = " + "), S(sd))
  sm <- function(f) paste(sapply(lv_, f), collapse = " + ")
  ex <- list(
    change = sprintf("%s - %s", M_("b"), M_("a")),
    mix = sm(function(l) sprintf("(%s - %s) * (%s - %s)", s_("b", l), s_("a", l), m_("a", l), M_("a"))),
    rate = sm(function(l) sprintf("%s * (%s - %s)", s_("a", l), m_("b", l), m_("a", l))),
    interaction = sm(function(l) sprintf("(%s - %s) * (%s - %s)", s_("b", l), s_("a", l), m_("b", l), m_("a", l))))
  svycontrast(tot, lapply(ex, function(e) parse(text = e)[[1]]))
}

# linear contrasts sum_g c_g xbar_g of domain means with item non-response, by svycontrast on
# svytotal of the domain indicators (svyby(covmat = TRUE) fails with na.rm = TRUE in survey
# 4.1.1); C: list of coefficient vectors over levs
mean_contrasts <- function(data, mk, gcol, levs, C) {
  vars <- c()
  for (j in seq_along(levs)) {
    i <- as.numeric(data[[gcol]] == levs[j] & !is.na(data$x))
    data[[paste0("T", j)]] <- i
    data[[paste0("X", j)]] <- i * ifelse(is.na(data$x), 0, data$x)
    vars <- c(vars, paste0("T", j), paste0("X", j))
  }
  tot <- svytotal(as.formula(paste("~", paste(vars, collapse = " + "))), mk(data))
  ex <- lapply(C, function(cv) {
    j <- which(cv != 0)
    parse(text = paste(sprintf("(%.17g) * X%d / T%d", cv[j], j, j), collapse = " + "))[[1]]
  })
  svycontrast(tot, ex)
}

# ---------------------------------------------------------------- SFO (optional)
sfo_dir <- Sys.getenv("SFO_DIR", "../shared/realdata/sfo_customer_survey")
if (dir.exists(sfo_dir)) {
  rd <- function(y) {
    d <- read.csv(file.path(sfo_dir, sprintf("%d_SFO_Customer_Survey.csv", y)), strip.white = TRUE)
    names(d) <- trimws(names(d))
    d <- d[!is.na(d$NETPRO) & d$NETPRO != 11, c("RESPNUM", "STRATA", "BAREA", "WEIGHT", "NETPRO")]
    d$year <- y
    d
  }
  s <- rbind(rd(2017), rd(2018))
  s$x <- nps_x(s$NETPRO)
  cat(sprintf("SFO_N = [%d, %d]\n", sum(s$year == 2017), sum(s$year == 2018)))
  s18 <- s[s$year == 2018, ]
  d18 <- svydesign(ids = ~1, strata = ~STRATA, weights = ~WEIGHT, data = s18)
  m <- svymean(~x, d18)
  py("SFO18_X_MEAN", coef(m)); py("SFO18_X_SE", SE(m)); py("SFO18_DEGF", degf(d18))
  m <- svymean(~x, svydesign(ids = ~1, weights = ~WEIGHT, data = s18))
  py("SFO18_X_SE_NO_STRATA", SE(m))
  s$yst <- interaction(s$year, s$STRATA)
  ds <- svydesign(ids = ~1, strata = ~yst, weights = ~WEIGHT, data = s)
  b <- svyby(~x, ~year, ds, svymean)
  py("SFO_BY_YEAR_MEAN", coef(b)); py("SFO_BY_YEAR_SE", SE(b))
  b <- svyby(~x, ~BAREA, d18, svymean)
  cat(sprintf("SFO18_BY_BAREA_LEVELS = [%s]\n", paste0('"', b$BAREA, '"', collapse = ", ")))
  py("SFO18_BY_BAREA_MEAN", coef(b)); py("SFO18_BY_BAREA_SE", SE(b))
  t <- svyttest(x ~ factor(year), ds)
  py("SFO_TTEST_YEAR_DIFF", unname(t$estimate)); py("SFO_TTEST_YEAR_T", unname(t$statistic))
  py("SFO_TTEST_YEAR_DF", unname(t$parameter)); py("SFO_TTEST_YEAR_P", t$p.value)
  # the change 2017 -> 2018 as a contrast of svyby (covariance kept) and its decomposition by
  # boarding area (decompose_change)
  b <- svyby(~x, ~year, ds, svymean, covmat = TRUE)
  ch <- svycontrast(b, c(-1, 1))
  py("SFO_CHANGE", unname(coef(ch))); py("SFO_CHANGE_SE", unname(SE(ch)))
  sb <- s[!is.na(s$BAREA) & s$BAREA != "", ]
  cat(sprintf("SFO_BAREA_LEVELS = [%s]\n", paste0('"', sort(unique(sb$BAREA)), '"', collapse = ", ")))
  dc <- decomp(sb, "year", c(a = 2017, b = 2018), "BAREA", sort(unique(sb$BAREA)),
               function(d) svydesign(ids = ~1, strata = ~yst, weights = ~WEIGHT, data = d))
  py("SFO_DECOMP", unname(coef(dc))); py("SFO_DECOMP_SE", unname(SE(dc)))
  # rake 2018 (base WEIGHT) to invented boarding-area and time-of-day shares, trimmed (0.3, 3)
  W <- sum(s18$WEIGHT)
  pb <- data.frame(BAREA = c("A", "B", "C", "D", "E", "F", "G"),
                   Freq = c(25, 8, 8, 17, 7, 15, 20) / 100 * W)
  pt <- data.frame(STRATA = c(1, 2, 3), Freq = c(30, 35, 35) / 100 * W)
  d0 <- svydesign(ids = ~1, weights = ~WEIGHT, data = s18)
  r <- rake_trim(d0, list(~BAREA, ~STRATA), list(pb, pt), lo = 0.3, hi = 3)
  w <- weights(r)
  py("SFO18_RAKE_FIRST", w[1:10]); py("SFO18_RAKE_SUM", sum(w)); py("SFO18_RAKE_MIN", min(w))
  py("SFO18_RAKE_MAX", max(w)); py("SFO18_RAKE_NEFF", sum(w)^2 / sum(w^2))
  s18$wr <- w
  m <- svymean(~x, svydesign(ids = ~1, strata = ~STRATA, weights = ~wr, data = s18))
  py("SFO18_RAKED_X_MEAN", coef(m)); py("SFO18_RAKED_X_SE", SE(m))

  # ---- domain estimation over the FULL design (tests/test_design_domain.py): the rows without
  # a valid NETPRO (11 = blank) stay in the design, svymean/svyby(na.rm = TRUE) as cxkit on
  # the loaded survey.  The loader keeps a row when it has a valid nps, csat (Q7ALL 1-5) or
  # ease_find (Q14FIND 1-5) answer; SFO18_ALL_* use every row of the 2018 file.
  rf <- function(y) {
    d <- read.csv(file.path(sfo_dir, sprintf("%d_SFO_Customer_Survey.csv", y)), strip.white = TRUE)
    names(d) <- trimws(names(d))
    num <- function(v) suppressWarnings(as.numeric(as.character(v)))
    np <- num(d$NETPRO); q7 <- num(d$Q7ALL); q14 <- num(d$Q14FIND)
    np[!(np %in% 0:10)] <- NA
    d <- data.frame(STRATA = d$STRATA, BAREA = d$BAREA, WEIGHT = d$WEIGHT, x = nps_x(np),
                    kept = !is.na(np) | q7 %in% 1:5 | q14 %in% 1:5, year = y)
    d
  }
  fa <- rbind(rf(2017), rf(2018))
  fa$yst <- interaction(fa$year, fa$STRATA)
  cat(sprintf("SFO_KEPT_N = [%d, %d]\n", sum(fa$kept & fa$year == 2017), sum(fa$kept & fa$year == 2018)))
  fa18 <- fa[fa$year == 2018, ]
  m <- svymean(~x, svydesign(ids = ~1, strata = ~STRATA, weights = ~WEIGHT, data = fa18), na.rm = TRUE)
  py("SFO18_ALL_ROWS", nrow(fa18)); py("SFO18_ALL_X_MEAN", coef(m)); py("SFO18_ALL_X_SE", SE(m))
  k <- fa[fa$kept, ]
  k18 <- k[k$year == 2018, ]
  d18 <- svydesign(ids = ~1, strata = ~STRATA, weights = ~WEIGHT, data = k18)
  m <- svymean(~x, d18, na.rm = TRUE)
  py("SFO18_FULL_X_MEAN", coef(m)); py("SFO18_FULL_X_SE", SE(m))
  py("SFO18_FULL_DEGF", degf(subset(d18, !is.na(x))))
  b <- svyby(~x, ~BAREA, d18, svymean, na.rm = TRUE)
  cat(sprintf("SFO18_FULL_BY_BAREA_LEVELS = [%s]\n", paste0('"', b$BAREA, '"', collapse = ", ")))
  py("SFO18_FULL_BY_BAREA_MEAN", coef(b)); py("SFO18_FULL_BY_BAREA_SE", SE(b))
  ds <- svydesign(ids = ~1, strata = ~yst, weights = ~WEIGHT, data = k)
  b <- svyby(~x, ~year, ds, svymean, na.rm = TRUE)
  py("SFO_FULL_BY_YEAR_MEAN", coef(b)); py("SFO_FULL_BY_YEAR_SE", SE(b))
  ch <- mean_contrasts(k, function(d) svydesign(ids = ~1, strata = ~yst, weights = ~WEIGHT, data = d),
                       "year", c(2017, 2018), list(c(-1, 1)))
  py("SFO_FULL_CHANGE", unname(coef(ch))); py("SFO_FULL_CHANGE_SE", unname(SE(ch)))
  t <- svyttest(x ~ factor(year), ds)
  py("SFO_FULL_TTEST_YEAR_DIFF", unname(t$estimate)); py("SFO_FULL_TTEST_YEAR_T", unname(t$statistic))
  py("SFO_FULL_TTEST_YEAR_DF", unname(t$parameter)); py("SFO_FULL_TTEST_YEAR_P", t$p.value)
  dc <- decomp(k, "year", c(a = 2017, b = 2018), "BAREA", sort(unique(k$BAREA)),
               function(d) svydesign(ids = ~1, strata = ~yst, weights = ~WEIGHT, data = d))
  py("SFO_FULL_DECOMP", unname(coef(dc))); py("SFO_FULL_DECOMP_SE", unname(SE(dc)))
}

# ---------------------------------------------------------------- demo relationship: brand gaps
rel <- read.csv("data/demo/relationship.csv", stringsAsFactors = FALSE)
rel$xa <- nps_x(rel$nps_acme)
dr <- svydesign(ids = ~1, strata = ~region, weights = ~weight, data = rel)
gaps <- c(); ses <- c()
for (b in c("nps_brightline", "nps_corvo", "nps_dunmore")) {
  dr <- update(dr, xb = nps_x(rel[[b]]))
  sub <- subset(dr, !is.na(xa) & !is.na(xb))
  m <- svymean(~I(xb - xa), sub)
  gaps <- c(gaps, coef(m)); ses <- c(ses, SE(m))
}
py("REL_GAP", unname(gaps)); py("REL_GAP_SE", unname(ses)); py("REL_DEGF", degf(dr))

# ---------------------------------------------------------------- design: trend, changes, gaps
# tests/test_design_trend.py.  tests/r/design_gen.csv (tests/r/make_design_data.py): four
# quarters, PSUs (ids repeat across strata: nest = TRUE) with respondents in every quarter.
dg <- read.csv("tests/r/design_gen.csv", stringsAsFactors = FALSE)
dg$x <- nps_x(dg$nps)
dg$xa <- nps_x(dg$rival_a)
dg$xb <- nps_x(dg$rival_b)
dd <- svydesign(ids = ~psu, strata = ~stratum, weights = ~w, data = dg, nest = TRUE)
py("DG_DEGF", degf(dd))
b <- svyby(~x, ~period, dd, svymean, covmat = TRUE)
cat(sprintf("DG_PERIODS = [%s]\n", paste0('"', b$period, '"', collapse = ", ")))
py("DG_TREND_MEAN", coef(b)); py("DG_TREND_SE", SE(b))
K <- length(coef(b))
steps <- lapply(1:(K - 1), function(i) { v <- rep(0, K); v[i] <- -1; v[i + 1] <- 1; v })
ch <- svycontrast(b, steps)
py("DG_TREND_CHANGE", unname(coef(ch))); py("DG_TREND_CHANGE_SE", unname(SE(ch)))
# the last change as svyttest on the two quarters (same diff; t = diff / SE, df = degf - 1)
t <- svyttest(x ~ period, subset(dd, period %in% c("2025-Q3", "2025-Q4")))
py("DG_TTEST_Q3Q4_DIFF", unname(t$estimate)); py("DG_TTEST_Q3Q4_T", unname(t$statistic))
py("DG_TTEST_Q3Q4_DF", unname(t$parameter)); py("DG_TTEST_Q3Q4_P", t$p.value)
# the precision-weighted slope (weights 1/SE^2 of the design SEs) as a linear contrast of the
# quarters' means: its design SE keeps their covariances
tt <- 0:(K - 1); Wm <- diag(1 / SE(b)^2); X <- cbind(1, tt)
cs <- (solve(t(X) %*% Wm %*% X) %*% t(X) %*% Wm)[2, ]
sl <- svycontrast(b, cs)
py("DG_SLOPE", unname(coef(sl))); py("DG_SLOPE_SE", unname(SE(sl)))
# per channel
bc <- svyby(~x, ~channel + period, dd, svymean)
cat(sprintf("DG_BY_CHANNEL_KEYS = [%s]\n",
            paste0('("', bc$channel, '", "', bc$period, '")', collapse = ", ")))
py("DG_BY_CHANNEL_MEAN", coef(bc)); py("DG_BY_CHANNEL_SE", SE(bc))
dc <- decomp(dg, "period", c(a = "2025-Q3", b = "2025-Q4"), "channel", c("phone", "store", "web"),
             function(d) svydesign(ids = ~psu, strata = ~stratum, weights = ~w, data = d, nest = TRUE))
py("DG_DECOMP", unname(coef(dc))); py("DG_DECOMP_SE", unname(SE(dc)))  # change, mix, rate, interaction
# paired brand gaps (rival - own) among respondents rating both: svymean of the difference
# of the per-respondent NPS values in the domain; per-brand NPS over everyone rating it; and
# the 'overlap' gap: difference of the two brand NPS (each over everyone rating it)
gp <- c(); gse <- c(); bn <- c(); bse <- c(); og <- c(); ose <- c()
for (v in c("xa", "xb")) {
  dd <- update(dd, xr = dg[[v]], rated = as.numeric(!is.na(dg[[v]])),
               xr0 = ifelse(is.na(dg[[v]]), 0, dg[[v]]))
  m <- svymean(~I(xr - x), subset(dd, !is.na(xr)))
  gp <- c(gp, coef(m)); gse <- c(gse, SE(m))
  m <- svymean(~xr, subset(dd, !is.na(xr)))
  bn <- c(bn, coef(m)); bse <- c(bse, SE(m))
  tt <- svytotal(~rated + xr0 + one + x, update(dd, one = 1))
  o <- svycontrast(tt, quote(xr0 / rated - x / one))
  og <- c(og, coef(o)); ose <- c(ose, SE(o))
}
py("DG_GAP", unname(gp)); py("DG_GAP_SE", unname(gse))
py("DG_BRAND_NPS", unname(bn)); py("DG_BRAND_NPS_SE", unname(bse))
py("DG_OVERLAP_GAP", unname(og)); py("DG_OVERLAP_GAP_SE", unname(ose))
m <- svymean(~x, dd)
py("DG_OWN_NPS", coef(m)); py("DG_OWN_NPS_SE", SE(m))

# ---------------------------------------------------------------- design: item non-response
# tests/test_design_domain.py.  tests/r/design_missing.csv (tests/r/make_design_missing.py):
# design_gen.csv with ~20% of nps blank and PSU S2/C3 blank throughout.  Domain estimation
# over the whole design: svymean/svyby(na.rm = TRUE) keep every PSU in n_h.
dm <- read.csv("tests/r/design_missing.csv", stringsAsFactors = FALSE)
dm$x <- nps_x(dm$nps)
mk <- function(d) svydesign(ids = ~psu, strata = ~stratum, weights = ~w, data = d, nest = TRUE)
dd <- mk(dm)
m <- svymean(~x, dd, na.rm = TRUE)
py("DM_NPS_MEAN", coef(m)); py("DM_NPS_SE", SE(m)); py("DM_DEGF", degf(subset(dd, !is.na(x))))
m <- svymean(~x, mk(dm[!is.na(dm$x), ]))   # the old convention: missing rows dropped first
py("DM_NPS_SE_DROPPED", SE(m))
b <- svyby(~x, ~period, dd, svymean, na.rm = TRUE)
cat(sprintf("DM_PERIODS = [%s]\n", paste0('"', b$period, '"', collapse = ", ")))
py("DM_TREND_MEAN", coef(b)); py("DM_TREND_SE", SE(b))
K <- length(coef(b))
steps <- lapply(1:(K - 1), function(i) { v <- rep(0, K); v[i] <- -1; v[i + 1] <- 1; v })
ch <- mean_contrasts(dm, mk, "period", as.character(b$period), steps)
py("DM_TREND_CHANGE", unname(coef(ch))); py("DM_TREND_CHANGE_SE", unname(SE(ch)))
t <- svyttest(x ~ period, subset(dd, period %in% c("2025-Q3", "2025-Q4")))
py("DM_TTEST_Q3Q4_DIFF", unname(t$estimate)); py("DM_TTEST_Q3Q4_T", unname(t$statistic))
py("DM_TTEST_Q3Q4_DF", unname(t$parameter)); py("DM_TTEST_Q3Q4_P", t$p.value)
bc <- svyby(~x, ~channel + period, dd, svymean, na.rm = TRUE)
cat(sprintf("DM_BY_CHANNEL_KEYS = [%s]\n",
            paste0('("', bc$channel, '", "', bc$period, '")', collapse = ", ")))
py("DM_BY_CHANNEL_MEAN", coef(bc)); py("DM_BY_CHANNEL_SE", SE(bc))
dc <- decomp(dm, "period", c(a = "2025-Q3", b = "2025-Q4"), "channel", c("phone", "store", "web"), mk)
py("DM_DECOMP", unname(coef(dc))); py("DM_DECOMP_SE", unname(SE(dc)))
# paired gap rival_a - own among respondents rating both (own now has blanks too)
dd <- update(dd, xr = nps_x(dm$rival_a))
m <- svymean(~I(xr - x), subset(dd, !is.na(xr) & !is.na(x)))
py("DM_GAP_A", coef(m)); py("DM_GAP_A_SE", SE(m))
# a stratum with a single PSU in the whole design (S4 keeps only C1): survey.lonely.psu
one <- dm[!(dm$stratum == "S4" & dm$psu != "C1"), ]
lse <- c()
for (lp in c("adjust", "average", "remove", "certainty")) {
  options(survey.lonely.psu = lp)
  lse <- c(lse, SE(suppressWarnings(svymean(~x, mk(one), na.rm = TRUE))))
}
options(survey.lonely.psu = "fail")
options(survey.lonely.psu = "remove")
py("DM_LONELY_MEAN", coef(suppressWarnings(svymean(~x, mk(one), na.rm = TRUE))))
options(survey.lonely.psu = "fail")
py("DM_LONELY_SE", lse)   # adjust, average, remove, certainty
# a stratum with a single ANSWERING PSU but three in the design (S4: C2, C3 all blank): no
# lonely PSU under domain estimation (the blank PSUs count with zero totals)
dl <- dm
dl$x[dl$stratum == "S4" & dl$psu != "C1"] <- NA
m <- svymean(~x, mk(dl), na.rm = TRUE)
py("DM_DOMAIN_LONELY_MEAN", coef(m)); py("DM_DOMAIN_LONELY_SE", SE(m))
