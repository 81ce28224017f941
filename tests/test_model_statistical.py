"""Statistical tier: degenerate configurations of tiny.toml whose answer has a closed form.

Each test runs R independent replications (seed fixed, so the test is deterministic) and
compares a sample statistic with its analytic value. Tolerances are always 4 standard errors of
the sample statistic (two-sided false-alarm probability ~6e-5 per check for a correct model):

* a sample mean: SE = sample sd / sqrt(R);
* a sample proportion of an event with analytic probability p: SE = sqrt(p (1 - p) / R);
* a sample variance of a Poisson(mu) count: Var(s^2) ~ (mu4 - sigma^4) / R = (mu + 2 mu^2) / R,
  because the 4th central moment of a Poisson is mu + 3 mu^2.

Starting point (tiny.toml): no macro drift or volatility, no disruption, flat seasonality, no
trade noise; horizon H = 24 months. Each test states what it switches on.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import mean_se, scenario, yearly
from scipy import stats

H = 24

# nothing but what a test switches on: no initial firms, no leaders, no leads, no project effects
QUIET = {
    "base_year": {"enterprises": {"make": 0, "shop": 0, "svc": 0}},
    "levers": {"leader_candidates": {"anchor": 0, "big": 0}, "promotion_events_per_year": 0},
    "constants": {
        "projects": {"early": {"lead_rate_multiplier": {"svc": 1.0}}, "wall": {"trade_multiplier": {"general": 1.0}}}
    },
}


def quiet(patch: dict):
    from sim.scenario.loader import deep_merge

    return scenario("tiny.toml", deep_merge(QUIET, patch, {}, "<test>"))


def close(sample_stat, se, expected, what):
    assert abs(sample_stat - expected) <= 4 * se, (
        f"{what}: sample {sample_stat:.6g} vs analytic {expected:.6g} (4 SE = {4 * se:.3g})"
    )


# ------------------------------------------------------------------------------ entries: Poisson

ENTRY_CASES = {
    # name: (lead rate / month, promotion events / year, leads per event, sign probability)
    "base_rate_only": (1.5, 0, 0, 1.0),
    # promotion leads go to the only sector (its share of base rates is 1); signing thins them:
    # a thinned sum of independent Poissons is Poisson(p (lambda H + events x H/12 x L))
    "promotion_and_thinning": (1.0, 3, 4, 0.5),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", ENTRY_CASES)
def test_entries_only_is_poisson(case):
    lam, n_ev, per_event, p = ENTRY_CASES[case]
    # svc firms need no space, sign and fit out at once, never exit: every signed lead opens at
    # its arrival time, so firms opened by the horizon = active enterprises of the last year.
    sc = quiet(
        {
            "levers": {"promotion_events_per_year": n_ev},
            "uncertainties": {
                "promotion": {"leads_per_event": per_event},
                "sectors": {
                    "svc": {"lead_rate_per_month": lam, "sign_prob": p, "foreign_prob": 0.3, "fdi_wan_usd": 50}
                },
            },
            "constants": {"fdi_tranches": 1},
        }
    )
    R = 1000
    y = yearly(sc, R, seed=11, indicators=("active_enterprises", "fdi_usd"))
    mu = p * (lam * H + n_ev * (H / 12) * per_event)
    n_end = y["active_enterprises"][:, 1]
    n_first = y["active_enterprises"][:, 0]  # opened in 2022: Poisson(mu / 2)

    close(*mean_se(n_end), mu, "mean firms opened by the horizon")
    close(*mean_se(n_first), mu / 2, "mean firms opened in the first year")
    # no over- or under-dispersion: sample variance vs mu, SE from Var(s^2) = (mu + 2 mu^2) / R
    close(n_end.var(ddof=1), math.sqrt((mu + 2 * mu**2) / R), mu, "variance of firms opened")
    # the whole law: P(N >= k) = poisson.sf(k - 1, mu) at its 10%, 50% and 90% quantiles
    for k in stats.poisson.ppf([0.1, 0.5, 0.9], mu).astype(int):
        pk = stats.poisson.sf(k - 1, mu)
        close(np.mean(n_end >= k), math.sqrt(pk * (1 - pk) / R), pk, f"P(N >= {k})")
    # FDI: every opened firm is foreign with prob .3 and pays Exp(mean 50) at opening (1 tranche)
    close(*mean_se(y["fdi_usd"].sum(axis=1)), mu * 0.3 * 50, "FDI over the horizon")


@pytest.mark.slow
def test_space_limit_caps_entries_at_capacity():
    # make firms take 2 ha each from 2K ha of free land that nothing else adds to (road releases
    # none) and nobody gives back (no exits): with N ~ Poisson(lambda H) signed leads, exactly
    # min(N, K) open in every replication, and E[min(N, K)] = sum_k min(k, K) poisson.pmf(k).
    lam, K = 1.0, 22
    sc = quiet(
        {
            "initial_state": {"serviced_land_free_ha": 2.0 * K},
            "constants": {"projects": {"road": {"serviced_land_ha": 0}}},
            "uncertainties": {"sectors": {"make": {"lead_rate_per_month": lam, "max_wait_months": 3}}},
        }
    )
    R = 600
    from conftest import simulate_rep

    opened = np.empty(R)
    for r in range(R):
        res = simulate_rep(sc, seed=5, rep=r, trace=True)
        signed = sum(1 for _, e, d in res.log if (e, d) == ("signed", "make"))
        lost = sum(1 for _, e, d in res.log if (e, d) == ("lost_no_space", "make"))
        opened[r] = res.yearly["active_enterprises"][1]
        assert opened[r] == min(signed, K), f"rep {r}: {signed} signed, {opened[r]} opened, capacity {K}"
        # a lead without space waits 3 months then is lost; those signed in the last 3 months still wait
        assert lost <= max(0, signed - K)
    mu = lam * H
    k = np.arange(0, 200)
    e_min = float(np.sum(np.minimum(k, K) * stats.poisson.pmf(k, mu)))
    close(*mean_se(opened), e_min, "E[min(N, K)]")
    p_full = stats.poisson.sf(K - 1, mu)
    close(np.mean(opened == K), math.sqrt(p_full * (1 - p_full) / R), p_full, "P(zone full)")


# ------------------------------------------------------------------------------ exits


@pytest.mark.slow
def test_exits_only_survival():
    # N0 initial svc firms, exit hazard r a year (exit time Exp with mean 12/r months), 1 employee
    # each, fixed size S, nothing else. With q(t) = exp(-r t / 12) the survival to month t:
    # * employees at the end of year y count firms operating at t1 = 12 (y+1): Bin(N0, q(t1));
    # * active_enterprises of year y count firms active at any time in [t0, t1): Bin(N0, q(t0)),
    #   so all N0 in the first year;
    # * trade of year y: N0 S/12 x expected firm-months in [t0, t1] = N0 S (q(t0) - q(t1)) / r.
    N0, r, S = 60, 0.6, 0.3
    sc = quiet(
        {
            "base_year": {"enterprises": {"svc": N0}},
            "uncertainties": {
                "sectors": {"svc": {"exit_rate_per_year": r, "employees_median": 1, "trade_median_yi": S}}
            },
        }
    )
    R = 800
    y = yearly(sc, R, seed=21, indicators=("employees", "active_enterprises", "trade_total"))

    def q(t):
        return math.exp(-r * t / 12)

    assert np.all(y["active_enterprises"][:, 0] == N0)
    for yi in range(2):
        t0, t1 = 12.0 * yi, 12.0 * (yi + 1)
        close(*mean_se(y["employees"][:, yi]), N0 * q(t1), f"operating at the end of year {yi}")
        close(*mean_se(y["active_enterprises"][:, yi]), N0 * q(t0), f"active during year {yi}")
        close(*mean_se(y["trade_total"][:, yi]), N0 * S * (q(t0) - q(t1)) / r, f"trade of year {yi}")
    # binomial spread too: sd of operating firms at the end of year 1, SE of a sample variance of a
    # near-normal count ~ var sqrt(2 / (R - 1))
    pq = q(12.0)
    var = N0 * pq * (1 - pq)
    close(y["employees"][:, 0].var(ddof=1), var * math.sqrt(2 / (R - 1)), var, "variance of survivors")


# ------------------------------------------------------------------------------ trade


@pytest.mark.slow
def test_trade_of_initial_firms_with_lognormal_sizes_and_noise():
    # N0 initial svc firms with lognormal sizes (median mu, log-sd sigma: mean mu exp(sigma^2 / 2)),
    # mean-one monthly noise exp(s Z - s^2/2), macro factor exp(g (m + 1/2) / 12) at mid-month
    # (growth g fixed, volatility 0). No exits, no ramp (initial firms are at full size). So
    #   E[trade of year y] = N0 mu exp(sigma^2 / 2) / 12 x sum_{m in year y} exp(g (m + 1/2) / 12).
    N0, mu, sigma, g = 40, 0.3, 0.8, 0.1
    sc = quiet(
        {
            "base_year": {"enterprises": {"svc": N0}},
            "uncertainties": {
                "macro": {"growth_per_year": g},
                "sectors": {"svc": {"trade_median_yi": mu, "trade_sigma": sigma, "noise_sigma": 0.4}},
            },
        }
    )
    R = 400
    y = yearly(sc, R, seed=31, indicators=("trade_total", "trade_general", "trade_other"))
    for yi in range(2):
        m = np.arange(12 * yi, 12 * yi + 12)
        expect = N0 * mu * math.exp(sigma**2 / 2) / 12 * np.exp(g * (m + 0.5) / 12).sum()
        close(*mean_se(y["trade_total"][:, yi]), expect, f"trade of year {yi}")
        # svc splits its trade 50/50 between general and other, exactly, in every replication
        np.testing.assert_allclose(y["trade_general"][:, yi], 0.5 * y["trade_total"][:, yi], rtol=1e-12)


@pytest.mark.slow
def test_trade_follows_macro_and_commodity_random_walks():
    # Sizes fixed (sigma 0), no noise: only the shared paths move trade. The log macro factor of
    # month m is g (m + 1/2)/12 + v (S_m - eps_m / 2), S_m = eps_0 + ... + eps_m, so its variance is
    # v^2 (m + 1/4) and E[factor] = exp(g (m + 1/2)/12 + v^2 (m + 1/4) / 2); the commodity index
    # (drift d, volatility w) is built the same way from its own stream, hence independent.
    N0, S, g, v, d, w = 10, 0.3, 0.05, 0.08, 0.1, 0.06
    sc = quiet(
        {
            "base_year": {"enterprises": {"svc": N0}},
            "constants": {"sectors": {"svc": {"commodity_exposed": True}}},
            "uncertainties": {
                "macro": {"growth_per_year": g, "volatility_per_month": v},
                "commodity": {"drift_per_year": d, "volatility_per_month": w},
                "sectors": {"svc": {"trade_median_yi": S}},
            },
        }
    )
    R = 400
    y = yearly(sc, R, seed=41, indicators=("trade_total",))
    for yi in range(2):
        m = np.arange(12 * yi, 12 * yi + 12)
        f = np.exp((g + d) * (m + 0.5) / 12 + (v**2 + w**2) * (m + 0.25) / 2)
        close(*mean_se(y["trade_total"][:, yi]), N0 * S / 12 * f.sum(), f"trade of year {yi}")


@pytest.mark.slow
def test_ramp_up_of_new_firms():
    # Entries only (svc, lambda a month, no space, open on arrival) with a linear ramp of Rm months,
    # fixed size S: a firm opened at a (uniform within its month) trades S/12 x frac x ramp(mid) in each
    # month, ramp(mid) = min(1, (mid - a)/Rm). Rather than re-derive that sum, check the stock the
    # ramp feeds at year end: employees E x min(1, (t1 - a)/Rm) summed over firms. For Poisson
    # arrivals at rate lam on [0, t1]: E = lam E_med int_0^t1 min(1, (t1 - a)/Rm) da
    #                                   = lam E_med (t1 - Rm / 2)       for Rm <= t1.
    lam, Rm, E_med = 2.0, 4.0, 10.0
    sc = quiet(
        {
            "uncertainties": {
                "sectors": {"svc": {"lead_rate_per_month": lam, "rampup_months": Rm, "employees_median": E_med}}
            }
        }
    )
    R = 600
    y = yearly(sc, R, seed=51, indicators=("employees",))
    for yi in range(2):
        t1 = 12.0 * (yi + 1)
        close(*mean_se(y["employees"][:, yi]), lam * E_med * (t1 - Rm / 2), f"employees at end of year {yi}")
